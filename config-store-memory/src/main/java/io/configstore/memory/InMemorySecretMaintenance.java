package io.configstore.memory;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.crypto.SecretBinding;
import io.configstore.crypto.StoreMetadata;
import io.configstore.engine.BatchedSecretMaintenance;
import io.configstore.engine.StoredKey;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import java.util.Comparator;
import java.util.List;

/** Secret maintenance over the keys of every tenant in one storage, with the database backends' semantics. */
final class InMemorySecretMaintenance extends BatchedSecretMaintenance {
    private static final Comparator<StoredKey> ROW_ORDER = Comparator
            .comparing((StoredKey key) -> key.metadata().tenantId())
            .thenComparing(key -> key.metadata().id());

    private final InMemoryStoreSet set;

    InMemorySecretMaintenance(InMemoryStoreSet set, StoreMetadata metadata) {
        super(set.cipher(), metadata);
        this.set = set;
    }

    @Override
    protected List<StoredSecret> secretsAfter(SecretBinding after, int limit) {
        return set.read().keys.values().stream()
                .filter(key -> after == null || compareRow(key.metadata(), after) > 0)
                .sorted(ROW_ORDER)
                .limit(limit)
                .map(key -> new StoredSecret(binding(key.metadata()), key.ciphertext(), key.metadata().version()))
                .toList();
    }

    private static int compareRow(ApiKeyMetadata key, SecretBinding row) {
        int tenant = key.tenantId().compareTo(row.tenantId());
        return tenant != 0 ? tenant : key.id().compareTo(row.rowId());
    }

    @Override
    protected int writeRewrapped(List<StoredSecret> read, List<String> ciphertexts, String keyId,
                                 ChangeContext change) {
        return set.write(tables -> {
            int written = 0;
            for (int i = 0; i < read.size(); i++) {
                StoredSecret secret = read.get(i);
                StoredKey current = tables.keys.get(secret.binding().rowId());
                if (current == null || current.metadata().version() != secret.version()) {
                    continue;
                }
                ApiKeyMetadata m = current.metadata();
                // updatedAt stays: the secret did not change, and findActive orders by it.
                tables.keys.put(m.id(), new StoredKey(new ApiKeyMetadata(m.id(), m.tenantId(), m.providerType(),
                        m.keyName(), m.active(), m.version() + 1, keyId, m.createdAt(), m.updatedAt(),
                        m.lastUsedAt(), change.changedBy(), change.reason()), ciphertexts.get(i)));
                tables.recordChange(ChangeEvent.changed(EntityKind.API_KEY, m.tenantId(), m.id(), m.version() + 1,
                        ChangeOrigin.LOCAL));
                written++;
            }
            return written;
        });
    }

    private static SecretBinding binding(ApiKeyMetadata key) {
        return new SecretBinding(key.tenantId(), key.providerType(), key.keyName(), key.id());
    }
}
