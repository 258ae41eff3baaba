package io.configstore.store;

import io.configstore.model.ChangeContext;
import java.util.Map;

/**
 * Master-key rotation over every stored secret of a backend, all tenants at once.
 *
 * <p>The procedure: add a new key to the {@link io.configstore.crypto.KeyRing} and make it primary (new secrets are
 * written under it from then on); {@link #rewrap} every stored secret under it; disable the old key in the ring;
 * {@link #removeKey} it, which the store refuses, with the count of rows, while any secret still needs it.
 *
 * <pre>{@code
 * ring.addKey(MasterKey.aes256("k2", newKeyBytes));
 * ring.makePrimary("k2");
 * RewrapReport report = stores.secrets().rewrap(200, progress -> log.info("{}", progress), change);
 * ring.disable("k1");
 * stores.secrets().removeKey("k1");
 * }</pre>
 */
public interface SecretMaintenance {
    /**
     * How many stored secrets each master key encrypted, by key id, across all tenants: the key id read from each
     * stored ciphertext (the key its decryption needs), not from the key id recorded beside it.
     */
    Map<String, Long> countByKeyId();

    /**
     * Re-encrypts every stored secret that is not under the cipher's primary key, in batches of {@code batchSize}.
     * Each batch commits on its own, and each row is written with compare-and-set on its version (bumped, with
     * {@code change} as who and why; {@code updatedAt} stays, since the secret did not change) after the new value has
     * been proven to decrypt to the same secret; a row changed concurrently is left for a later batch. Safe to
     * interrupt: running it again finishes the work.
     *
     * @param batchSize rows per transaction, 1 to 10,000
     * @param progress told after every batch; may be a no-op
     * @return what was done
     * @throws io.configstore.error.CryptoException naming the row when a stored secret cannot be decrypted; the
     *     batches before it stay committed
     */
    RewrapReport rewrap(int batchSize, RewrapProgress progress, ChangeContext change);

    /**
     * Removes a master key from the cipher once no stored secret needs it, and forgets its recorded key-check value.
     * "Needs" is what decryption reads: the key id inside each current row's ciphertext, as {@link #countByKeyId}
     * counts it. Change-history snapshots are not counted (after a rewrap they all still name the old key): once the
     * key is removed, rolling an API key back to a version written under it fails with a
     * {@link io.configstore.error.CryptoException} naming the key, and changes nothing.
     * The count is taken just before the removal, not under a lock: make the new key primary in every instance that
     * shares the store before removing the old one, or an instance still writing under it could store a secret in
     * between that no instance can read afterwards.
     *
     * @throws io.configstore.error.ValidationException when secrets still need the key (the message gives their
     *     count: rewrap first), or the cipher refuses (the key is the primary, or not yet disabled)
     */
    void removeKey(String keyId);

    /** Told after every committed rewrap batch. */
    @FunctionalInterface
    interface RewrapProgress {
        /** The running totals so far. */
        void onBatch(RewrapReport soFar);
    }

    /**
     * Decrypts a secret read earlier with {@link ApiKeyStore#sealed}, with this backend's cipher and without reading
     * the store: what a service serving its last-known-good snapshot uses while the store is away. The caller owns
     * the returned secret: destroy it when done.
     *
     * @throws io.configstore.error.CryptoException when the cipher cannot decrypt it (another store's key, a
     *     ciphertext bound to another row, a tampered value)
     * @throws io.configstore.error.ValidationException when {@code sealed} is null or this backend cannot open
     *     sealed secrets
     */
    default io.configstore.crypto.Secret open(io.configstore.crypto.SealedSecret sealed) {
        io.configstore.internal.Arguments.requireNonNull("sealed", sealed);
        throw new io.configstore.error.ValidationException(getClass().getSimpleName() + " cannot open sealed secrets;"
                + " read the secret with ApiKeyStore.reveal while the store is reachable");
    }
}
