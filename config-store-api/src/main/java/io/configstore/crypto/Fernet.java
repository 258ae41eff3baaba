package io.configstore.crypto;

import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.Instants;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fernet tokens exactly as the specification (github.com/fernet/spec, version 0x80) defines them:
 * {@code base64url(0x80 || timestamp || IV || AES-128-CBC-PKCS7(message) || HMAC-SHA256(all before))}, with padding.
 * Reads tokens written by Python's {@code cryptography.fernet.Fernet} and writes tokens it reads.
 *
 * <p><b>Time.</b> The clock is injectable. {@link #decrypt(String, Duration)} applies the usual rules: a token older
 * than the TTL is expired, and a token stamped more than the allowed clock skew (60 seconds unless
 * {@link #withMaxClockSkew changed}) in the future is rejected. {@link #decrypt(String)} checks no time at all, as
 * Python's {@code decrypt(token)} without a TTL does: stored secrets do not expire.
 *
 * <p><b>Strictness.</b> Tokens must be canonical URL-safe base64 with padding; characters outside that alphabet or
 * after the padding are rejected (some implementations skip them silently). The HMAC is checked, in constant time,
 * before anything is decrypted or any time rule applied. A bare token carries no key id, so a wrong key and an altered
 * token look the same: both are reported as a failed HMAC.
 *
 * <p>Immutable and thread-safe.
 */
public final class Fernet {
    /** The clock skew {@link #decrypt(String, Duration)} allows unless told otherwise: 60 seconds. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    static final byte VERSION = (byte) 0x80;
    static final int HEADER_BYTES = 1 + 8 + 16;
    static final int HMAC_BYTES = 32;
    static final int MIN_TOKEN_BYTES = HEADER_BYTES + 16 + HMAC_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec signingKey;
    private final SecretKeySpec encryptionKey;
    private final Clock clock;
    private final Duration maxClockSkew;

    private Fernet(SecretKeySpec signingKey, SecretKeySpec encryptionKey, Clock clock, Duration maxClockSkew) {
        this.signingKey = signingKey;
        this.encryptionKey = encryptionKey;
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
    }

    /** A codec over {@code key} that stamps tokens with the system clock. */
    public static Fernet of(FernetKey key) {
        return of(key, Clock.systemUTC());
    }

    /** A codec over {@code key} that stamps and checks tokens with {@code clock}. */
    public static Fernet of(FernetKey key, Clock clock) {
        Arguments.requireNonNull("key", key);
        Arguments.requireNonNull("clock", clock);
        byte[] signing = key.signingKey();
        byte[] encryption = key.encryptionKey();
        try {
            return new Fernet(new SecretKeySpec(signing, "HmacSHA256"), new SecretKeySpec(encryption, "AES"), clock,
                    DEFAULT_MAX_CLOCK_SKEW);
        } finally {
            Arrays.fill(signing, (byte) 0);
            Arrays.fill(encryption, (byte) 0);
        }
    }

    /**
     * The same codec allowing tokens stamped up to {@code skew} in the future under a TTL.
     *
     * @throws ValidationException when the skew is null or negative
     */
    public Fernet withMaxClockSkew(Duration skew) {
        Arguments.requireNonNull("skew", skew);
        if (skew.isNegative()) {
            throw new ValidationException("clock skew must not be negative, was " + skew);
        }
        return new Fernet(signingKey, encryptionKey, clock, skew);
    }

    /** Encrypts {@code message} into a token stamped with the clock's current second and a fresh random IV. */
    public String encrypt(byte[] message) {
        Arguments.requireNonNull("message", message);
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return encrypt(message, clock.instant(), iv);
    }

    /** A token with a chosen time and IV: only for the specification's generate vectors. */
    String encrypt(byte[] message, Instant at, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
            byte[] ciphertext = cipher.doFinal(message);
            ByteBuffer token = ByteBuffer.allocate(HEADER_BYTES + ciphertext.length + HMAC_BYTES);
            token.put(VERSION).putLong(at.getEpochSecond()).put(iv).put(ciphertext);
            token.put(hmac(token.array(), HEADER_BYTES + ciphertext.length));
            return Base64.getUrlEncoder().encodeToString(token.array());
        } catch (GeneralSecurityException e) {
            throw new CryptoException("could not create a Fernet token: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Verifies and decrypts a token, whatever its age.
     *
     * @return the message; the caller clears it when done
     * @throws CryptoException when the token is malformed, altered, or made with another key
     */
    public byte[] decrypt(String token) {
        return open(decode(token), null);
    }

    /**
     * Verifies and decrypts a token no older than {@code ttl} and not from further in the future than the allowed
     * clock skew.
     *
     * @return the message; the caller clears it when done
     * @throws CryptoException when the token is malformed, altered, made with another key, expired, or from the future
     */
    public byte[] decrypt(String token, Duration ttl) {
        Arguments.requireNonNull("ttl", ttl);
        if (ttl.isNegative()) {
            throw new ValidationException("ttl must not be negative, was " + ttl);
        }
        return open(decode(token), ttl);
    }

    /**
     * The time a token was made, after its HMAC is verified.
     *
     * @throws CryptoException when the token is malformed, altered or made with another key
     */
    public Instant timestampOf(String token) {
        byte[] raw = decode(token);
        verify(raw);
        return Instant.ofEpochSecond(ByteBuffer.wrap(raw, 1, 8).getLong());
    }

    /** Decodes a token's text strictly; package-private so that the key ring can keep the raw bytes. */
    static byte[] decode(String token) {
        if (token == null) {
            throw new CryptoException("the Fernet token is missing (null)");
        }
        if (token.length() % 4 != 0) {
            throw new CryptoException("the Fernet token is not padded URL-safe base64 (length " + token.length()
                    + " is not a multiple of 4); it was truncated or altered");
        }
        try {
            return Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new CryptoException("the Fernet token is not valid URL-safe base64; it was altered or is not a"
                    + " Fernet token");
        }
    }

    /** Verifies and decrypts raw token bytes; {@code ttl} null means no time rule. */
    byte[] open(byte[] raw, Duration ttl) {
        verify(raw);
        long timestamp = ByteBuffer.wrap(raw, 1, 8).getLong();
        if (ttl != null) {
            Instant now = clock.instant();
            // An unsigned timestamp beyond Long.MAX_VALUE reads as negative; treat it as the far future. Compared in
            // seconds, with saturating sums, so that no timestamp, TTL or skew overflows Instant's range.
            if (timestamp < 0 || timestamp > Instants.plusSaturating(now, maxClockSkew).getEpochSecond()) {
                throw new CryptoException("the Fernet token is stamped in the future, beyond the allowed clock skew of "
                        + maxClockSkew.toSeconds() + " s; check the clocks of the writer and this host");
            }
            if (Instants.plusSaturating(Instant.ofEpochSecond(timestamp), ttl).isBefore(now)) {
                throw new CryptoException("the Fernet token expired: it is older than its TTL of " + ttl.toSeconds()
                        + " s");
            }
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new IvParameterSpec(raw, 9, 16));
            return cipher.doFinal(raw, HEADER_BYTES, raw.length - HEADER_BYTES - HMAC_BYTES);
        } catch (BadPaddingException e) {
            throw new CryptoException("the Fernet token has a valid HMAC but invalid padding; it was made by a faulty"
                    + " writer");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("could not decrypt the Fernet token: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Checks version, length and HMAC; throws a message per failure. */
    void verify(byte[] raw) {
        if (raw.length < MIN_TOKEN_BYTES) {
            throw new CryptoException("the Fernet token is too short (" + raw.length + " bytes, at least "
                    + MIN_TOKEN_BYTES + "); it was truncated");
        }
        if (raw[0] != VERSION) {
            throw new CryptoException(String.format("the Fernet token has version byte 0x%02x; only 0x80 is"
                    + " supported", raw[0] & 0xff));
        }
        int ciphertextBytes = raw.length - HEADER_BYTES - HMAC_BYTES;
        if (ciphertextBytes % 16 != 0) {
            throw new CryptoException("the Fernet token's ciphertext is " + ciphertextBytes + " bytes, not a"
                    + " multiple of the 16-byte AES block; it was truncated or altered");
        }
        byte[] expected = hmac(raw, raw.length - HMAC_BYTES);
        byte[] actual = Arrays.copyOfRange(raw, raw.length - HMAC_BYTES, raw.length);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new CryptoException("the Fernet token's HMAC does not match: the token was altered, or made with"
                    + " another key");
        }
    }

    private byte[] hmac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signingKey);
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Fernet[key=redacted, maxClockSkew=" + maxClockSkew.toSeconds() + "s]";
    }
}
