package io.configstore.testkit.memory;

import io.configstore.testkit.StoreBackend;
import io.configstore.testkit.StoreContractKit;
import io.configstore.testkit.StoreLocation;

/** The whole contract kit on the in-memory backend: each location is a fresh {@link InMemoryStorage}. */
class InMemoryContractTest implements StoreContractKit {
    @Override
    public StoreBackend backend() {
        return () -> {
            InMemoryStorage storage = new InMemoryStorage();
            return new StoreLocation() {
                @Override
                public io.configstore.store.StoreSet open(io.configstore.crypto.SecretCipher cipher) {
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
