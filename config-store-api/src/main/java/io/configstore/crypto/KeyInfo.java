package io.configstore.crypto;

import io.configstore.internal.Arguments;

/**
 * What a {@link KeyRing} tells about one of its keys, without the key: safe to log and to store.
 *
 * @param keyId the id written into every value the key encrypts
 * @param algorithm how the key encrypts
 * @param status whether it may be used
 * @param primary whether new secrets are encrypted under it
 * @param keyCheckValue a 16-hex-digit fingerprint of the key material (a keyed hash, from which the key cannot be
 *     recovered); two keys with the same id but different material have different values. Store it to detect at
 *     open that an operator configured the wrong key.
 */
public record KeyInfo(String keyId, KeyAlgorithm algorithm, KeyStatus status, boolean primary, String keyCheckValue) {
    /** Rejects null fields. */
    public KeyInfo {
        Arguments.requireNonNull("keyId", keyId);
        Arguments.requireNonNull("algorithm", algorithm);
        Arguments.requireNonNull("status", status);
        Arguments.requireNonNull("keyCheckValue", keyCheckValue);
    }
}
