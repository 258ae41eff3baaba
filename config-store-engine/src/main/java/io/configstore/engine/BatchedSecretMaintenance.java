package io.configstore.engine;

import io.configstore.crypto.SecretBinding;
import io.configstore.crypto.SecretCipher;
import io.configstore.crypto.StoreMetadata;
import io.configstore.error.CryptoException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.store.RewrapReport;
import io.configstore.store.SecretMaintenance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SecretMaintenance} written once for every backend: the batched rewrap loop, its progress and its guard
 * against endless conflicts, the count by key and the checked key removal. A backend supplies two primitives over its
 * storage: {@link #secretsAfter} and {@link #writeRewrapped}.
 *
 * <p>Which key a stored secret needs is read from the ciphertext itself ({@link SecretCipher#keyIdOf}), as
 * decryption reads it, never from a key-id column or field a backend keeps beside it: if the two ever disagree (a
 * hand-edited file, a restored column), counting the column could let a key be removed while a secret still needs
 * it, and a rewrap could skip a secret still under the old key.
 */
public abstract class BatchedSecretMaintenance implements SecretMaintenance {
    /** Largest accepted rewrap batch. */
    public static final int MAX_BATCH = 10_000;
    /** Batches in a row that may write nothing (every row changed concurrently) before the rewrap gives up. */
    private static final int MAX_IDLE_BATCHES = 10;

    private final SecretCipher cipher;
    private final StoreMetadata metadata;

    /**
     * One stored secret as a rewrap reads it.
     *
     * @param binding the row it belongs to
     * @param ciphertext the stored value
     * @param version the row's version when read, for compare-and-set
     */
    public record StoredSecret(SecretBinding binding, String ciphertext, long version) {
    }

    /** Maintenance over a backend whose secrets {@code cipher} encrypts and whose metadata is {@code metadata}. */
    protected BatchedSecretMaintenance(SecretCipher cipher, StoreMetadata metadata) {
        this.cipher = Arguments.requireNonNull("cipher", cipher);
        this.metadata = Arguments.requireNonNull("metadata", metadata);
    }

    /** Stored secrets read per call of {@link #secretsAfter} while counting or looking for secrets to rewrap. */
    private static final int SCAN_PAGE = 500;

    /**
     * Up to {@code limit} stored secrets (current rows, every tenant) that come after the row {@code after} in the
     * order tenant id, then row id; from the first row when {@code after} is null.
     */
    protected abstract List<StoredSecret> secretsAfter(SecretBinding after, int limit);

    /**
     * Writes new ciphertexts under {@code keyId} in one transaction, each with compare-and-set on the version read
     * (bumping it; {@code updatedAt} stays), and returns how many rows were written.
     */
    protected abstract int writeRewrapped(List<StoredSecret> read, List<String> ciphertexts, String keyId,
                                          ChangeContext change);

    @Override
    public final RewrapReport rewrap(int batchSize, RewrapProgress progress, ChangeContext change) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new ValidationException("batchSize must be between 1 and " + MAX_BATCH + ", was " + batchSize);
        }
        Arguments.requireNonNull("progress", progress);
        Arguments.requireNonNull("change", change);
        String primary = cipher.primaryKeyId();
        // Counted once: each batch's progress subtracts what it wrote instead of counting every row again, and the
        // scan goes on from where the last batch stopped, so a rewrap reads each row about once, not once per batch.
        Map<String, Long> remaining = new TreeMap<>(countByKeyId());
        remaining.remove(primary);
        long rewrapped = 0;
        int batches = 0;
        int idleBatches = 0;
        SecretBinding cursor = null;
        boolean passWroteAll = true;
        while (true) {
            Scan scan = secretsNotUnder(primary, batchSize, cursor);
            List<StoredSecret> batch = scan.found();
            if (!batch.isEmpty()) {
                // Decrypt and re-encrypt outside the write, so that a database's write lock is held only for the
                // UPDATEs.
                List<String> values = new ArrayList<>(batch.size());
                for (StoredSecret secret : batch) {
                    values.add(cipher.rewrap(secret.ciphertext(), secret.binding()));
                }
                int written = writeRewrapped(batch, values, primary, change);
                rewrapped += written;
                batches++;
                if (written == batch.size()) {
                    batch.forEach(secret -> remaining.computeIfPresent(keyIdOf(secret.ciphertext()),
                            (key, count) -> count > 1 ? count - 1 : null));
                } else {
                    passWroteAll = false;
                }
                idleBatches = written == 0 ? idleBatches + 1 : 0;
                if (idleBatches >= MAX_IDLE_BATCHES) {
                    throw new StorageException("rewrap made no progress in " + MAX_IDLE_BATCHES + " batches in a"
                            + " row: the rows keep changing concurrently; run it again when writes are quieter");
                }
                progress.onBatch(new RewrapReport(primary, rewrapped, batches, remaining));
            }
            cursor = scan.position();
            if (scan.reachedEnd()) {
                // Rows changed concurrently during this pass kept their old key: one more pass takes them.
                if (passWroteAll || cursor == null) {
                    break;
                }
                cursor = null;
                passWroteAll = true;
            }
        }
        return report(primary, rewrapped, batches);
    }

    /**
     * Counts every stored secret by the key id inside its ciphertext, which is the key its decryption needs; a
     * ciphertext not in the cipher's stored form counts under {@code "?"} (no key can decrypt it).
     */
    @Override
    public final Map<String, Long> countByKeyId() {
        Map<String, Long> counts = new TreeMap<>();
        SecretBinding after = null;
        while (true) {
            List<StoredSecret> page = secretsAfter(after, SCAN_PAGE);
            for (StoredSecret secret : page) {
                counts.merge(keyIdOf(secret.ciphertext()), 1L, Long::sum);
            }
            if (page.size() < SCAN_PAGE) {
                return Collections.unmodifiableMap(counts);
            }
            after = page.get(page.size() - 1).binding();
        }
    }

    /** What one scan found, and where it stopped: the last row it looked at, and whether that was the last row. */
    private record Scan(List<StoredSecret> found, SecretBinding position, boolean reachedEnd) {
    }

    /**
     * Up to {@code limit} stored secrets whose ciphertext is not under {@code keyId}, in (tenant, id) order, from
     * the row after {@code after}.
     */
    private Scan secretsNotUnder(String keyId, int limit, SecretBinding after) {
        List<StoredSecret> found = new ArrayList<>();
        SecretBinding position = after;
        while (true) {
            List<StoredSecret> page = secretsAfter(position, SCAN_PAGE);
            for (StoredSecret secret : page) {
                position = secret.binding();
                if (!keyIdOf(secret.ciphertext()).equals(keyId)) {
                    found.add(secret);
                    if (found.size() == limit) {
                        return new Scan(found, position, false);
                    }
                }
            }
            if (page.size() < SCAN_PAGE) {
                return new Scan(found, position, true);
            }
        }
    }

    private String keyIdOf(String ciphertext) {
        try {
            return cipher.keyIdOf(ciphertext);
        } catch (CryptoException e) {
            return "?";
        }
    }

    @Override
    public final void removeKey(String keyId) {
        Arguments.requireNonNull("keyId", keyId);
        long needing = countByKeyId().getOrDefault(keyId, 0L);
        if (needing > 0) {
            throw new ValidationException(needing + " stored secret(s) are still encrypted with master key '" + keyId
                    + "'; run secrets().rewrap(...) so that they move to the primary key, then remove it");
        }
        cipher.removeKey(keyId);
        KeyChecks.forget(keyId, metadata);
    }

    private RewrapReport report(String primary, long rewrapped, int batches) {
        Map<String, Long> remaining = new TreeMap<>(countByKeyId());
        remaining.remove(primary);
        return new RewrapReport(primary, rewrapped, batches, remaining);
    }

    /** Decrypts {@code sealed} with this backend's cipher, reading nothing from the store. */
    @Override
    public final io.configstore.crypto.Secret open(io.configstore.crypto.SealedSecret sealed) {
        Arguments.requireNonNull("sealed", sealed);
        return cipher.decrypt(sealed.ciphertext(), sealed.binding());
    }
}
