package io.configstore.store;

import io.configstore.crypto.Secret;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import java.util.List;
import java.util.Optional;

/**
 * API keys of one tenant, encrypted at rest.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Encrypted before storage.</b> A secret is encrypted by the store's
 *       {@link io.configstore.crypto.SecretCipher}, bound to its row, before it reaches any storage; plaintext is
 *       never written, logged or put in an exception message. Metadata never carries the secret: only
 *       {@link #reveal} returns it.</li>
 *   <li><b>Unique names.</b> At most one key per (tenant, provider type, key name).</li>
 *   <li><b>Versions.</b> A key starts at version 1; {@link #rotate}, {@link #activate} and {@link #deactivate} each
 *       bump it. {@link #recordUsage} only sets {@code lastUsedAt}.</li>
 *   <li><b>Atomic.</b> Each method is one transaction; inside a {@link UnitOfWork} it joins that unit.</li>
 * </ul>
 *
 * <p>Arguments are validated before anything is touched: a bad one gives
 * {@link io.configstore.error.ValidationException} and changes nothing; a well-formed but unknown id gives
 * {@link io.configstore.error.NotFoundException}.
 */
public interface ApiKeyStore {
    /** The tenant this store reads and writes. */
    String tenantId();

    /**
     * Stores a new, active key.
     *
     * @return its metadata, version 1
     * @throws io.configstore.error.DuplicateException when the type already has a key of that name
     */
    ApiKeyMetadata store(String providerType, String keyName, Secret secret, ChangeContext change);

    /** The metadata of the key with this id, or empty. */
    Optional<ApiKeyMetadata> get(String id);

    /** The metadata of every key of the tenant, ordered by provider type, then key name. */
    List<ApiKeyMetadata> list();

    /** The metadata of the keys of one provider type, ordered by key name. */
    List<ApiKeyMetadata> listByType(String providerType);

    /**
     * Decrypts and returns the secret of a key, active or not. The caller owns the returned {@link Secret}: destroy
     * it when done.
     *
     * @throws io.configstore.error.NotFoundException when there is no key with this id
     * @throws io.configstore.error.CryptoException when the stored value cannot be decrypted
     */
    Secret reveal(String id);

    /**
     * The active key of a provider type: among its active keys, the one stored, rotated or activated last (in commit
     * order, even within one millisecond); empty when none is active.
     */
    Optional<ApiKeyMetadata> findActive(String providerType);

    /**
     * Replaces a key's secret. The old ciphertext is overwritten in the same row.
     *
     * @return the metadata with its version bumped
     * @throws io.configstore.error.NotFoundException when there is no key with this id
     */
    ApiKeyMetadata rotate(String id, Secret newSecret, ChangeContext change);

    /**
     * Marks a key inactive, so that {@link #findActive} no longer hands it out. Deactivating an inactive key changes
     * nothing.
     *
     * @throws io.configstore.error.NotFoundException when there is no key with this id
     */
    ApiKeyMetadata deactivate(String id, ChangeContext change);

    /**
     * Marks a key active again. Activating an active key changes nothing.
     *
     * @throws io.configstore.error.NotFoundException when there is no key with this id
     */
    ApiKeyMetadata activate(String id, ChangeContext change);

    /**
     * Deletes a key and its ciphertext.
     *
     * @throws io.configstore.error.NotFoundException when there is no key with this id
     */
    void delete(String id, ChangeContext change);

    /**
     * Sets {@code lastUsedAt} to now. Does not bump the version.
     *
     * @throws io.configstore.error.NotFoundException when there is no key with this id
     */
    void recordUsage(String id);

    /**
     * The stored, encrypted form of a key's secret, active or not: its ciphertext, the row it is bound to and the
     * master key it was written under. Nothing is decrypted. What a host keeps outside the store (a last-known-good
     * snapshot) instead of the secret; {@link SecretMaintenance#open} turns it back into the secret.
     *
     * @throws io.configstore.error.NotFoundException when there is no key with this id
     */
    io.configstore.crypto.SealedSecret sealed(String id);
}
