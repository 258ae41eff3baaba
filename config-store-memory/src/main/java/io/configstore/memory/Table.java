package io.configstore.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * One table of a {@link Tables}: rows by key. Every write goes through {@link #put} or {@link #remove}, which note the
 * old row in the owning tables' undo log and keep the table's index (if any) current; the views it hands out cannot
 * be written through.
 */
final class Table<K, V> {
    private final Tables owner;
    private final HashMap<K, V> rows;
    /** Null when the table has no secondary index. */
    private final RowIndex<V> index;

    Table(Tables owner, HashMap<K, V> rows, RowIndex<V> index) {
        this.owner = owner;
        this.rows = rows;
        this.index = index;
    }

    /** An empty table of {@code owner}. */
    static <K, V> Table<K, V> empty(Tables owner, RowIndex<V> index) {
        return new Table<>(owner, new HashMap<>(), index);
    }

    /** A copy of this table (and its index) for {@code newOwner}; the rows themselves are immutable and shared. */
    Table<K, V> copyFor(Tables newOwner) {
        return new Table<>(newOwner, new HashMap<>(rows), index == null ? null : index.copy());
    }

    V get(Object key) {
        return rows.get(key);
    }

    boolean containsKey(Object key) {
        return rows.containsKey(key);
    }

    int size() {
        return rows.size();
    }

    Collection<V> values() {
        return Collections.unmodifiableCollection(rows.values());
    }

    Set<K> keySet() {
        return Collections.unmodifiableSet(rows.keySet());
    }

    void forEach(BiConsumer<? super K, ? super V> action) {
        rows.forEach(action);
    }

    /** The rows as a read-only map. */
    Map<K, V> asMap() {
        return Collections.unmodifiableMap(rows);
    }

    /** The index this table keeps; null when it keeps none. */
    RowIndex<V> index() {
        return index;
    }

    /** Puts {@code row} under {@code key}, noting the row it replaces; returns that row, null when there was none. */
    V put(K key, V row) {
        owner.requireWritable();
        V old = rows.put(key, row);
        owner.noteWrite(this, key, old);
        reindex(old, row);
        return old;
    }

    /** Puts {@code row} unless the key holds a row already; returns that row, null when {@code row} was put. */
    V putIfAbsent(K key, V row) {
        V present = rows.get(key);
        if (present != null) {
            return present;
        }
        put(key, row);
        return null;
    }

    /** Removes the row under {@code key}, noting it; returns it, null when there was none. */
    V remove(Object key) {
        owner.requireWritable();
        if (!rows.containsKey(key)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        K present = (K) key;
        V old = rows.remove(present);
        owner.noteWrite(this, present, old);
        reindex(old, null);
        return old;
    }

    /** Removes every row {@code filter} accepts; returns how many. */
    int removeIf(Predicate<? super V> filter) {
        List<K> gone = new ArrayList<>();
        rows.forEach((key, row) -> {
            if (filter.test(row)) {
                gone.add(key);
            }
        });
        gone.forEach(this::remove);
        return gone.size();
    }

    /** Puts back {@code old} (null: no row) under {@code key} without noting it: the undo of a logged write. */
    void restore(K key, V old) {
        V now = old == null ? rows.remove(key) : rows.put(key, old);
        reindex(now, old);
    }

    private void reindex(V old, V row) {
        if (index != null && old != row) {
            index.replaced(old, row);
        }
    }
}
