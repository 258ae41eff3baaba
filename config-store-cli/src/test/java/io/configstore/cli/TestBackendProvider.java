package io.configstore.cli;

import io.configstore.crypto.CipherSource;
import io.configstore.memory.InMemoryStoreSetProvider;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;

/**
 * A custom backend as a third party would ship it: its own scheme, registered in this module's test resources only,
 * never in the tool. The process tests put it on the class path beside the tool's jar.
 */
public final class TestBackendProvider implements StoreSetProvider {
    @Override
    public String scheme() {
        return "testbackend:";
    }

    @Override
    public String example() {
        return "testbackend:";
    }

    @Override
    public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        return new InMemoryStoreSetProvider().open("memory:", cipher, mode);
    }
}
