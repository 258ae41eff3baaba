package io.configstore.memory;

import io.configstore.crypto.KeyChecks;
import io.configstore.crypto.SecretBinding;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.store.RewrapReport;
import io.configstore.store.SecretMaintenance;
import io.configstore.store.StoreMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link SecretMaintenance} over the keys of every tenant in one storage, with the database backends' semantics. */
final class InMemorySecretMaintenance implements SecretMaintenance {
    /** Largest accepted rewrap batch, as in the database backends. */
    static final int MAX_BATCH = 10_000;
    private static final int MAX_IDLE_BATCHES = 10;
    private static final Comparator<StoredKey> ROW_ORDER = Comparator
            .comparing((StoredKey key) -> key.metadata().tenantId())
            .thenComparing(key -> key.metadata().id());

    private final InMemoryStoreSet set;
    private final StoreMetadata metadata;

    InMemorySecretMaintenance(InMemoryStoreSet set, StoreMetadata metadata) {
        this.set = set;
        this.metadata = metadata;
    }

    @Override
    public Map<String, Long> countByKeyId() {
        Map<String, Long> counts = new TreeMap<>();
        for (StoredKey key : set.read().keys.values()) {
            counts.merge(key.metadata().encryptionKeyId(), 1L, Long::sum);
        }
        return Map.copyOf(counts);
    }

    @Override
    public RewrapReport rewrap(int batchSize, RewrapProgress progress, ChangeContext change) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new ValidationException("batchSize must be between 1 and " + MAX_BATCH + ", was " + batchSize);
        }
        Arguments.requireNonNull("progress", progress);
        Arguments.requireNonNull("change", change);
        String primary = set.cipher().primaryKeyId();
        long rewrapped = 0;
        int batches = 0;
        int idleBatches = 0;
        while (true) {
            List<StoredKey> batch = set.read().keys.values().stream()
                    .filter(key -> !key.metadata().encryptionKeyId().equals(primary))
                    .sorted(ROW_ORDER)
                    .limit(batchSize)
                    .toList();
            if (batch.isEmpty()) {
                break;
            }
            List<String> values = new ArrayList<>(batch.size());
            for (StoredKey key : batch) {
                values.add(set.cipher().rewrap(key.ciphertext(), binding(key.metadata())));
            }
            int written = set.write(tables -> {
                int count = 0;
                for (int i = 0; i < batch.size(); i++) {
                    ApiKeyMetadata read = batch.get(i).metadata();
                    StoredKey current = tables.keys.get(read.id());
                    if (current == null || current.metadata().version() != read.version()) {
                        continue;
                    }
                    ApiKeyMetadata m = current.metadata();
                    // updatedAt stays: the secret did not change, and findActive orders by it.
                    tables.keys.put(read.id(), new StoredKey(new ApiKeyMetadata(m.id(), m.tenantId(),
                            m.providerType(), m.keyName(), m.active(), m.version() + 1, primary, m.createdAt(),
                            m.updatedAt(), m.lastUsedAt(), change.changedBy(), change.reason()), values.get(i)));
                    count++;
                }
                return count;
            });
            rewrapped += written;
            batches++;
            idleBatches = written == 0 ? idleBatches + 1 : 0;
            if (idleBatches >= MAX_IDLE_BATCHES) {
                throw new StorageException("rewrap made no progress in " + MAX_IDLE_BATCHES + " batches in a row: the"
                        + " rows keep changing concurrently; run it again when writes are quieter");
            }
            progress.onBatch(report(primary, rewrapped, batches));
        }
        return report(primary, rewrapped, batches);
    }

    @Override
    public void removeKey(String keyId) {
        Arguments.requireNonNull("keyId", keyId);
        long needing = countByKeyId().getOrDefault(keyId, 0L);
        if (needing > 0) {
            throw new ValidationException(needing + " stored secret(s) are still encrypted with master key '" + keyId
                    + "'; run secrets().rewrap(...) so that they move to the primary key, then remove it");
        }
        set.cipher().removeKey(keyId);
        KeyChecks.forget(keyId, metadata);
    }

    private static SecretBinding binding(ApiKeyMetadata key) {
        return new SecretBinding(key.tenantId(), key.providerType(), key.keyName(), key.id());
    }

    private RewrapReport report(String primary, long rewrapped, int batches) {
        Map<String, Long> remaining = new TreeMap<>(countByKeyId());
        remaining.remove(primary);
        return new RewrapReport(primary, rewrapped, batches, remaining);
    }
}
