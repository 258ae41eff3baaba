package io.configstore.engine;

import io.configstore.crypto.SealedSecret;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.history.ChangeType;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.store.ApiKeyStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ApiKeyStore} of one tenant over {@link StoreRows}: only ciphertext is kept, bound to its row (tenant, type,
 * name, id), so that a ciphertext copied to another row does not decrypt.
 */
final class EngineApiKeyStore implements ApiKeyStore {
    private static final String ENTITY = "API key";
    private static final Comparator<ApiKeyMetadata> LISTING = Comparator.comparing(ApiKeyMetadata::providerType)
            .thenComparing(ApiKeyMetadata::keyName);

    private final Engine engine;
    private final String tenantId;

    EngineApiKeyStore(Engine engine, String tenantId) {
        this.engine = engine;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    /** {@inheritDoc} The secret is encrypted before the write, so that a storage's lock is held only for the rows. */
    @Override
    public ApiKeyMetadata store(String providerType, String keyName, Secret secret, ChangeContext change) {
        Arguments.requireProviderType(providerType);
        Arguments.requireName("keyName", keyName);
        Arguments.requireNonNull("secret", secret);
        Arguments.requireNonNull("change", change);
        requireLive(secret);
        String id = UUID.randomUUID().toString();
        String ciphertext = engine.cipher().encrypt(secret, new SecretBinding(tenantId, providerType, keyName, id));
        return engine.write("storing " + ENTITY + " '" + keyName + "' (" + providerType + ")", change,
                Requests.storeKey(tenantId, providerType, keyName), IdempotentWrites.API_KEY,
                (rows, recorded) -> holds(rows, recorded, secret), rows -> {
            if (rows.apiKeyNamed(tenantId, providerType, keyName).isPresent()) {
                throw duplicate(providerType, keyName);
            }
            Instant now = engine.now();
            ApiKeyMetadata metadata = new ApiKeyMetadata(id, tenantId, providerType, keyName, true, 1,
                    engine.cipher().keyIdOf(ciphertext), now, now, null, change.changedBy(), change.reason());
            if (!rows.insertApiKey(new StoredKey(metadata, ciphertext))) {
                throw duplicate(providerType, keyName);
            }
            new HistoryWriter(rows, change, metadata.updatedAt()).createdApiKey(metadata, ciphertext);
            return metadata;
        });
    }

    @Override
    public Optional<ApiKeyMetadata> get(String id) {
        Arguments.requireId("id", id);
        return engine.storage().read("reading " + ENTITY + " '" + id + "'",
                rows -> rows.apiKey(tenantId, id).map(StoredKey::metadata));
    }

    @Override
    public List<ApiKeyMetadata> list() {
        return engine.storage().read("listing API keys",
                rows -> rows.apiKeys(tenantId, null).stream().sorted(LISTING).toList());
    }

    @Override
    public List<ApiKeyMetadata> listByType(String providerType) {
        Arguments.requireProviderType(providerType);
        return engine.storage().read("listing API keys of type '" + providerType + "'",
                rows -> rows.apiKeys(tenantId, providerType).stream().sorted(LISTING).toList());
    }

    @Override
    public Secret reveal(String id) {
        Arguments.requireId("id", id);
        StoredKey key = engine.storage().read("reading " + ENTITY + " '" + id + "'", rows -> require(rows, id));
        return engine.cipher().decrypt(key.ciphertext(), binding(key.metadata()));
    }

    @Override
    public SealedSecret sealed(String id) {
        Arguments.requireId("id", id);
        StoredKey key = engine.storage().read("reading the sealed secret of " + ENTITY + " '" + id + "'",
                rows -> require(rows, id));
        return new SealedSecret(engine.cipher().keyIdOf(key.ciphertext()), binding(key.metadata()),
                key.ciphertext());
    }

    /** {@inheritDoc} Here: the last active one in the storage's activation order ({@link StoreRows#apiKeys}). */
    @Override
    public Optional<ApiKeyMetadata> findActive(String providerType) {
        Arguments.requireProviderType(providerType);
        return engine.storage().read("finding the active API key of type '" + providerType + "'",
                rows -> rows.apiKeys(tenantId, providerType).stream().filter(ApiKeyMetadata::active)
                        .reduce((earlier, later) -> later));
    }

    @Override
    public ApiKeyMetadata rotate(String id, Secret newSecret, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("newSecret", newSecret);
        Arguments.requireNonNull("change", change);
        requireLive(newSecret);
        return engine.write("rotating " + ENTITY + " '" + id + "'", change, Requests.rotateKey(tenantId, id),
                IdempotentWrites.API_KEY, (rows, recorded) -> holds(rows, recorded, newSecret), rows -> {
            StoredKey stored = require(rows, id);
            String ciphertext = engine.cipher().encrypt(newSecret, binding(stored.metadata()));
            ApiKeyMetadata rotated = next(stored.metadata(), stored.metadata().active(),
                    engine.cipher().keyIdOf(ciphertext), change);
            replace(rows, new StoredKey(rotated, ciphertext), stored, ChangeType.KEY_ROTATION, change);
            return rotated;
        });
    }

    /**
     * Whether the key a recorded store or rotation wrote is still at that version and holds {@code given}: the
     * secret is not in the idempotency fingerprint, so a replay compares it here (in constant time).
     */
    private boolean holds(StoreRows rows, ApiKeyMetadata recorded, Secret given) {
        Optional<StoredKey> key = rows.apiKey(tenantId, recorded.id());
        if (key.isEmpty() || key.get().metadata().version() != recorded.version()) {
            return false;
        }
        try (Secret stored = engine.cipher().decrypt(key.get().ciphertext(), binding(key.get().metadata()))) {
            return IdempotentWrites.sameSecret(stored, given);
        }
    }

    @Override
    public ApiKeyMetadata deactivate(String id, ChangeContext change) {
        return setActive(id, false, change);
    }

    @Override
    public ApiKeyMetadata activate(String id, ChangeContext change) {
        return setActive(id, true, change);
    }

    private ApiKeyMetadata setActive(String id, boolean active, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        return engine.write((active ? "activating " : "deactivating ") + ENTITY + " '" + id + "'", change,
                Requests.setKeyActive(tenantId, id, active), IdempotentWrites.API_KEY, rows -> {
            StoredKey stored = require(rows, id);
            if (stored.metadata().active() == active) {
                return stored.metadata();
            }
            ApiKeyMetadata flipped = next(stored.metadata(), active, stored.metadata().encryptionKeyId(), change);
            replace(rows, new StoredKey(flipped, stored.ciphertext()), stored,
                    active ? ChangeType.ENABLE : ChangeType.DISABLE, change);
            return flipped;
        });
    }

    @Override
    public void delete(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        engine.write("deleting " + ENTITY + " '" + id + "'", change, Requests.deleteKey(tenantId, id),
                IdempotentWrites.NONE, rows -> {
            StoredKey stored = require(rows, id);
            rows.deleteApiKey(tenantId, id);
            new HistoryWriter(rows, change, engine.now()).apiKey(stored.metadata(), null, ChangeType.DELETE);
            return null;
        });
    }

    /** {@inheritDoc} One row written, nothing checked first: a use is no change (no version, history or event). */
    @Override
    public void recordUsage(String id) {
        Arguments.requireId("id", id);
        engine.storage().writeOneRow("recording a use of " + ENTITY + " '" + id + "'", rows -> {
            if (!rows.recordKeyUse(tenantId, id, engine.now())) {
                throw new NotFoundException(ENTITY, tenantId, id);
            }
            return null;
        });
    }

    /** Replaces {@code stored} by {@code next} and records it; another writer's change since the read conflicts. */
    private static void replace(StoreRows rows, StoredKey next, StoredKey stored, ChangeType type, ChangeContext change) {
        if (!rows.replaceApiKey(next, stored.metadata().version())) {
            throw new VersionConflictException(ENTITY + " '" + stored.metadata().id() + "' was changed by another"
                    + " writer while this write ran; nothing was written: read it again and retry");
        }
        new HistoryWriter(rows, change, next.metadata().updatedAt()).apiKey(next.metadata(), next.ciphertext(), type);
    }

    private ApiKeyMetadata next(ApiKeyMetadata m, boolean active, String encryptionKeyId, ChangeContext change) {
        return new ApiKeyMetadata(m.id(), m.tenantId(), m.providerType(), m.keyName(), active, m.version() + 1,
                encryptionKeyId, m.createdAt(), engine.now(), m.lastUsedAt(), change.changedBy(), change.reason());
    }

    private static void requireLive(Secret secret) {
        if (secret.isDestroyed()) {
            throw new ValidationException("the secret was destroyed before it was stored; pass a live Secret");
        }
    }

    private static SecretBinding binding(ApiKeyMetadata m) {
        return new SecretBinding(m.tenantId(), m.providerType(), m.keyName(), m.id());
    }

    private StoredKey require(StoreRows rows, String id) {
        return rows.apiKey(tenantId, id).orElseThrow(() -> new NotFoundException(ENTITY, tenantId, id));
    }

    private DuplicateException duplicate(String providerType, String keyName) {
        return new DuplicateException("provider type '" + providerType + "' already has an API key named '" + keyName
                + "' in tenant '" + tenantId + "'; rotate that key or choose another name");
    }

    @Override
    public String toString() {
        return "ApiKeyStore[" + tenantId + "]";
    }
}
