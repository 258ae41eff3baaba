package io.configstore.error;

/**
 * A secret could not be encrypted or decrypted: a wrong or missing key, a tampered or truncated ciphertext, a
 * ciphertext bound to another row. The message names the key id and the row, never the secret.
 */
public class CryptoException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
