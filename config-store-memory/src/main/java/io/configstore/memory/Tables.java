package io.configstore.memory;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.engine.StoredKey;
import io.configstore.history.HistoryEntry;
import io.configstore.memory.spi.StorageRows;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.spi.IdempotencyRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The rows of one in-memory storage. A Tables is either published (the committed state, or one being filled before
 * it is: never changed once another thread or a later write can see it, so readers need no lock) or a writer's
 * private {@link #copy()}.
 *
 * <p>A private copy is changed in place, and keeps an undo log of every write since it was copied: the row each write
 * replaced, the history appended or pruned, the change recorded. A store call or a nested unit of work that fails
 * {@link #rollbackTo rolls back} to the {@link #mark()} taken when it started, its recorded changes with it. The log
 * also tells which rows a commit touched, so that a commit that changed nothing need not be journaled.
 */
final class Tables {
    /** Provider configurations of every tenant, by id. */
    final Table<String, ProviderConfig> providers;
    /** API keys of every tenant, by id. */
    final Table<String, StoredKey> keys;
    /**
     * When each API key was last inserted or replaced, by id: a sequence that orders a type's keys by commit, even
     * within one millisecond (see {@link io.configstore.engine.StoreRows#apiKeys}).
     */
    final Table<String, Long> keyActivations;
    /** Configuration documents of every tenant, by (tenant, name). */
    final Table<DocumentKey, ConfigDocument> documents;
    /** What the store keeps about itself (key-check values, key-derivation parameters), by name. */
    final Table<String, String> metadata;
    /** The change history of every tenant, in the order it was written; read-only (see {@link #appendHistory}). */
    final List<HistoryEntry> history;
    /** Idempotency records, by {@link #idempotencyKey(String, String)}. */
    final Table<String, IdempotencyRecord> idempotency;

    private final ArrayList<HistoryEntry> historyRows;
    /** The highest activation drawn so far; never drawn again, even when the write that drew it rolls back. */
    private long lastActivation;
    /** The highest history version of each entity, so that appending an entry needs no scan of the history. */
    private final HashMap<EntityRef, Long> lastVersions;
    /** The changes the writes to this private copy recorded, in order (see {@link #recordChange}). */
    private final ArrayList<ChangeEvent> recordedChanges = new ArrayList<>();
    /** The tables this private copy was made from; null when published. */
    private Tables base;
    /** What to undo, oldest first; null when published. */
    private ArrayList<Undo> undo;
    private boolean writable;

    private Tables(Tables from, Tables base) {
        this.providers = from == null ? Table.empty(this, new ProviderIndex()) : from.providers.copyFor(this);
        this.keys = from == null ? Table.empty(this, new ApiKeyIndex()) : from.keys.copyFor(this);
        this.keyActivations = from == null ? Table.empty(this, null) : from.keyActivations.copyFor(this);
        this.lastActivation = from == null ? 0 : from.lastActivation;
        this.documents = from == null ? Table.empty(this, null) : from.documents.copyFor(this);
        this.metadata = from == null ? Table.empty(this, null) : from.metadata.copyFor(this);
        this.idempotency = from == null ? Table.empty(this, null) : from.idempotency.copyFor(this);
        this.historyRows = from == null ? new ArrayList<>() : new ArrayList<>(from.historyRows);
        this.history = Collections.unmodifiableList(historyRows);
        this.lastVersions = from == null ? new HashMap<>() : new HashMap<>(from.lastVersions);
        this.base = base;
        this.undo = base == null ? null : new ArrayList<>();
        this.writable = true;
    }

    /** Empty tables, for a new storage; published. */
    static Tables empty() {
        Tables tables = new Tables(null, null);
        tables.writable = false;
        return tables;
    }

    /** The key of an idempotency record: keys are scoped by actor. */
    static String idempotencyKey(String actor, String key) {
        return actor + "\u0000" + key;
    }

    /** Published tables holding {@code rows}, as a journal loaded them. */
    static Tables of(StorageRows rows) {
        Tables tables = new Tables(null, null);
        rows.providers().forEach(p -> tables.providers.put(p.id(), p));
        rows.apiKeys().forEach(k -> {
            tables.keys.put(k.metadata().id(), k);
            tables.activated(k.metadata().id());
        });
        rows.documents().forEach(d -> tables.documents.put(new DocumentKey(d.tenantId(), d.name()), d));
        rows.metadata().forEach(tables.metadata::put);
        rows.history().forEach(tables::appendHistory);
        rows.idempotency().forEach(r -> tables.idempotency.put(idempotencyKey(r.actor(), r.key()), r));
        tables.writable = false;
        return tables;
    }

    /** A private copy to change, with an empty undo log; the rows themselves are immutable and shared. */
    Tables copy() {
        return new Tables(this, this);
    }

    /** Moves the API key {@code id} last in its type's activation order. */
    void activated(String id) {
        keyActivations.put(id, ++lastActivation);
    }

    /** API keys in activation order, the last inserted or replaced last. */
    java.util.Comparator<StoredKey> activationOrder() {
        return java.util.Comparator.comparingLong(k -> keyActivations.get(k.metadata().id()));
    }

    /** The provider index of {@link #providers}. */
    ProviderIndex providerIndex() {
        return (ProviderIndex) providers.index();
    }

    /** The API key index of {@link #keys}. */
    ApiKeyIndex keyIndex() {
        return (ApiKeyIndex) keys.index();
    }

    /** The last history version of an entity, 0 when it has none. */
    long lastHistoryVersion(EntityKind entity, String tenantId, String id) {
        return lastVersions.getOrDefault(new EntityRef(entity, tenantId, id), 0L);
    }

    /** Appends {@code entry} to the history. */
    void appendHistory(HistoryEntry entry) {
        requireWritable();
        EntityRef ref = new EntityRef(entry.entity(), entry.tenantId(), entry.entityId());
        Long last = lastVersions.get(ref);
        historyRows.add(entry);
        if (last == null || entry.version() > last) {
            lastVersions.put(ref, entry.version());
        }
        if (undo != null) {
            undo.add(new HistoryAppended(ref, last));
        }
    }

    /** Removes the entries of {@code gone} (compared by identity) from the history; returns how many. */
    int removeHistory(Set<HistoryEntry> gone) {
        requireWritable();
        if (gone.isEmpty()) {
            return 0;
        }
        List<HistoryEntry> before = undo == null ? null : new ArrayList<>(historyRows);
        Map<EntityRef, Long> lastBefore = undo == null ? null : new HashMap<>(lastVersions);
        int size = historyRows.size();
        historyRows.removeIf(gone::contains);
        lastVersions.clear();
        historyRows.forEach(e -> lastVersions.merge(new EntityRef(e.entity(), e.tenantId(), e.entityId()),
                e.version(), Math::max));
        if (undo != null) {
            undo.add(new HistoryPruned(before, lastBefore));
        }
        return size - historyRows.size();
    }

    /** Records a change a write made, told to subscribers when this copy is published; undone with the write. */
    void recordChange(ChangeEvent event) {
        requireWritable();
        recordedChanges.add(event);
        if (undo != null) {
            undo.add(new ChangeRecorded());
        }
    }

    /** The changes recorded since this copy was made, in order. */
    List<ChangeEvent> recordedChanges() {
        return List.copyOf(recordedChanges);
    }

    /** Whether these tables are a private copy of {@code other}, with every write since logged. */
    boolean isCopyOf(Tables other) {
        return other == base && undo != null;
    }

    /** A point of the undo log to {@link #rollbackTo} later. */
    int mark() {
        requireWritable();
        return undo == null ? 0 : undo.size();
    }

    /** Undoes every write made since {@code mark}, newest first. */
    void rollbackTo(int mark) {
        requireWritable();
        for (int i = undo.size() - 1; i >= mark; i--) {
            undo.remove(i).undo(this);
        }
    }

    /**
     * The rows of {@code table} written since {@code mark}, each with the row its key held at the mark (null: none),
     * in the order they were first written.
     */
    <K, V> Map<K, V> touchedSince(int mark, Table<K, V> table) {
        Map<K, V> touched = new LinkedHashMap<>();
        if (undo == null) {
            return touched;
        }
        for (int i = mark; i < undo.size(); i++) {
            if (undo.get(i) instanceof RowWritten<?, ?> write && write.table() == table) {
                @SuppressWarnings("unchecked")
                RowWritten<K, V> row = (RowWritten<K, V>) write;
                if (!touched.containsKey(row.key())) {
                    touched.put(row.key(), row.old());
                }
            }
        }
        return touched;
    }

    /**
     * Makes these tables published: no write is taken any more, and the undo log and the tables they were copied
     * from are let go (a published state must not keep every earlier one alive).
     */
    void publish() {
        writable = false;
        undo = null;
        base = null;
    }

    void requireWritable() {
        if (!writable) {
            throw new IllegalStateException("published tables are never changed; write to a copy");
        }
    }

    /** Called by a table on every write: logs {@code old} when this is a private copy. */
    <K, V> void noteWrite(Table<K, V> table, K key, V old) {
        if (undo != null) {
            undo.add(new RowWritten<>(table, key, old));
        }
    }

    /** These rows, for a journal to write. */
    StorageRows rows() {
        List<StoredKey> keysInOrder = keys.values().stream().sorted(activationOrder()).toList();
        return new StorageRows(List.copyOf(providers.values()), keysInOrder,
                List.copyOf(documents.values()), metadata.asMap(), history, List.copyOf(idempotency.values()));
    }

    /** Whether {@code other} holds exactly these rows (a write that changed nothing need not be journaled). */
    boolean sameRowsAs(Tables other) {
        if (other == base && undo != null) {
            return undo.stream().allMatch(step -> step instanceof RowWritten<?, ?> || step instanceof ChangeRecorded)
                    && unchanged(providers)
                    && unchanged(keys) && unchanged(documents) && unchanged(metadata) && unchanged(idempotency);
        }
        return providers.asMap().equals(other.providers.asMap()) && keys.asMap().equals(other.keys.asMap())
                && documents.asMap().equals(other.documents.asMap())
                && metadata.asMap().equals(other.metadata.asMap()) && history.equals(other.history)
                && idempotency.asMap().equals(other.idempotency.asMap());
    }

    /** Whether every row of {@code table} written since the copy is again what it was then. */
    private <K, V> boolean unchanged(Table<K, V> table) {
        return touchedSince(0, table).entrySet().stream()
                .allMatch(row -> Objects.equals(row.getValue(), table.get(row.getKey())));
    }

    /**
     * What changed from {@code before} to these tables, as change events of {@code origin}: an entity is changed
     * when it is new or its version differs, deleted when it is gone. When these tables are a copy of
     * {@code before}, only the rows written since the copy are compared; every row otherwise.
     */
    List<ChangeEvent> changesSince(Tables before, ChangeOrigin origin) {
        boolean logged = isCopyOf(before);
        List<ChangeEvent> events = new ArrayList<>();
        diff(before.providers, providers, logged, EntityKind.PROVIDER_CONFIG, ProviderConfig::tenantId,
                ProviderConfig::id, ProviderConfig::version, false, origin, events);
        diff(before.keys, keys, logged, EntityKind.API_KEY, key -> key.metadata().tenantId(),
                key -> key.metadata().id(), key -> key.metadata().version(), false, origin, events);
        // Only documents are keyed by a name that can be deleted and created again within one unit of work.
        diff(before.documents, documents, logged, EntityKind.CONFIG_DOCUMENT, ConfigDocument::tenantId,
                ConfigDocument::name, ConfigDocument::revision, true, origin, events);
        return events;
    }

    /**
     * Adds the events of what changed from {@code before} to {@code after}: when {@code logged}, only under the keys
     * of {@code after} written since the copy (in the order they were first written); every row otherwise.
     */
    private <K, V> void diff(Table<K, V> before, Table<K, V> after, boolean logged, EntityKind entity,
                             Function<V, String> tenant, Function<V, String> key, ToLongFunction<V> version,
                             boolean recreatable, ChangeOrigin origin, List<ChangeEvent> events) {
        if (!logged) {
            diff(before.asMap(), after.asMap(), entity, tenant, key, version, recreatable, origin, events);
            return;
        }
        Map<K, V> beforeRows = new LinkedHashMap<>();
        Map<K, V> afterRows = new LinkedHashMap<>();
        for (K touched : touchedSince(0, after).keySet()) {
            V old = before.get(touched);
            if (old != null) {
                beforeRows.put(touched, old);
            }
            V row = after.get(touched);
            if (row != null) {
                afterRows.put(touched, row);
            }
        }
        diff(beforeRows, afterRows, entity, tenant, key, version, recreatable, origin, events);
    }

    private static <K, V> void diff(Map<K, V> before, Map<K, V> after, EntityKind entity,
                                    Function<V, String> tenant, Function<V, String> key, ToLongFunction<V> version,
                                    boolean recreatable, ChangeOrigin origin, List<ChangeEvent> events) {
        after.forEach((k, row) -> {
            V old = before.get(k);
            if (recreatable && old != null && old != row && version.applyAsLong(row) <= version.applyAsLong(old)
                    && !old.equals(row)) { // equal rows read back from a file are not a re-creation
                // Versions only grow, so a new row at the same or a lower version was deleted and created again:
                // tell both, as a database backend would, so that no subscriber keeps the deleted content.
                events.add(ChangeEvent.deleted(entity, tenant.apply(old), key.apply(old), version.applyAsLong(old),
                        origin));
                old = null;
            }
            if (old == null || version.applyAsLong(old) != version.applyAsLong(row)) {
                events.add(ChangeEvent.changed(entity, tenant.apply(row), key.apply(row), version.applyAsLong(row),
                        origin));
            }
        });
        before.forEach((k, old) -> {
            if (!after.containsKey(k)) {
                events.add(ChangeEvent.deleted(entity, tenant.apply(old), key.apply(old), version.applyAsLong(old),
                        origin));
            }
        });
    }

    /** An entity whose history is kept: what {@link #lastVersions} is keyed by. */
    private record EntityRef(EntityKind entity, String tenantId, String id) {
    }

    /** One step of the undo log. */
    private sealed interface Undo permits RowWritten, HistoryAppended, HistoryPruned, ChangeRecorded {
        void undo(Tables tables);
    }

    /** {@code key} of {@code table} held {@code old} (null: no row) before a write. */
    private record RowWritten<K, V>(Table<K, V> table, K key, V old) implements Undo {
        @Override
        public void undo(Tables tables) {
            table.restore(key, old);
        }
    }

    /** An entry of {@code ref} was appended; its last version was {@code last} (null: none). */
    private record HistoryAppended(EntityRef ref, Long last) implements Undo {
        @Override
        public void undo(Tables tables) {
            tables.historyRows.remove(tables.historyRows.size() - 1);
            if (last == null) {
                tables.lastVersions.remove(ref);
            } else {
                tables.lastVersions.put(ref, last);
            }
        }
    }

    /** A change was recorded. */
    private record ChangeRecorded() implements Undo {
        @Override
        public void undo(Tables tables) {
            tables.recordedChanges.remove(tables.recordedChanges.size() - 1);
        }
    }

    /** The history was pruned; it was {@code history}, its last versions {@code lastVersions}. */
    private record HistoryPruned(List<HistoryEntry> history, Map<EntityRef, Long> lastVersions) implements Undo {
        @Override
        public void undo(Tables tables) {
            tables.historyRows.clear();
            tables.historyRows.addAll(history);
            tables.lastVersions.clear();
            tables.lastVersions.putAll(this.lastVersions);
        }
    }
}
