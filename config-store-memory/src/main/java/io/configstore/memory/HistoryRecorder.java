package io.configstore.memory;

import io.configstore.engine.StoredKey;
import io.configstore.change.EntityKind;
import io.configstore.history.ChangeType;
import io.configstore.history.EntitySnapshots;
import io.configstore.history.HistoryEntry;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import java.time.Instant;
import java.util.Map;

/**
 * Appends the history entries of one store call to its private copy of the tables: it compares each row the call
 * wrote (as the tables' undo log tells them) with the row it replaced, so that every write of the in-memory stores is
 * recorded in one place, at a cost of the rows the call touched. A row whose version did not change (a recorded use of
 * a key) is not history.
 */
final class HistoryRecorder {
    private HistoryRecorder() {
    }

    /**
     * Records what changed in {@code tables} since {@code mark}, each entry of {@code forced} type when it is not
     * null (a rollback), else of the type the change shows.
     */
    static void record(Tables tables, int mark, ChangeContext change, ChangeType forced, Instant now) {
        Map<String, ProviderConfig> providers = tables.touchedSince(mark, tables.providers);
        Map<String, StoredKey> keys = tables.touchedSince(mark, tables.keys);
        Map<DocumentKey, ConfigDocument> documents = tables.touchedSince(mark, tables.documents);
        providers.forEach((id, old) -> {
            ProviderConfig row = tables.providers.get(id);
            if (row != null && (old == null || old.version() != row.version())) {
                append(tables, EntityKind.PROVIDER_CONFIG, row.tenantId(), id, row.version(),
                        forced != null ? forced : providerChange(old, row), Json.write(EntitySnapshots.provider(row)),
                        change, now);
            }
        });
        providers.forEach((id, old) -> {
            if (old != null && !tables.providers.containsKey(id)) {
                append(tables, EntityKind.PROVIDER_CONFIG, old.tenantId(), id, old.version() + 1, ChangeType.DELETE,
                        Json.write(EntitySnapshots.provider(old)), change, now);
            }
        });
        keys.forEach((id, old) -> {
            StoredKey row = tables.keys.get(id);
            if (row != null && (old == null || old.metadata().version() != row.metadata().version())) {
                ApiKeyMetadata m = row.metadata();
                append(tables, EntityKind.API_KEY, m.tenantId(), id, m.version(),
                        forced != null ? forced : keyChange(old, row),
                        Json.write(EntitySnapshots.apiKey(m, row.ciphertext())), change, now);
            }
        });
        keys.forEach((id, old) -> {
            if (old != null && !tables.keys.containsKey(id)) {
                ApiKeyMetadata m = old.metadata();
                // A deletion is no rollback target and is never pruned (an entity's latest entry): no ciphertext.
                append(tables, EntityKind.API_KEY, m.tenantId(), id, m.version() + 1, ChangeType.DELETE,
                        Json.write(EntitySnapshots.apiKey(m, null)), change, now);
            }
        });
        documents.forEach((key, old) -> {
            ConfigDocument row = tables.documents.get(key);
            if (row != null && (old == null || old.revision() != row.revision())) {
                append(tables, EntityKind.CONFIG_DOCUMENT, row.tenantId(), row.name(), row.revision(),
                        forced != null ? forced : old == null ? ChangeType.CREATE : ChangeType.UPDATE,
                        Json.write(EntitySnapshots.document(row)), change, now);
            }
        });
        documents.forEach((key, old) -> {
            if (old != null && !tables.documents.containsKey(key)) {
                append(tables, EntityKind.CONFIG_DOCUMENT, old.tenantId(), old.name(), old.revision() + 1,
                        ChangeType.DELETE, Json.write(EntitySnapshots.document(old)), change, now);
            }
        });
    }

    private static ChangeType providerChange(ProviderConfig old, ProviderConfig row) {
        if (old == null) {
            return ChangeType.CREATE;
        }
        if (old.isDefault() != row.isDefault()) {
            return ChangeType.DEFAULT_CHANGE;
        }
        if (old.enabled() != row.enabled() && old.name().equals(row.name())
                && old.settings().equals(row.settings()) && old.priority() == row.priority()) {
            return row.enabled() ? ChangeType.ENABLE : ChangeType.DISABLE;
        }
        return ChangeType.UPDATE;
    }

    private static ChangeType keyChange(StoredKey old, StoredKey row) {
        if (old == null) {
            return ChangeType.CREATE;
        }
        if (!old.ciphertext().equals(row.ciphertext())) {
            return ChangeType.KEY_ROTATION;
        }
        if (old.metadata().active() != row.metadata().active()) {
            return row.metadata().active() ? ChangeType.ENABLE : ChangeType.DISABLE;
        }
        return ChangeType.UPDATE;
    }

    private static void append(Tables tables, EntityKind entity, String tenantId, String id, long entityVersion,
                               ChangeType type, String snapshot, ChangeContext change, Instant now) {
        long version = EntitySnapshots.nextVersion(tables.lastHistoryVersion(entity, tenantId, id), entityVersion);
        tables.appendHistory(new HistoryEntry(entity, tenantId, id, version, type, now, change.changedBy(),
                change.reason(), snapshot));
    }
}
