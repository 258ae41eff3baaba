package io.configstore.memory;

import io.configstore.crypto.CipherSource;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;

/**
 * Opens {@code memory:} URLs: a new, empty in-memory store set each time, gone when it closes. Useful as the target of
 * a dry run, and in tests. Anything after the colon is refused, so that a typo cannot pass for a durable store.
 */
public final class InMemoryStoreSetProvider implements StoreSetProvider {
    @Override
    public String scheme() {
        return "memory:";
    }

    @Override
    public String example() {
        return "memory:";
    }

    @Override
    public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        if (url.length() > scheme().length()) {
            throw new ValidationException("the store URL has text after 'memory:'; an in-memory store takes no"
                    + " location: use memory:");
        }
        // A new storage has no stored key-derivation parameters: a password-derived key gets fresh ones.
        return InMemoryStoreSet.builder().cipherSource(cipher).open();
    }
}
