package io.configstore.crypto;

import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import io.configstore.model.Arguments;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with one master key, using only the JDK's crypto. Each encryption draws a fresh random 96-bit nonce,
 * and the row's {@link SecretBinding} is authenticated as associated data.
 *
 * <p>Stored form: {@code v1:<keyId>:<base64url(nonce || ciphertext || tag)>}.
 *
 * <pre>{@code
 * SecretCipher cipher = AesGcmSecretCipher.of("k1", Base64.getDecoder().decode(System.getenv("MY_KEY")));
 * }</pre>
 */
public final class AesGcmSecretCipher implements SecretCipher {
    /** Length of an AES-256 key in bytes. */
    public static final int KEY_BYTES = 32;
    private static final String FORMAT = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final SecretKeySpec key;

    private AesGcmSecretCipher(String keyId, byte[] keyBytes) {
        this.keyId = keyId;
        this.key = new SecretKeySpec(keyBytes, "AES");
    }

    /**
     * A cipher over a 32-byte key. The array is copied; clear your own when done.
     *
     * @param keyId names the key inside every value it writes: 1 to 64 of {@code A-Z a-z 0-9 _ -}
     * @throws ValidationException when the id is malformed or the key is not 32 bytes
     */
    public static AesGcmSecretCipher of(String keyId, byte[] key) {
        Arguments.requireNonNull("keyId", keyId);
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new ValidationException("keyId '" + keyId + "' is not valid; use 1 to 64 of A-Z a-z 0-9 _ -");
        }
        Arguments.requireNonNull("key", key);
        if (key.length != KEY_BYTES) {
            throw new ValidationException("an AES-256 key is " + KEY_BYTES + " bytes, this one is " + key.length
                    + "; generate one with AesGcmSecretCipher.generateKey()");
        }
        return new AesGcmSecretCipher(keyId, key.clone());
    }

    /** Fresh random key material for {@link #of}: 32 bytes from a {@link SecureRandom}. */
    public static byte[] generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The id written into every value this cipher encrypts. */
    public String keyId() {
        return keyId;
    }

    @Override
    public String encrypt(Secret plaintext, SecretBinding binding) {
        Arguments.requireNonNull("plaintext", plaintext);
        Arguments.requireNonNull("binding", binding);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] clear = plaintext.revealBytes();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(binding.associatedData());
            byte[] sealed = cipher.doFinal(clear);
            byte[] payload = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return FORMAT + ":" + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("could not encrypt " + binding.describe() + " with key '" + keyId + "'", e);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    @Override
    public Secret decrypt(String stored, SecretBinding binding) {
        Arguments.requireNonNull("binding", binding);
        String storedKeyId = keyIdOf(stored);
        if (!storedKeyId.equals(keyId)) {
            throw new CryptoException(binding.describe() + " was encrypted with key '" + storedKeyId
                    + "', but this store only has key '" + keyId + "'; configure the key it was written with");
        }
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(stored.substring(FORMAT.length() + keyId.length() + 2));
        } catch (IllegalArgumentException e) {
            throw new CryptoException(binding.describe() + " holds a ciphertext that is not valid base64;"
                    + " the stored value was altered");
        }
        if (payload.length < NONCE_BYTES + TAG_BITS / 8 + 1) {
            throw new CryptoException(binding.describe() + " holds a truncated ciphertext; the stored value was"
                    + " altered");
        }
        byte[] clear = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, payload, 0, NONCE_BYTES));
            cipher.updateAAD(binding.associatedData());
            clear = cipher.doFinal(payload, NONCE_BYTES, payload.length - NONCE_BYTES);
            return Secret.ofUtf8(clear);
        } catch (AEADBadTagException e) {
            throw new CryptoException("could not decrypt " + binding.describe() + " with key '" + keyId
                    + "': the key is wrong, or the value was altered or copied from another row");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("could not decrypt " + binding.describe() + " with key '" + keyId + "'", e);
        } finally {
            if (clear != null) {
                Arrays.fill(clear, (byte) 0);
            }
        }
    }

    @Override
    public String keyIdOf(String stored) {
        if (stored == null) {
            throw new CryptoException("a stored secret is missing (null)");
        }
        int first = stored.indexOf(':');
        int second = first < 0 ? -1 : stored.indexOf(':', first + 1);
        if (first < 0 || second < 0 || !stored.substring(0, first).equals(FORMAT)) {
            throw new CryptoException("a stored secret is not in the 'v1:<keyId>:<payload>' form; the stored value was"
                    + " altered or written by something other than configstore");
        }
        return stored.substring(first + 1, second);
    }

    @Override
    public String toString() {
        return "AesGcmSecretCipher[keyId=" + keyId + "]";
    }
}
