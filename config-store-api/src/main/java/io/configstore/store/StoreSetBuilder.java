package io.configstore.store;

import io.configstore.crypto.CipherSource;
import io.configstore.crypto.MasterKeys;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.time.Clock;

/**
 * The options every backend's builder has, with the same names and rules: where the cipher comes from
 * ({@link #cipher}, {@link #masterKeys} or {@link #cipherSource}, the last called wins; one is required, as there is no
 * unencrypted mode) and the {@link #clock} of every timestamp. Each backend's {@code XxxStoreSet.builder()} extends it
 * with its own options (a path, a URL, durability, a migration mode) and {@link #open()}.
 *
 * <pre>{@code
 * StoreSet stores = SqliteStoreSet.builder()
 *         .path(Path.of("app.db"))
 *         .masterKeys(MasterKeys.builder().environment(System::getenv).build())
 *         .open();
 * }</pre>
 *
 * <p>Not thread-safe; the store set it opens is.
 *
 * @param <B> the backend's builder, returned by every option so that calls chain
 */
public abstract class StoreSetBuilder<B extends StoreSetBuilder<B>> {
    private final String backend;
    private CipherSource cipherSource;
    private Clock clock = Clock.systemUTC();

    /**
     * @param backend the class whose {@code builder()} this is, as messages name it (for example
     *     {@code SqliteStoreSet})
     */
    protected StoreSetBuilder(String backend) {
        this.backend = Arguments.requireName("backend", backend);
    }

    /** Encrypts API keys with {@code cipher}, a cipher the host built (a test key, a key from a vault). */
    public B cipher(SecretCipher cipher) {
        this.cipherSource = CipherSource.of(Arguments.requireNonNull("cipher", cipher));
        return self();
    }

    /**
     * Loads the master key when the store opens, from where {@code keys} says (environment, key file, password),
     * keeping a password's key-derivation parameters in the store so that every process derives the same key.
     */
    public B masterKeys(MasterKeys keys) {
        this.cipherSource = CipherSource.of(Arguments.requireNonNull("masterKeys", keys));
        return self();
    }

    /**
     * Where the cipher comes from when the store opens: the general form of {@link #cipher} and {@link #masterKeys},
     * used when a store is opened by URL.
     */
    public B cipherSource(CipherSource source) {
        this.cipherSource = Arguments.requireNonNull("cipherSource", source);
        return self();
    }

    /** The clock of every timestamp the stores write; the system UTC clock by default. */
    public B clock(Clock timestamps) {
        this.clock = Arguments.requireNonNull("clock", timestamps);
        return self();
    }

    /**
     * Opens the store set with the options given.
     *
     * @throws ValidationException when no cipher was given, or an option the backend requires is missing
     */
    public abstract StoreSet open();

    /**
     * Where the cipher comes from, for {@link #open()}.
     *
     * @throws ValidationException when none of {@link #cipher}, {@link #masterKeys}, {@link #cipherSource} was called
     */
    protected final CipherSource requireCipherSource() {
        if (cipherSource == null) {
            throw new ValidationException("cipher is required: configstore encrypts every API key and does not open"
                    + " without one; pass master keys with " + backend + ".builder().masterKeys(MasterKeys.builder()"
                    + ".environment(System::getenv).build()) or a cipher with .cipher(...)");
        }
        return cipherSource;
    }

    /** The clock given to {@link #clock(Clock)}, or the system UTC clock. */
    protected final Clock timestamps() {
        return clock;
    }

    /** This builder, as its own type. */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
