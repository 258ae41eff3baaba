package io.configstore.memory;

import io.configstore.engine.StoredKey;
import io.configstore.change.EntityKind;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeHistory;
import io.configstore.history.ChangeType;
import io.configstore.history.EntitySnapshots;
import io.configstore.history.HistoryEntry;
import io.configstore.idempotency.IdempotentWrites;
import io.configstore.idempotency.Requests;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** {@link ChangeHistory} of one tenant over an {@link InMemoryStoreSet}: the entries kept in its tables. */
final class InMemoryHistory implements ChangeHistory {
    private final InMemoryStoreSet set;
    private final String tenantId;

    InMemoryHistory(InMemoryStoreSet set, String tenantId) {
        this.set = set;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public List<HistoryEntry> list(EntityKind entity, String id) {
        EntitySnapshots.requireEntityId(entity, id);
        return set.read().history.stream()
                .filter(e -> e.entity() == entity && e.tenantId().equals(tenantId) && e.entityId().equals(id))
                .sorted(Comparator.comparingLong(HistoryEntry::version))
                .map(EntitySnapshots::withoutCiphertext)
                .toList();
    }

    @Override
    public List<HistoryEntry> list(Instant from, Instant to, int offset, int limit) {
        ChangeHistory.requireValidPage(from, to, offset, limit);
        // The list is in write order; a stable sort by time keeps that order within one millisecond.
        return set.read().history.stream()
                .filter(e -> e.tenantId().equals(tenantId) && !e.changedAt().isBefore(from)
                        && e.changedAt().isBefore(to))
                .sorted(Comparator.comparing(HistoryEntry::changedAt))
                .skip(offset)
                .limit(limit)
                .map(EntitySnapshots::withoutCiphertext)
                .toList();
    }

    @Override
    public HistoryEntry rollback(EntityKind entity, String id, long toVersion, ChangeContext change) {
        EntitySnapshots.requireEntityId(entity, id);
        Arguments.requireVersion("toVersion", toVersion);
        Arguments.requireNonNull("change", change);
        return set.write(tables -> IdempotentWrites.run(InMemoryStoreSet.ledger(tables), change,
                Requests.rollback(tenantId, entity, id, toVersion), IdempotentWrites.HISTORY_ENTRY, set.now(), () -> {
                    HistoryEntry target = tables.history.stream()
                            .filter(e -> e.entity() == entity && e.tenantId().equals(tenantId)
                                    && e.entityId().equals(id) && e.version() == toVersion)
                            .findFirst()
                            .orElseThrow(() -> new NotFoundException("history version " + toVersion + " of "
                                    + entity, tenantId, id));
                    if (target.changeType() == ChangeType.DELETE) {
                        throw new ValidationException("version " + toVersion + " of " + entity + " '" + id
                                + "' is its deletion; roll back to a version before it (or delete it)");
                    }
                    set.recorded(tables, change, ChangeType.ROLLBACK, () -> {
                        restore(tables, target, change);
                        return null;
                    });
                    long last = tables.lastHistoryVersion(entity, tenantId, id);
                    return EntitySnapshots.withoutCiphertext(tables.history.stream().filter(e -> e.entity() == entity
                            && e.tenantId().equals(tenantId) && e.entityId().equals(id) && e.version() == last)
                            .findFirst().orElseThrow(() -> new io.configstore.error.StorageException("the history"
                                    + " entry of the rollback of " + entity + " '" + id + "' (version " + last
                                    + ") is missing right after it was written: list the history and retry")));
                }));
    }

    private void restore(Tables tables, HistoryEntry target, ChangeContext change) {
        Instant now = set.now();
        switch (target.entity()) {
            case PROVIDER_CONFIG -> {
                ProviderConfig snapshot = EntitySnapshots.toProvider(target.snapshotJson());
                ProviderConfig current = tables.providers.get(snapshot.id());
                String named = tables.providerIndex().idOfName(tenantId, snapshot.providerType(), snapshot.name());
                boolean clash = named != null && !named.equals(snapshot.id());
                if (clash) {
                    throw new DuplicateException("provider type '" + snapshot.providerType() + "' now has another"
                            + " provider named '" + snapshot.name() + "' in tenant '" + tenantId + "'; rename or"
                            + " delete it, then roll back again");
                }
                boolean noDefault = tables.providerIndex().defaultOf(tenantId, snapshot.providerType()) == null;
                long version = current != null ? current.version() + 1
                        : tables.lastHistoryVersion(EntityKind.PROVIDER_CONFIG, tenantId, snapshot.id()) + 1;
                tables.providers.put(snapshot.id(), EntitySnapshots.restoredProvider(snapshot, current, noDefault,
                        version, now, change));
            }
            case API_KEY -> {
                ApiKeyMetadata snapshot = EntitySnapshots.toApiKey(target.snapshotJson());
                String ciphertext = EntitySnapshots.ciphertextOf(target.snapshotJson());
                EntitySnapshots.requireRestorable(set.cipher(), snapshot, ciphertext);
                StoredKey current = tables.keys.get(snapshot.id());
                boolean clash = current == null
                        && tables.keyIndex().idOfName(tenantId, snapshot.providerType(), snapshot.keyName()) != null;
                if (clash) {
                    throw new DuplicateException("provider type '" + snapshot.providerType() + "' now has another"
                            + " API key named '" + snapshot.keyName() + "' in tenant '" + tenantId + "'; delete it,"
                            + " then roll back again");
                }
                long version = current != null ? current.metadata().version() + 1
                        : tables.lastHistoryVersion(EntityKind.API_KEY, tenantId, snapshot.id()) + 1;
                tables.keys.put(snapshot.id(), new StoredKey(EntitySnapshots.restoredApiKey(snapshot,
                        current == null ? null : current.metadata(), version, now, change), ciphertext));
            }
            case CONFIG_DOCUMENT -> {
                ConfigDocument snapshot = EntitySnapshots.toDocument(target.snapshotJson());
                DocumentKey key = new DocumentKey(tenantId, snapshot.name());
                ConfigDocument current = tables.documents.get(key);
                long revision = current != null ? current.revision() + 1
                        : tables.lastHistoryVersion(EntityKind.CONFIG_DOCUMENT, tenantId, snapshot.name())
                        + 1;
                tables.documents.put(key, EntitySnapshots.restoredDocument(snapshot, revision, now, change));
            }
        }
    }

    @Override
    public String toString() {
        return "ChangeHistory[" + tenantId + "]";
    }
}
