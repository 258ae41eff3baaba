package io.configstore.crypto;

import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Turns a password into key material with {@link KdfParameters}: Argon2id through BouncyCastle, or PBKDF2-HMAC-SHA256
 * through the JDK. Passwords are encoded as UTF-8, as Python's {@code password.encode()} and the Argon2 reference
 * tools do. Derivation is deliberately slow; do it once, when the key ring is built.
 *
 * <p>{@link #standard()} refuses parameters below the recommended minimum; {@link #allowingWeakParameters()} accepts
 * them, for reading stores that another tool wrote with, say, 100,000 PBKDF2 iterations. Choose it explicitly.
 */
public final class PasswordKeyDerivation {
    private final boolean allowWeak;

    private PasswordKeyDerivation(boolean allowWeak) {
        this.allowWeak = allowWeak;
    }

    /** Derivation that refuses parameters below {@link KdfParameters#isBelowRecommendedMinimum() the minimum}. */
    public static PasswordKeyDerivation standard() {
        return new PasswordKeyDerivation(false);
    }

    /** Derivation that also accepts weaker parameters: only to read data that was written with them. */
    public static PasswordKeyDerivation allowingWeakParameters() {
        return new PasswordKeyDerivation(true);
    }

    /**
     * A 32-byte key from a password. The caller clears both the password and the result when done.
     *
     * @throws ValidationException when the password is null or empty, or the parameters are too weak for this
     *     derivation
     */
    public byte[] deriveKey(char[] password, KdfParameters parameters) {
        return derive(password, parameters, MasterKey.KEY_BYTES);
    }

    /**
     * {@code length} bytes from a password (known-answer tests use other lengths than 32).
     *
     * @throws ValidationException when the password is null or empty, the length is not 4 to 1024, or the parameters
     *     are too weak for this derivation
     */
    public byte[] derive(char[] password, KdfParameters parameters, int length) {
        Arguments.requireNonNull("password", password);
        Arguments.requireNonNull("parameters", parameters);
        if (password.length == 0) {
            throw new ValidationException("the master password must not be empty");
        }
        if (length < 4 || length > 1024) {
            throw new ValidationException("derived key length must be 4 to 1024 bytes, was " + length);
        }
        if (!allowWeak && parameters.isBelowRecommendedMinimum()) {
            throw new ValidationException("KDF parameters " + parameters + " are below the recommended minimum"
                    + " (Argon2id: 19 MiB, 2 iterations; PBKDF2-HMAC-SHA256: 600,000 iterations; salt: 16 bytes);"
                    + " to read data written with them, use PasswordKeyDerivation.allowingWeakParameters()"
                    + " explicitly, then rewrap under stronger ones");
        }
        return parameters.algorithm() == KdfAlgorithm.ARGON2ID
                ? argon2id(password, parameters, length)
                : pbkdf2(password, parameters, length);
    }

    private static byte[] argon2id(char[] password, KdfParameters parameters, int length) {
        byte[] salt = parameters.salt();
        byte[] passwordBytes = utf8(password);
        try {
            Argon2Parameters argon2 = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(parameters.memoryKiB())
                    .withIterations(parameters.iterations())
                    .withParallelism(parameters.parallelism())
                    .withSalt(salt)
                    .build();
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(argon2);
            byte[] out = new byte[length];
            generator.generateBytes(passwordBytes, out);
            return out;
        } catch (OutOfMemoryError e) {
            throw new CryptoException("not enough memory to derive the key with " + parameters + "; give the JVM more"
                    + " heap");
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    private static byte[] pbkdf2(char[] password, KdfParameters parameters, int length) {
        PBEKeySpec spec = new PBEKeySpec(password, parameters.salt(), parameters.iterations(), length * 8);
        try {
            SecretKey key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec);
            return key.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("PBKDF2WithHmacSHA256 failed: " + e.getClass().getSimpleName(), e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return allowWeak ? "PasswordKeyDerivation[allowing weak parameters]" : "PasswordKeyDerivation[standard]";
    }
}
