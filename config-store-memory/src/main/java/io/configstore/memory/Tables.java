package io.configstore.memory;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.history.HistoryEntry;
import io.configstore.idempotency.IdempotencyRecord;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The rows of one in-memory storage. A Tables is filled while it is private to one writer and never changed once
 * another thread or a later write can see it: every write copies, changes the copy and publishes it, so readers need
 * no lock.
 */
final class Tables {
    /** Provider configurations of every tenant, by id. */
    final Map<String, ProviderConfig> providers;
    /** API keys of every tenant, by id. */
    final Map<String, StoredKey> keys;
    /** Configuration documents of every tenant, by (tenant, name). */
    final Map<DocumentKey, ConfigDocument> documents;
    /** What the store keeps about itself (key-check values, key-derivation parameters), by name. */
    final Map<String, String> metadata;
    /** The change history of every tenant, in the order it was written. */
    final List<HistoryEntry> history;
    /** Idempotency records, by {@link #idempotencyKey(String, String)}. */
    final Map<String, IdempotencyRecord> idempotency;

    private Tables(Map<String, ProviderConfig> providers, Map<String, StoredKey> keys,
                   Map<DocumentKey, ConfigDocument> documents, Map<String, String> metadata,
                   List<HistoryEntry> history, Map<String, IdempotencyRecord> idempotency) {
        this.providers = providers;
        this.keys = keys;
        this.documents = documents;
        this.metadata = metadata;
        this.history = history;
        this.idempotency = idempotency;
    }

    /** Empty tables, for a new storage. */
    static Tables empty() {
        return new Tables(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new ArrayList<>(),
                new HashMap<>());
    }

    /** The key of an idempotency record: keys are scoped by actor. */
    static String idempotencyKey(String actor, String key) {
        return actor + "\u0000" + key;
    }

    /** Tables holding {@code rows}, as a journal loaded them. */
    static Tables of(StorageRows rows) {
        Tables tables = empty();
        rows.providers().forEach(p -> tables.providers.put(p.id(), p));
        rows.apiKeys().forEach(k -> tables.keys.put(k.metadata().id(), k));
        rows.documents().forEach(d -> tables.documents.put(new DocumentKey(d.tenantId(), d.name()), d));
        tables.metadata.putAll(rows.metadata());
        tables.history.addAll(rows.history());
        rows.idempotency().forEach(r -> tables.idempotency.put(idempotencyKey(r.actor(), r.key()), r));
        return tables;
    }

    /** These rows, for a journal to write. */
    StorageRows rows() {
        return new StorageRows(List.copyOf(providers.values()), List.copyOf(keys.values()),
                List.copyOf(documents.values()), metadata, history, List.copyOf(idempotency.values()));
    }

    /** Whether {@code other} holds exactly these rows (a write that changed nothing need not be journaled). */
    boolean sameRowsAs(Tables other) {
        return providers.equals(other.providers) && keys.equals(other.keys) && documents.equals(other.documents)
                && metadata.equals(other.metadata) && history.equals(other.history)
                && idempotency.equals(other.idempotency);
    }

    /**
     * What changed from {@code before} to these tables, as change events of {@code origin}: an entity is changed
     * when it is new or its version differs, deleted when it is gone.
     */
    List<ChangeEvent> changesSince(Tables before, ChangeOrigin origin) {
        List<ChangeEvent> events = new ArrayList<>();
        diff(before.providers, providers, EntityKind.PROVIDER_CONFIG, ProviderConfig::tenantId, ProviderConfig::id,
                ProviderConfig::version, false, origin, events);
        diff(before.keys, keys, EntityKind.API_KEY, key -> key.metadata().tenantId(), key -> key.metadata().id(),
                key -> key.metadata().version(), false, origin, events);
        // Only documents are keyed by a name that can be deleted and created again within one unit of work.
        diff(before.documents, documents, EntityKind.CONFIG_DOCUMENT, ConfigDocument::tenantId, ConfigDocument::name,
                ConfigDocument::revision, true, origin, events);
        return events;
    }

    private static <K, V> void diff(Map<K, V> before, Map<K, V> after, EntityKind entity,
                                    Function<V, String> tenant, Function<V, String> key, ToLongFunction<V> version,
                                    boolean recreatable, ChangeOrigin origin, List<ChangeEvent> events) {
        if (before == after) {
            return;
        }
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

    /** A private copy to change; the rows themselves are immutable and shared. */
    Tables copy() {
        return new Tables(new HashMap<>(providers), new HashMap<>(keys), new HashMap<>(documents),
                new HashMap<>(metadata), new ArrayList<>(history), new HashMap<>(idempotency));
    }
}
