package io.configstore.testkit;

import io.configstore.crypto.SecretCipher;
import io.configstore.store.StoreSet;

/**
 * One storage location made by a {@link StoreBackend}.
 *
 * <p>{@link #open} may be called several times: after closing a {@link StoreSet} (a reopen, which must find
 * everything committed before), or while another {@code StoreSet} on it is still open (a second instance or process
 * sharing the storage, which must see the other's commits and never lose an update).
 */
public interface StoreLocation extends AutoCloseable {
    /**
     * Opens the storage at this location, encrypting and decrypting secrets with {@code cipher}.
     *
     * @throws Exception when it cannot be opened; the test then fails with it
     */
    StoreSet open(SecretCipher cipher) throws Exception;

    /**
     * Every idempotency record this location stores, as the text it is stored as (fingerprints and results, each row
     * or record on a line), read straight from the storage and not through the store's API: so that the kit can prove
     * no secret, nor a digest of one, is kept there.
     *
     * @throws Exception when the storage cannot be read; the test then fails with it
     */
    String storedIdempotencyRecords() throws Exception;

    /**
     * Every change-history row this location stores, as stored (each row on a line, its snapshot as JSON text), read
     * straight from the storage: so that the kit can prove which rows keep a ciphertext.
     *
     * @throws Exception when the storage cannot be read; the test then fails with it
     */
    String storedHistory() throws Exception;

    /**
     * Sets the master-key id recorded beside every stored API key's ciphertext (a column, a field) to {@code keyId},
     * straight in the storage and not through the store's API, leaving every ciphertext exactly as it is: the
     * disagreement a hand edit or a restored column can leave, so that the kit can prove that counting, rewrapping
     * and key removal go by the key id inside each ciphertext, which decryption needs. A backend that records no key
     * id beside the ciphertext changes nothing.
     *
     * @throws Exception when the storage cannot be written; the test then fails with it
     */
    void relabelStoredKeyIds(String keyId) throws Exception;

    /** Deletes the location and everything in it. Called after every StoreSet opened on it was closed. */
    @Override
    void close() throws Exception;
}
