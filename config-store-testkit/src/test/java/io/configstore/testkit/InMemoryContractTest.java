package io.configstore.testkit;

import io.configstore.crypto.SecretCipher;
import io.configstore.memory.InMemoryStorage;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.store.StoreSet;

/** The whole contract kit on the in-memory backend: each location is a fresh {@link InMemoryStorage}. */
class InMemoryContractTest implements StoreContractKit {
    @Override
    public StoreBackend backend() {
        return () -> {
            InMemoryStorage storage = new InMemoryStorage();
            return new StoreLocation() {
                @Override
                public StoreSet open(SecretCipher cipher) {
                    return InMemoryStoreSet.open(storage, cipher);
                }

                @Override
                public void close() {
                    // Nothing to delete: the storage is garbage once no store set refers to it.
                }
            };
        };
    }
}
