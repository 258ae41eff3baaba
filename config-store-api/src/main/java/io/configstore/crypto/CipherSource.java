package io.configstore.crypto;

import io.configstore.internal.Arguments;

/**
 * Where a backend gets its cipher when it opens: a cipher the host built, or master keys loaded against what the
 * store keeps about itself (a password's key-derivation parameters live with the store, so the key can only be
 * derived once the store is open). Backends call {@link #open} once per open, before any secret is read.
 */
@FunctionalInterface
public interface CipherSource {
    /** The cipher for a store whose metadata is {@code metadata}. */
    SecretCipher open(StoreMetadata metadata);

    /** A cipher the host built itself. */
    static CipherSource of(SecretCipher cipher) {
        Arguments.requireNonNull("cipher", cipher);
        return metadata -> cipher;
    }

    /** Master keys loaded with {@link MasterKeys#loadFor}, keeping a password's parameters with the store. */
    static CipherSource of(MasterKeys keys) {
        Arguments.requireNonNull("masterKeys", keys);
        return metadata -> keys.loadFor(metadata).keyRing();
    }
}
