package io.configstore.crypto;

import io.configstore.error.ValidationException;
import java.util.Map;

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

    /** The id of the key {@link #encrypt} writes under now. */
    String primaryKeyId();

    /**
     * Key id to key-check value (a fingerprint of the material, safe to store) for every key this cipher can decrypt
     * with. A store records them when it first sees a key and compares them at every open, so that a wrong key is
     * reported at open as a wrong key. Empty (the default) when the cipher cannot tell.
     */
    default Map<String, String> keyCheckValues() {
        return Map.of();
    }

    /**
     * Whether a stored value's own fingerprint of the key that wrote it matches the key this cipher holds under the
     * value's key id, checked without decrypting; true when the cipher cannot tell (the default). A store asks before
     * it first records a key's check value, so that a wrong key is never recorded as the store's.
     */
    default boolean matchesKeyOf(String stored) {
        return true;
    }

    /** Whether a stored value was written under a key other than the primary, so that {@link #rewrap} changes it. */
    default boolean needsRewrap(String stored) {
        return !keyIdOf(stored).equals(primaryKeyId());
    }

    /**
     * Re-encrypts a stored value under the primary key for the same row, proving that the result decrypts to the
     * same secret before returning it; returns {@code stored} itself when it is already under the primary.
     *
     * @throws io.configstore.error.CryptoException when the value cannot be decrypted or does not round-trip
     */
    default String rewrap(String stored, SecretBinding binding) {
        if (!needsRewrap(stored)) {
            return stored;
        }
        try (Secret secret = decrypt(stored, binding)) {
            String rewrapped = encrypt(secret, binding);
            try (Secret check = decrypt(rewrapped, binding)) {
                if (!check.equals(secret)) {
                    throw new io.configstore.error.CryptoException("rewrapping " + binding.describe()
                            + " did not round-trip; the stored value was left as it is");
                }
            }
            return rewrapped;
        }
    }

    /**
     * Forgets a key that no stored value needs any more. Stores call it from
     * {@link io.configstore.store.SecretMaintenance#removeKey} after checking that nothing still needs the key; do not
     * call it directly.
     *
     * @throws ValidationException when the cipher cannot remove keys, has no such key, or the key is still in use
     *     by the cipher itself (the primary, or not disabled)
     */
    default void removeKey(String keyId) {
        throw new ValidationException("this cipher (" + getClass().getSimpleName() + ") does not manage removable keys;"
                + " remove the key where the cipher keeps it");
    }
}
