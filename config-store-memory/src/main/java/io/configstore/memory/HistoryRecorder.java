package io.configstore.memory;

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

/**
 * Appends the history entries of one store call to its private copy of the tables: it compares the rows before and
 * after the call, so that every write of the in-memory stores is recorded in one place. A row whose version did not
 * change (a recorded use of a key) is not history.
 */
final class HistoryRecorder {
    private HistoryRecorder() {
    }

    /**
     * Records what changed from {@code before} to {@code after}, each entry of {@code forced} type when it is not
     * null (a rollback), else of the type the change shows.
     */
    static void record(Tables before, Tables after, ChangeContext change, ChangeType forced, Instant now) {
        after.providers.forEach((id, row) -> {
            ProviderConfig old = before.providers.get(id);
            if (old == null || old.version() != row.version()) {
                append(after, EntityKind.PROVIDER_CONFIG, row.tenantId(), id, row.version(),
                        forced != null ? forced : providerChange(old, row), Json.write(EntitySnapshots.provider(row)),
                        change, now);
            }
        });
        before.providers.forEach((id, old) -> {
            if (!after.providers.containsKey(id)) {
                append(after, EntityKind.PROVIDER_CONFIG, old.tenantId(), id, old.version() + 1, ChangeType.DELETE,
                        Json.write(EntitySnapshots.provider(old)), change, now);
            }
        });
        after.keys.forEach((id, row) -> {
            StoredKey old = before.keys.get(id);
            ApiKeyMetadata m = row.metadata();
            if (old == null || old.metadata().version() != m.version()) {
                append(after, EntityKind.API_KEY, m.tenantId(), id, m.version(),
                        forced != null ? forced : keyChange(old, row),
                        Json.write(EntitySnapshots.apiKey(m, row.ciphertext())), change, now);
            }
        });
        before.keys.forEach((id, old) -> {
            if (!after.keys.containsKey(id)) {
                ApiKeyMetadata m = old.metadata();
                // A deletion is no rollback target and is never pruned (an entity's latest entry): no ciphertext.
                append(after, EntityKind.API_KEY, m.tenantId(), id, m.version() + 1, ChangeType.DELETE,
                        Json.write(EntitySnapshots.apiKey(m, null)), change, now);
            }
        });
        after.documents.forEach((key, row) -> {
            ConfigDocument old = before.documents.get(key);
            if (old == null || old.revision() != row.revision()) {
                append(after, EntityKind.CONFIG_DOCUMENT, row.tenantId(), row.name(), row.revision(),
                        forced != null ? forced : old == null ? ChangeType.CREATE : ChangeType.UPDATE,
                        Json.write(EntitySnapshots.document(row)), change, now);
            }
        });
        before.documents.forEach((key, old) -> {
            if (!after.documents.containsKey(key)) {
                append(after, EntityKind.CONFIG_DOCUMENT, old.tenantId(), old.name(), old.revision() + 1,
                        ChangeType.DELETE, Json.write(EntitySnapshots.document(old)), change, now);
            }
        });
    }

    /** The last history version of an entity in {@code tables}, 0 when it has none. */
    static long lastVersion(Tables tables, EntityKind entity, String tenantId, String id) {
        long last = 0;
        for (HistoryEntry entry : tables.history) {
            if (entry.entity() == entity && entry.tenantId().equals(tenantId) && entry.entityId().equals(id)) {
                last = Math.max(last, entry.version());
            }
        }
        return last;
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
        long version = EntitySnapshots.nextVersion(lastVersion(tables, entity, tenantId, id), entityVersion);
        tables.history.add(new HistoryEntry(entity, tenantId, id, version, type, now, change.changedBy(),
                change.reason(), snapshot));
    }
}
