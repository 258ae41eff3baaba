package io.configstore.crypto;

import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret value in plaintext (an API key), which never shows itself by accident: {@link #toString()} is redacted,
 * and the value comes out only through {@link #reveal()} or {@link #revealBytes()}, so that every place that handles
 * the clear text is visible in the code.
 *
 * <p>The bytes are kept in a private array that {@link #destroy()} overwrites. A {@code String} made by
 * {@link #reveal()} cannot be wiped (the JDK offers no way), so prefer {@link #revealBytes()} where the consumer takes
 * bytes. Equality compares in constant time.
 */
public final class Secret implements AutoCloseable {
    /** Largest accepted secret, in bytes of UTF-8. */
    public static final int MAX_BYTES = 16 * 1024;

    private final byte[] value;
    private volatile boolean destroyed;

    private Secret(byte[] value) {
        this.value = value;
    }

    /**
     * A secret from text.
     *
     * @throws ValidationException when the text is null, empty, larger than {@link #MAX_BYTES}, or not valid Unicode
     *     (an unpaired UTF-16 surrogate, which UTF-8 would turn into {@code ?})
     */
    public static Secret of(String plaintext) {
        if (plaintext == null) {
            throw new ValidationException("secret must not be null");
        }
        Arguments.requireWellFormed("secret", plaintext);
        return ofUtf8(plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A secret from UTF-8 bytes. The array is copied; the caller may clear its own.
     *
     * @throws ValidationException when the bytes are null, empty or larger than {@link #MAX_BYTES}
     */
    public static Secret ofUtf8(byte[] plaintext) {
        if (plaintext == null) {
            throw new ValidationException("secret must not be null");
        }
        if (plaintext.length == 0) {
            throw new ValidationException("secret must not be empty");
        }
        if (plaintext.length > MAX_BYTES) {
            throw new ValidationException("secret is " + plaintext.length + " bytes; the limit is " + MAX_BYTES);
        }
        return new Secret(plaintext.clone());
    }

    /** The plaintext as a string. */
    public String reveal() {
        return new String(checkedValue(), StandardCharsets.UTF_8);
    }

    /** A copy of the plaintext as UTF-8 bytes; clear it when done. */
    public byte[] revealBytes() {
        return checkedValue().clone();
    }

    /** Overwrites the plaintext. Any later {@code reveal}, or passing it to a store, throws {@link ValidationException}. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(value, (byte) 0);
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

    private byte[] checkedValue() {
        if (destroyed) {
            throw new ValidationException("this secret was destroyed; keep the Secret open while you use it");
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && !destroyed && !that.destroyed
                && MessageDigest.isEqual(value, that.value);
    }

    @Override
    public int hashCode() {
        // A hash of the plaintext would leak information about it; equal secrets only need equal hashes.
        return 0;
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
