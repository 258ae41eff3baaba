package io.configstore.engine;

import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;

/**
 * An API key row as a storage holds it: its metadata and the ciphertext from the cipher, never the plaintext.
 *
 * @param metadata what is known about the key
 * @param ciphertext the secret exactly as the cipher wrote it
 */
public record StoredKey(ApiKeyMetadata metadata, String ciphertext) {
    public StoredKey {
        Arguments.requireNonNull("metadata", metadata);
        Arguments.requireNonNull("ciphertext", ciphertext);
    }

    /** Names the key, never its ciphertext. */
    @Override
    public String toString() {
        return "StoredKey[" + metadata + "]";
    }
}
