package io.configstore.memory;

import io.configstore.change.ChangeEvent;
import io.configstore.change.EntityKind;
import io.configstore.engine.StoreRows;
import io.configstore.engine.StoredKey;
import io.configstore.history.HistoryEntry;
import io.configstore.history.PruneReport;
import io.configstore.history.RetentionPolicy;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.spi.IdempotencyRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link StoreRows} over one {@link Tables}: a writer's private copy (every write logged in its undo log, so that a
 * savepoint rolls back rows, history and recorded changes alike) or, for reads, a published state. Lookups by name,
 * type and default go through the tables' indexes; the rest scans.
 *
 * <p>The storage's write lock makes every check-then-write of the engine safe, so the {@code boolean} results are
 * false only when the engine's own check would already have failed.
 */
final class TablesRows implements StoreRows {
    private final Tables tables;

    TablesRows(Tables tables) {
        this.tables = tables;
    }

    @Override
    public Optional<ProviderConfig> provider(String tenantId, String id) {
        return Optional.ofNullable(tables.providers.get(id)).filter(p -> p.tenantId().equals(tenantId));
    }

    @Override
    public Optional<ProviderConfig> providerNamed(String tenantId, String providerType, String name) {
        return Optional.ofNullable(tables.providerIndex().idOfName(tenantId, providerType, name))
                .map(tables.providers::get);
    }

    @Override
    public Optional<ProviderConfig> defaultProvider(String tenantId, String providerType) {
        return Optional.ofNullable(tables.providerIndex().defaultOf(tenantId, providerType))
                .map(tables.providers::get);
    }

    @Override
    public List<ProviderConfig> providers(String tenantId, String providerType) {
        if (providerType != null) {
            return tables.providerIndex().idsOfType(tenantId, providerType).stream().map(tables.providers::get)
                    .toList();
        }
        return tables.providers.values().stream().filter(p -> p.tenantId().equals(tenantId)).toList();
    }

    @Override
    public List<ProviderConfig> providersNamed(String tenantId, String name) {
        return tables.providers.values().stream()
                .filter(p -> p.tenantId().equals(tenantId) && p.name().equals(name)).toList();
    }

    @Override
    public boolean insertProviders(List<ProviderConfig> rows) {
        for (ProviderConfig row : rows) {
            if (tables.providers.containsKey(row.id())
                    || tables.providerIndex().idOfName(row.tenantId(), row.providerType(), row.name()) != null) {
                return false;
            }
        }
        rows.forEach(row -> tables.providers.put(row.id(), row));
        return true;
    }

    @Override
    public boolean replaceProvider(ProviderConfig row, long expectedVersion) {
        ProviderConfig stored = provider(row.tenantId(), row.id()).orElse(null);
        if (stored == null || stored.version() != expectedVersion) {
            return false;
        }
        String named = tables.providerIndex().idOfName(row.tenantId(), row.providerType(), row.name());
        if (named != null && !named.equals(row.id())) {
            return false;
        }
        tables.providers.put(row.id(), row);
        return true;
    }

    @Override
    public void deleteProvider(String tenantId, String id) {
        if (provider(tenantId, id).isPresent()) {
            tables.providers.remove(id);
        }
    }

    @Override
    public Optional<StoredKey> apiKey(String tenantId, String id) {
        return Optional.ofNullable(tables.keys.get(id)).filter(k -> k.metadata().tenantId().equals(tenantId));
    }

    @Override
    public Optional<StoredKey> apiKeyNamed(String tenantId, String providerType, String keyName) {
        return Optional.ofNullable(tables.keyIndex().idOfName(tenantId, providerType, keyName))
                .map(tables.keys::get);
    }

    @Override
    public List<ApiKeyMetadata> apiKeys(String tenantId, String providerType) {
        return tables.keys.values().stream()
                .filter(k -> k.metadata().tenantId().equals(tenantId)
                        && (providerType == null || k.metadata().providerType().equals(providerType)))
                .sorted(tables.activationOrder()).map(StoredKey::metadata).toList();
    }

    @Override
    public boolean insertApiKey(StoredKey row) {
        ApiKeyMetadata m = row.metadata();
        if (tables.keys.containsKey(m.id())
                || tables.keyIndex().idOfName(m.tenantId(), m.providerType(), m.keyName()) != null) {
            return false;
        }
        tables.keys.put(m.id(), row);
        tables.activated(m.id());
        return true;
    }

    @Override
    public boolean replaceApiKey(StoredKey row, long expectedVersion) {
        ApiKeyMetadata m = row.metadata();
        Optional<StoredKey> stored = apiKey(m.tenantId(), m.id());
        if (stored.isEmpty() || stored.get().metadata().version() != expectedVersion) {
            return false;
        }
        tables.keys.put(m.id(), row);
        tables.activated(m.id());
        return true;
    }

