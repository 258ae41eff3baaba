package io.configstore.memory;

import io.configstore.model.ApiKeyMetadata;

/**
 * An API key row as a database would hold it: its metadata and the ciphertext from the cipher, never the plaintext.
 */
record StoredKey(ApiKeyMetadata metadata, String ciphertext) {
}
