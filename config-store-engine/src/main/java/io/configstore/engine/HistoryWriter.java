package io.configstore.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the history entry and the change event of each write the engine's stores make: the one place where an
 * entry's version, type and snapshot are decided. Entries are written explicitly by each write, never found by
 * comparing rows.
 *
 * <p>A {@link ChangeType#DELETE} entry is at the entity's last version + 1 and holds its last state (an API key's
 * without ciphertext: a deletion is no rollback target and, as an entity's latest entry, is never pruned).
 */
final class HistoryWriter {
    private final StoreRows rows;
    private final ChangeContext change;
    private final Instant now;

    HistoryWriter(StoreRows rows, ChangeContext change, Instant now) {
        this.rows = rows;
        this.change = change;
        this.now = now;
    }

    /** The time of this write: its rows' timestamps and its entries' are the same instant. */
    Instant now() {
        return now;
    }

    /** Records a write of a provider; {@code row} is its state after the write (before it, for a deletion). */
    HistoryEntry provider(ProviderConfig row, ChangeType type) {
        return append(EntityKind.PROVIDER_CONFIG, row.tenantId(), row.id(), row.version(), type,
                EntitySnapshots.provider(row));
    }

    /**
     * Records the creation of providers under fresh random ids, in one append: no earlier history can exist for
     * those ids, so none is looked up.
     */
    void createdProviders(List<ProviderConfig> created) {
        List<HistoryEntry> entries = new ArrayList<>(created.size());
        for (ProviderConfig row : created) {
            entries.add(entry(EntityKind.PROVIDER_CONFIG, row.tenantId(), row.id(), row.version(), ChangeType.CREATE,
                    EntitySnapshots.provider(row)));
        }
        rows.appendHistory(entries);
        for (ProviderConfig row : created) {
            rows.changed(ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, row.tenantId(), row.id(), row.version(),
                    ChangeOrigin.LOCAL));
        }
    }

    /** Records a write of an API key; a deletion's snapshot leaves the ciphertext out. */
    HistoryEntry apiKey(ApiKeyMetadata row, String ciphertext, ChangeType type) {
        return append(EntityKind.API_KEY, row.tenantId(), row.id(), row.version(), type,
                EntitySnapshots.apiKey(row, type == ChangeType.DELETE ? null : ciphertext));
    }

    /** Records the creation of an API key under a fresh random id (no earlier history to look up). */
    void createdApiKey(ApiKeyMetadata row, String ciphertext) {
        rows.appendHistory(List.of(entry(EntityKind.API_KEY, row.tenantId(), row.id(), row.version(),
                ChangeType.CREATE, EntitySnapshots.apiKey(row, ciphertext))));
        rows.changed(ChangeEvent.changed(EntityKind.API_KEY, row.tenantId(), row.id(), row.version(),
                ChangeOrigin.LOCAL));
    }

    /** Records a write of a document. */
    HistoryEntry document(ConfigDocument row, ChangeType type) {
        return append(EntityKind.CONFIG_DOCUMENT, row.tenantId(), row.name(), row.revision(), type,
                EntitySnapshots.document(row));
    }

    /**
     * Appends the entry of one write after the entity's last one, and records its event.
     *
     * @param version the entity's version after the write; for a deletion, its last version
     */
    private HistoryEntry append(EntityKind entity, String tenantId, String id, long version, ChangeType type,
                                ObjectNode snapshot) {
        boolean deletion = type == ChangeType.DELETE;
        long entityVersion = deletion ? version + 1 : version;
        HistoryEntry entry = entry(entity, tenantId, id,
                EntitySnapshots.nextVersion(rows.lastHistoryVersion(entity, tenantId, id), entityVersion), type,
                snapshot);
        rows.appendHistory(List.of(entry));
        rows.changed(deletion ? ChangeEvent.deleted(entity, tenantId, id, version, ChangeOrigin.LOCAL)
                : ChangeEvent.changed(entity, tenantId, id, version, ChangeOrigin.LOCAL));
        return entry;
    }

    private HistoryEntry entry(EntityKind entity, String tenantId, String id, long version, ChangeType type,
                               ObjectNode snapshot) {
        return new HistoryEntry(entity, tenantId, id, version, type, now, change.changedBy(), change.reason(),
                Json.write(snapshot));
    }
}
