package io.configstore.crypto;

import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A Fernet key: a 128-bit signing key followed by a 128-bit encryption key, written as URL-safe base64 of the 32
 * bytes (the form Python's {@code Fernet.generate_key()} prints). {@link #toString()} is redacted; the encoded form
 * comes out only through {@link #encoded()}, for handing the key to another Fernet implementation.
 */
public final class FernetKey implements AutoCloseable {
    /** Length of a Fernet key in bytes. */
    public static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private volatile boolean destroyed;

    private FernetKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads a key in Fernet's text form: URL-safe base64 of 32 bytes, with or without padding.
     *
     * @throws ValidationException when the text is not URL-safe base64 of exactly 32 bytes (the message never
     *     repeats the text)
     */
    public static FernetKey parse(String encoded) {
        Arguments.requireNonNull("Fernet key", encoded);
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("a Fernet key must be URL-safe base64 of 32 bytes; this text is not"
                    + " valid URL-safe base64");
        }
        try {
            return fromBytes(decoded);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /**
     * A key from its 32 raw bytes (signing key, then encryption key), such as the output of a password KDF. The array
     * is copied; clear your own.
     *
     * @throws ValidationException when the array is not 32 bytes
     */
    public static FernetKey fromBytes(byte[] key) {
        Arguments.requireNonNull("Fernet key", key);
        if (key.length != KEY_BYTES) {
            throw new ValidationException("a Fernet key is " + KEY_BYTES + " bytes, this one is " + key.length);
        }
        return new FernetKey(key.clone());
    }

    /** A fresh random key. */
    public static FernetKey generate() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        FernetKey fernetKey = new FernetKey(key.clone());
        Arrays.fill(key, (byte) 0);
        return fernetKey;
    }

    /**
     * The key in Fernet's text form (URL-safe base64 with padding). This is the secret itself: hand it only to
     * another Fernet implementation or a key store, never to a log.
     */
    public String encoded() {
        return Base64.getUrlEncoder().encodeToString(checked());
    }

    /** A copy of the 32 bytes; the caller clears it. */
    byte[] bytes() {
        return checked().clone();
    }

    byte[] signingKey() {
        return Arrays.copyOfRange(checked(), 0, 16);
    }

    byte[] encryptionKey() {
        return Arrays.copyOfRange(checked(), 16, 32);
    }

    private byte[] checked() {
        if (destroyed) {
            throw new IllegalStateException("this Fernet key was destroyed");
        }
        return bytes;
    }

    /** Overwrites the key bytes. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "FernetKey[redacted]";
    }
}
