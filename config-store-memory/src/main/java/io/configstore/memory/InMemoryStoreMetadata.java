package io.configstore.memory;

import io.configstore.crypto.StoreMetadata;
import io.configstore.internal.Arguments;
import java.util.Optional;

/** {@link StoreMetadata} kept in the storage's tables, committed like every other write. */
final class InMemoryStoreMetadata implements StoreMetadata {
    private final InMemoryStoreSet set;

    InMemoryStoreMetadata(InMemoryStoreSet set) {
        this.set = set;
    }

    @Override
    public Optional<String> get(String name) {
        Arguments.requireName("name", name);
        return Optional.ofNullable(set.read().metadata.get(name));
    }

    @Override
    public String putIfAbsent(String name, String value) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("value", value);
        return set.write(tables -> {
            String present = tables.metadata.putIfAbsent(name, value);
            return present == null ? value : present;
        });
    }

    @Override
    public void remove(String name) {
        Arguments.requireName("name", name);
        set.write(tables -> tables.metadata.remove(name));
    }
}
