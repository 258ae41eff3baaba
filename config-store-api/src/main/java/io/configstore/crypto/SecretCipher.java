package io.configstore.crypto;

/**
 * Encrypts secrets before they reach storage and decrypts them on the way out. Stores hold only what
 * {@link #encrypt} returns: a self-describing text of the form {@code v1:<keyId>:<payload>}, which names the key that
 * wrote it so that the right key is found without trying them all.
 *
 * <p>Implementations are thread-safe and never put plaintext or key material in exceptions or logs.
 */
public interface SecretCipher {
    /**
     * Encrypts {@code plaintext} for the row {@code binding}.
     *
     * @return the stored form, {@code v1:<keyId>:<payload>}
     * @throws io.configstore.error.CryptoException when encryption fails
     */
    String encrypt(Secret plaintext, SecretBinding binding);

    /**
     * Decrypts a stored value of the row {@code binding}.
     *
     * @throws io.configstore.error.CryptoException when the key is unknown or wrong, or the value was altered or
     *     belongs to another row; never returns garbage
     */
    Secret decrypt(String stored, SecretBinding binding);

    /**
     * The id of the key that wrote a stored value, read from its prefix.
     *
     * @throws io.configstore.error.CryptoException when the value is not in the {@code v1:<keyId>:<payload>} form
     */
    String keyIdOf(String stored);
}
