package io.configstore.memory;

import io.configstore.crypto.SecretCipher;
import io.configstore.engine.StoredKey;
import io.configstore.history.HistoryEntry;
import io.configstore.memory.spi.ExternalChange;
import io.configstore.memory.spi.StorageJournal;
import io.configstore.memory.spi.StorageRows;
import io.configstore.spi.IdempotencyRecord;
import io.configstore.store.StoreSet;
import io.configstore.testkit.StoreBackend;
import io.configstore.testkit.StoreContractKit;
import io.configstore.testkit.StoreLocation;

/** The whole contract kit on the in-memory backend: each location is a fresh {@link InMemoryStorage}. */
class InMemoryContractTest implements StoreContractKit {
    @Override
    public StoreBackend backend() {
        return () -> {
            // A journal that only keeps the last committed rows, so that the kit can read the records as stored.
            java.util.concurrent.atomic.AtomicReference<StorageRows> committed =
                    new java.util.concurrent.atomic.AtomicReference<>(StorageRows.empty());
            // Rows changed underneath the storage (a test's edit), handed to it as an outside change on next read.
            java.util.concurrent.atomic.AtomicReference<StorageRows> edited =
                    new java.util.concurrent.atomic.AtomicReference<>();
            InMemoryStorage storage = new InMemoryStorage(StorageRows.empty(), new StorageJournal() {
                @Override
                public boolean changedOutside() {
                    return edited.get() != null;
                }

                @Override
                public java.util.Optional<ExternalChange> reload() {
                    StorageRows rows = edited.getAndSet(null);
                    if (rows == null) {
                        return java.util.Optional.empty();
                    }
                    committed.set(rows);
                    return java.util.Optional.of(ExternalChange.diffed(rows));
                }

                @Override
                public java.util.Optional<ExternalChange> beginWrite() {
                    return java.util.Optional.empty();
                }

                @Override
                public void commit(StorageRows rows, java.util.List<io.configstore.change.ChangeEvent> changes) {
                    committed.set(rows);
                }

                @Override
                public void endWrite() {
                    // No lock to release.
                }
            });
            return new StoreLocation() {
                @Override
                public StoreSet open(SecretCipher cipher) {
                    return InMemoryStoreSet.builder().storage(storage).cipher(cipher).open();
                }

                @Override
                public String storedHistory() {
                    StringBuilder text = new StringBuilder();
                    for (HistoryEntry entry : committed.get().history()) {
                        text.append(entry.entityId()).append(' ').append(entry.version()).append(' ')
                                .append(entry.changeType()).append(' ').append(entry.snapshot()).append('\n');
                    }
                    return text.toString();
                }

                @Override
                public String storedIdempotencyRecords() {
                    StringBuilder text = new StringBuilder();
                    for (IdempotencyRecord record : committed.get().idempotency()) {
                        text.append(record.actor()).append(' ').append(record.key()).append(' ')
                                .append(record.fingerprint()).append(' ').append(record.result()).append('\n');
                    }
                    return text.toString();
                }

                @Override
                public void relabelStoredKeyIds(String keyId) {
                    StorageRows rows = committed.get();
                    java.util.List<io.configstore.engine.StoredKey> keys = rows.apiKeys().stream().map(k -> {
                        io.configstore.model.ApiKeyMetadata m = k.metadata();
                        return new io.configstore.engine.StoredKey(new io.configstore.model.ApiKeyMetadata(m.id(),
                                m.tenantId(), m.providerType(), m.keyName(), m.active(), m.version(), keyId,
                                m.createdAt(), m.updatedAt(), m.lastUsedAt(), m.changedBy(), m.changeReason()),
                                k.ciphertext());
                    }).toList();
                    edited.set(new StorageRows(rows.providers(), keys, rows.documents(), rows.metadata(),
                            rows.history(), rows.idempotency()));
                }

                @Override
                public void close() {
                    // Nothing to delete: the storage is garbage once no store set refers to it.
                }
            };
        };
    }
}
