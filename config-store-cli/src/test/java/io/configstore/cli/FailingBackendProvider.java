package io.configstore.cli;

import io.configstore.crypto.CipherSource;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;

/**
 * A custom backend whose driver fails with an exception of its own, quoting what it was given, as drivers do: the
 * tool must show the exception's type, never its message.
 */
public final class FailingBackendProvider implements StoreSetProvider {
    @Override
    public String scheme() {
        return "failingbackend:";
    }

    @Override
    public String example() {
        return "failingbackend:anything";
    }

    @Override
    public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        throw new IllegalStateException("the driver cannot open " + url);
    }
}