    @Override
    public boolean recordKeyUse(String tenantId, String id, Instant at) {
        Optional<StoredKey> stored = apiKey(tenantId, id);
        if (stored.isEmpty()) {
            return false;
        }
        ApiKeyMetadata m = stored.get().metadata();
        tables.keys.put(id, new StoredKey(new ApiKeyMetadata(m.id(), m.tenantId(), m.providerType(), m.keyName(),
                m.active(), m.version(), m.encryptionKeyId(), m.createdAt(), m.updatedAt(), at, m.changedBy(),
                m.changeReason()), stored.get().ciphertext()));
        return true;
    }

    @Override
    public void deleteApiKey(String tenantId, String id) {
        if (apiKey(tenantId, id).isPresent()) {
            tables.keys.remove(id);
            tables.keyActivations.remove(id);
        }
    }

    @Override
    public Optional<ConfigDocument> document(String tenantId, String name) {
        return Optional.ofNullable(tables.documents.get(new DocumentKey(tenantId, name)));
    }

    @Override
    public List<String> documentNames(String tenantId) {
        return tables.documents.keySet().stream().filter(k -> k.tenantId().equals(tenantId))
                .map(DocumentKey::name).toList();
    }

    @Override
    public boolean writeDocument(ConfigDocument document, long expectedRevision) {
        DocumentKey key = new DocumentKey(document.tenantId(), document.name());
        ConfigDocument stored = tables.documents.get(key);
        long actual = stored == null ? ConfigDocument.NO_REVISION : stored.revision();
        if (actual != expectedRevision) {
            return false;
        }
        tables.documents.put(key, document);
        return true;
    }

    @Override
    public void deleteDocument(String tenantId, String name) {
        tables.documents.remove(new DocumentKey(tenantId, name));
    }

    @Override
    public void appendHistory(List<HistoryEntry> entries) {
        entries.forEach(tables::appendHistory);
    }

    @Override
    public long lastHistoryVersion(EntityKind entity, String tenantId, String entityId) {
        return tables.lastHistoryVersion(entity, tenantId, entityId);
    }

    @Override
    public Optional<HistoryEntry> historyEntry(EntityKind entity, String tenantId, String entityId, long version) {
        return tables.history.stream().filter(e -> e.version() == version && of(e, entity, tenantId, entityId))
                .findFirst();
    }

    @Override
    public List<HistoryEntry> history(EntityKind entity, String tenantId, String entityId) {
        return tables.history.stream().filter(e -> of(e, entity, tenantId, entityId)).toList();
    }

    /** {@inheritDoc} The history is kept in append order; a stable sort by time keeps it within a millisecond. */
    @Override
    public List<HistoryEntry> history(String tenantId, Instant from, Instant to, int offset, int limit) {
        return tables.history.stream()
                .filter(e -> e.tenantId().equals(tenantId) && !e.changedAt().isBefore(from)
                        && e.changedAt().isBefore(to))
                .sorted(Comparator.comparing(HistoryEntry::changedAt))
                .skip(offset)
                .limit(limit)
                .toList();
    }

    @Override
    public PruneReport pruneHistory(RetentionPolicy policy, Instant now) {
        List<HistoryEntry> pruned = policy.prunable(tables.history, now);
        Set<HistoryEntry> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(pruned);
        tables.removeHistory(gone);
        Instant cutoff = policy.idempotencyCutoff(now);
        int records = tables.idempotency.removeIf(r -> r.createdAt().isBefore(cutoff));
        return new PruneReport(pruned.size(), records);
    }

    @Override
    public Optional<IdempotencyRecord> idempotencyRecord(String actor, String key) {
        return Optional.ofNullable(tables.idempotency.get(Tables.idempotencyKey(actor, key)));
    }

    @Override
    public void putIdempotencyRecord(IdempotencyRecord record) {
        tables.idempotency.put(Tables.idempotencyKey(record.actor(), record.key()), record);
    }

    @Override
    public List<String> tenantIds() {
        TreeSet<String> tenants = new TreeSet<>();
        tables.providers.values().forEach(p -> tenants.add(p.tenantId()));
        tables.keys.values().forEach(k -> tenants.add(k.metadata().tenantId()));
        tables.documents.keySet().forEach(d -> tenants.add(d.tenantId()));
        return List.copyOf(tenants);
    }

    @Override
    public void changed(ChangeEvent event) {
        tables.recordChange(event);
    }

    private static boolean of(HistoryEntry e, EntityKind entity, String tenantId, String entityId) {
        return e.entity() == entity && e.tenantId().equals(tenantId) && e.entityId().equals(entityId);
    }
}
