package io.configstore.crypto;

import io.configstore.error.ValidationException;

/**
 * AES-256-GCM with one master key: a {@link KeyRing} holding that key alone. Each encryption draws a fresh random
 * 96-bit nonce, and the row's {@link SecretBinding} is authenticated as associated data; the stored form and the
 * error reporting (wrong key, truncated, altered, another row) are the key ring's.
 *
 * <p>Stored form: {@code v1:<keyId>:<payload>}, see {@link KeyRing}.
 *
 * <pre>{@code
 * SecretCipher cipher = AesGcmSecretCipher.of("k1", Base64.getDecoder().decode(System.getenv("MY_KEY")));
 * }</pre>
 *
 * <p>For several keys, rotation or keys from the environment, use {@link KeyRing} and {@link MasterKeys}.
 */
public final class AesGcmSecretCipher implements SecretCipher {
    /** Length of an AES-256 key in bytes. */
    public static final int KEY_BYTES = MasterKey.KEY_BYTES;

    private final KeyRing ring;

    private AesGcmSecretCipher(KeyRing ring) {
        this.ring = ring;
    }

    /**
     * A cipher over a 32-byte key. The array is copied; clear your own when done.
     *
     * @param keyId names the key inside every value it writes: 1 to 64 of {@code A-Z a-z 0-9 _ -}
     * @throws ValidationException when the id is malformed or the key is not 32 bytes
     */
    public static AesGcmSecretCipher of(String keyId, byte[] key) {
        try (MasterKey masterKey = MasterKey.aes256(keyId, key)) {
            return new AesGcmSecretCipher(KeyRing.of(masterKey));
        }
    }

    /** Fresh random key material for {@link #of}: 32 bytes from a {@link java.security.SecureRandom}. */
    public static byte[] generateKey() {
        byte[] key = new byte[KEY_BYTES];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /** The id written into every value this cipher encrypts. */
    public String keyId() {
        return ring.primaryKeyId();
    }

    @Override
    public String encrypt(Secret plaintext, SecretBinding binding) {
        return ring.encrypt(plaintext, binding);
    }

    @Override
    public Secret decrypt(String stored, SecretBinding binding) {
        return ring.decrypt(stored, binding);
    }

    @Override
    public String keyIdOf(String stored) {
        return ring.keyIdOf(stored);
    }

    @Override
    public String primaryKeyId() {
        return ring.primaryKeyId();
    }

    @Override
    public boolean matchesKeyOf(String stored) {
        return ring.matchesKeyOf(stored);
    }

    @Override
    public java.util.Map<String, String> keyCheckValues() {
        return ring.keyCheckValues();
    }

    @Override
    public String toString() {
        return "AesGcmSecretCipher[keyId=" + keyId() + "]";
    }
}
