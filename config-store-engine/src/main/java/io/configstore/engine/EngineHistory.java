package io.configstore.engine;

import io.configstore.change.EntityKind;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.history.ChangeHistory;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.Arguments;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link ChangeHistory} of one tenant over {@link StoreRows}. Listings never show ciphertext; a rollback writes the
 * entity back as an entry holds it, recorded as a {@link ChangeType#ROLLBACK} entry.
 */
final class EngineHistory implements ChangeHistory {
    private final Engine engine;
    private final String tenantId;

    EngineHistory(Engine engine, String tenantId) {
        this.engine = engine;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public List<HistoryEntry> list(EntityKind entity, String id) {
        EntitySnapshots.requireEntityId(entity, id);
        return engine.storage().read("listing the history of " + entity + " '" + id + "'",
                rows -> rows.history(entity, tenantId, id).stream()
                        .sorted(Comparator.comparingLong(HistoryEntry::version))
                        .map(EntitySnapshots::withoutCiphertext)
                        .toList());
    }

    @Override
    public List<HistoryEntry> list(Instant from, Instant to, int offset, int limit) {
        ChangeHistory.requireValidPage(from, to, offset, limit);
        return engine.storage().read("listing the history of tenant '" + tenantId + "'",
                rows -> rows.history(tenantId, from, to, offset, limit).stream()
                        .map(EntitySnapshots::withoutCiphertext)
                        .toList());
    }

    @Override
    public HistoryEntry rollback(EntityKind entity, String id, long toVersion, ChangeContext change) {
        EntitySnapshots.requireEntityId(entity, id);
        Arguments.requireVersion("toVersion", toVersion);
        Arguments.requireNonNull("change", change);
        return engine.write("rolling back " + entity + " '" + id + "' to version " + toVersion, change,
                Requests.rollback(tenantId, entity, id, toVersion), IdempotentWrites.HISTORY_ENTRY, rows -> {
            HistoryEntry target = rows.historyEntry(entity, tenantId, id, toVersion)
                    .orElseThrow(() -> new NotFoundException("history version " + toVersion + " of " + entity,
                            tenantId, id));
            if (target.changeType() == ChangeType.DELETE) {
                throw new ValidationException("version " + toVersion + " of " + entity + " '" + id + "' is its"
                        + " deletion; roll back to a version before it (or delete it)");
            }
            HistoryWriter history = new HistoryWriter(rows, change, engine.now());
            HistoryEntry written = switch (entity) {
                case PROVIDER_CONFIG -> restoreProvider(rows, history,
                        EntitySnapshots.toProvider(target.snapshotJson()), change);
                case API_KEY -> restoreApiKey(rows, history, target, change);
                case CONFIG_DOCUMENT -> restoreDocument(rows, history,
                        EntitySnapshots.toDocument(target.snapshotJson()), change);
            };
            return EntitySnapshots.withoutCiphertext(written);
        });
    }

    /**
     * Puts the provider back as {@code snapshot} holds it: its name, settings, enabled flag and priority over the
     * current row (keeping its default flag), or the whole row again when it was deleted (the default when its type
     * has none).
     */
    private HistoryEntry restoreProvider(StoreRows rows, HistoryWriter history, ProviderConfig snapshot,
                                         ChangeContext change) {
        Optional<ProviderConfig> current = rows.provider(tenantId, snapshot.id());
        Optional<ProviderConfig> named = rows.providerNamed(tenantId, snapshot.providerType(), snapshot.name());
        if (named.isPresent() && !named.get().id().equals(snapshot.id())) {
            throw new DuplicateException("provider type '" + snapshot.providerType() + "' now has another provider"
                    + " named '" + snapshot.name() + "' in tenant '" + tenantId + "'; rename or delete it, then roll"
                    + " back again");
        }
        boolean noDefault = rows.defaultProvider(tenantId, snapshot.providerType()).isEmpty();
        long version = current.isPresent() ? current.get().version() + 1
                : rows.lastHistoryVersion(EntityKind.PROVIDER_CONFIG, tenantId, snapshot.id()) + 1;
        ProviderConfig restored = EntitySnapshots.restoredProvider(snapshot, current.orElse(null), noDefault,
                version, history.now(), change);
        boolean written = current.isPresent() ? rows.replaceProvider(restored, current.get().version())
                : rows.insertProviders(List.of(restored));
        if (!written) {
            throw changedMeanwhile(EntityKind.PROVIDER_CONFIG, snapshot.id());
        }
        return history.provider(restored, ChangeType.ROLLBACK);
    }

    /**
     * Puts the key back as the entry holds it: its ciphertext exactly as stored then, and its active flag; the whole
     * row again when it was deleted. The ciphertext is decrypted first (and the result dropped) to prove that its
     * master key is still configured.
     */
    private HistoryEntry restoreApiKey(StoreRows rows, HistoryWriter history, HistoryEntry target,
                                       ChangeContext change) {
        ApiKeyMetadata snapshot = EntitySnapshots.toApiKey(target.snapshotJson());
        String ciphertext = EntitySnapshots.ciphertextOf(target.snapshotJson());
        EntitySnapshots.requireRestorable(engine.cipher(), snapshot, ciphertext);
        Optional<StoredKey> current = rows.apiKey(tenantId, snapshot.id());
        if (current.isEmpty() && rows.apiKeyNamed(tenantId, snapshot.providerType(), snapshot.keyName()).isPresent()) {
            throw new DuplicateException("provider type '" + snapshot.providerType() + "' now has another API key"
                    + " named '" + snapshot.keyName() + "' in tenant '" + tenantId + "'; delete it, then roll back"
                    + " again");
        }
        long version = current.isPresent() ? current.get().metadata().version() + 1
                : rows.lastHistoryVersion(EntityKind.API_KEY, tenantId, snapshot.id()) + 1;
        ApiKeyMetadata restored = EntitySnapshots.restoredApiKey(snapshot,
                current.map(StoredKey::metadata).orElse(null), version, history.now(), change);
        StoredKey row = new StoredKey(restored, ciphertext);
        boolean written = current.isPresent() ? rows.replaceApiKey(row, current.get().metadata().version())
                : rows.insertApiKey(row);
        if (!written) {
            throw changedMeanwhile(EntityKind.API_KEY, snapshot.id());
        }
        return history.apiKey(restored, ciphertext, ChangeType.ROLLBACK);
    }

    /** Puts the document back as {@code snapshot} holds it (content and format version); again when deleted. */
    private HistoryEntry restoreDocument(StoreRows rows, HistoryWriter history, ConfigDocument snapshot,
                                         ChangeContext change) {
        Optional<ConfigDocument> current = rows.document(tenantId, snapshot.name());
        long expected = current.map(ConfigDocument::revision).orElse(ConfigDocument.NO_REVISION);
        long revision = current.isPresent() ? expected + 1
                : rows.lastHistoryVersion(EntityKind.CONFIG_DOCUMENT, tenantId, snapshot.name()) + 1;
        ConfigDocument restored = EntitySnapshots.restoredDocument(snapshot, revision, history.now(), change);
        if (!rows.writeDocument(restored, expected)) {
            throw changedMeanwhile(EntityKind.CONFIG_DOCUMENT, snapshot.name());
        }
        return history.document(restored, ChangeType.ROLLBACK);
    }

    private static VersionConflictException changedMeanwhile(EntityKind entity, String id) {
        return new VersionConflictException(entity + " '" + id + "' was changed by another writer while it was"
                + " rolled back; nothing was written: list its history and roll back again");
    }

    @Override
    public String toString() {
        return "ChangeHistory[" + tenantId + "]";
    }
}
