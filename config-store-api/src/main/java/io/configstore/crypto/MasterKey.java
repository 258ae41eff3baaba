package io.configstore.crypto;

import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Key material with an id and an algorithm, ready to be added to a {@link KeyRing}. The material never shows itself:
 * {@link #toString()} is redacted and there is no accessor for it. {@link #destroy()} overwrites this object's copy;
 * a {@link KeyRing} keeps its own copy, so destroy the {@code MasterKey} once it has been added.
 */
public final class MasterKey implements AutoCloseable {
    /** Length of the material of either algorithm, in bytes. */
    public static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final KeyAlgorithm algorithm;
    private final byte[] material;
    private volatile boolean destroyed;

    private MasterKey(String keyId, KeyAlgorithm algorithm, byte[] material) {
        this.keyId = keyId;
        this.algorithm = algorithm;
        this.material = material;
    }

    /**
     * An AES-256-GCM key. The array is copied; clear your own when done.
     *
     * @param keyId 1 to 64 of {@code A-Z a-z 0-9 _ -}; it is written into every value the key encrypts
     * @throws ValidationException when the id is malformed or the key is not 32 bytes
     */
    public static MasterKey aes256(String keyId, byte[] key) {
        requireKeyId(keyId);
        Arguments.requireNonNull("key", key);
        if (key.length != KEY_BYTES) {
            throw new ValidationException("an AES-256 key is " + KEY_BYTES + " bytes, this one is " + key.length
                    + "; generate one with MasterKey.generateAes256(id)");
        }
        return new MasterKey(keyId, KeyAlgorithm.AES_256_GCM, key.clone());
    }

    /** A fresh random AES-256-GCM key. */
    public static MasterKey generateAes256(String keyId) {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            return aes256(keyId, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * A Fernet key as a key-ring entry: values it encrypts are Fernet tokens wrapped and bound to their row.
     *
     * @throws ValidationException when the id is malformed or the Fernet key was destroyed
     */
    public static MasterKey fernet(String keyId, FernetKey key) {
        requireKeyId(keyId);
        Arguments.requireNonNull("key", key);
        byte[] material = key.bytes();
        return new MasterKey(keyId, KeyAlgorithm.FERNET, material);
    }

    /**
     * Checks a key id: 1 to 64 of {@code A-Z a-z 0-9 _ -}, so that it can never contain the {@code :} that
     * separates the parts of a stored value.
     *
     * @throws ValidationException when it is malformed
     */
    public static String requireKeyId(String keyId) {
        Arguments.requireNonNull("keyId", keyId);
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new ValidationException("keyId '" + keyId.substring(0, Math.min(keyId.length(), 70))
                    + "' is not valid; use 1 to 64 of A-Z a-z 0-9 _ -");
        }
        return keyId;
    }

    /** The id written into every value this key encrypts. */
    public String keyId() {
        return keyId;
    }

    /** How this key encrypts. */
    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the material, for the key ring; the caller clears it. */
    byte[] material() {
        if (destroyed) {
            throw new IllegalStateException("master key '" + keyId + "' was destroyed");
        }
        return material.clone();
    }

    /** Overwrites this object's copy of the material. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(material, (byte) 0);
    }

    /** Whether {@link #destroy()} was called. */
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + keyId + ", algorithm=" + algorithm + ", material=redacted]";
    }
}
