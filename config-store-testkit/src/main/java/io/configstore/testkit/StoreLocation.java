package io.configstore.testkit;

import io.configstore.crypto.SecretCipher;
import io.configstore.store.StoreSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One storage location made by a {@link StoreBackend}.
 *
 * <p>{@link #open} may be called several times: after closing a {@link StoreSet} (a reopen, which must find
 * everything committed before), or while another {@code StoreSet} on it is still open (a second instance or process
 * sharing the storage, which must see the other's commits and never lose an update).
 *
 * <p>Only {@link #open} and {@link #close} must be written. The hooks that read the storage straight (not through the
 * store's API) have defaults for a backend that keeps its rows in files: they read the files under
 * {@link #storageRoot()}, which such a backend overrides; a backend with another medium overrides the hooks instead.
 */
public interface StoreLocation extends AutoCloseable {
    /**
     * Opens the storage at this location, encrypting and decrypting secrets with {@code cipher}.
     *
     * @throws Exception when it cannot be opened; the test then fails with it
     */
    StoreSet open(SecretCipher cipher) throws Exception;

    /**
     * The directory holding the files of this location's committed rows, and nothing else (not an older copy, not a
     * backup): what the default {@link #storedIdempotencyRecords()} and {@link #storedHistory()} read. Override it for
     * a backend that keeps its rows in files; the default refuses, so that a backend with another medium overrides
     * those two hooks instead.
     *
     * @throws Exception when the location cannot tell where its rows are now; the test then fails with it
     */
    default Path storageRoot() throws Exception {
        throw new UnsupportedOperationException("this StoreLocation keeps no files under storageRoot(): override"
                + " storageRoot(), or storedIdempotencyRecords() and storedHistory(), so that the kit can read the"
                + " storage straight");
    }

    /**
     * Every idempotency record this location stores, as the text it is stored as (fingerprints and results, each row
     * or record on a line), read straight from the storage and not through the store's API: so that the kit can prove
     * no secret, nor a digest of one, is kept there.
     *
     * <p>By default the text of every file under {@link #storageRoot()} whose path below it contains
     * {@code idempotency} (a file {@code idempotency.json}, a directory {@code idempotency/}).
     *
     * @throws Exception when the storage cannot be read; the test then fails with it
     */
    default String storedIdempotencyRecords() throws Exception {
        return filesNamed(storageRoot(), "idempotency");
    }

    /**
     * Every change-history row this location stores, as stored (each row on a line, its snapshot as JSON text), read
     * straight from the storage: so that the kit can prove which rows keep a ciphertext.
     *
     * <p>By default the text of every file under {@link #storageRoot()} whose path below it contains {@code history}.
     *
     * @throws Exception when the storage cannot be read; the test then fails with it
     */
    default String storedHistory() throws Exception {
        return filesNamed(storageRoot(), "history");
    }

    /**
     * Sets the master-key id recorded beside every stored API key's ciphertext (a column, a field) to {@code keyId},
     * straight in the storage and not through the store's API, leaving every ciphertext exactly as it is: the
     * disagreement a hand edit or a restored column can leave, so that the kit can prove that counting, rewrapping
     * and key removal go by the key id inside each ciphertext, which decryption needs. A backend that records no key
     * id beside the ciphertext changes nothing.
     *
     * <p>By default nothing is changed. That is right for a backend that records no key id beside the ciphertext, and
     * for one on the storage path (a {@code StorageJournal} under the in-memory engine): the engine, which does the
     * counting, rewrapping and removal, is proven with relabelled rows by config-store-memory's own run of the kit,
     * and the journal only persists rows. The test then still checks counting, rewrap and removal with agreeing ids.
     *
     * @throws Exception when the storage cannot be written; the test then fails with it
     */
    default void relabelStoredKeyIds(String keyId) throws Exception {
        // Nothing: see above.
    }

    /** Deletes the location and everything in it. Called after every StoreSet opened on it was closed. */
    @Override
    void close() throws Exception;

    /** The text of every file under {@code root} whose path below it contains {@code word}, in path order. */
    private static String filesNamed(Path root, String word) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.exists(root) ? Files.walk(root) : Stream.empty()) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                if (root.relativize(file).toString().contains(word)) {
                    text.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
                }
            }
        }
        return text.toString();
    }
}
