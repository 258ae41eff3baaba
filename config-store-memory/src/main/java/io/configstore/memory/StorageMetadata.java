package io.configstore.memory;

import io.configstore.crypto.StoreMetadata;
import io.configstore.internal.Arguments;
import java.util.Optional;

/**
 * {@link StoreMetadata} read and written straight on a storage, before any store set is open on it: what a
 * {@link io.configstore.crypto.CipherSource} resolves the cipher against (a password's key-derivation parameters are
 * kept there). Each write is a commit of its own, made through the storage's journal like every other write.
 */
final class StorageMetadata implements StoreMetadata {
    private final InMemoryStorage storage;

    StorageMetadata(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public Optional<String> get(String name) {
        Arguments.requireName("name", name);
        return Optional.ofNullable(storage.committed().metadata.get(name));
    }

    @Override
    public String putIfAbsent(String name, String value) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("value", value);
        storage.lockForWriting();
        try {
            // Read under the lock: another process may have stored its value first, and that one wins.
            Tables next = storage.committed().copy();
            String present = next.metadata.putIfAbsent(name, value);
            if (present != null) {
                return present;
            }
            storage.publish(next, null);
            return value;
        } finally {
            storage.unlock();
        }
    }

    @Override
    public void remove(String name) {
        Arguments.requireName("name", name);
        storage.lockForWriting();
        try {
            Tables next = storage.committed().copy();
            if (next.metadata.remove(name) != null) {
                storage.publish(next, null);
            }
        } finally {
            storage.unlock();
        }
    }
}
