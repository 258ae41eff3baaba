package io.configstore.memory;

import io.configstore.engine.StoredKey;
import io.configstore.idempotency.IdempotentWrites;
import io.configstore.idempotency.Requests;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.store.ApiKeyStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/** {@link ApiKeyStore} of one tenant over an {@link InMemoryStoreSet}; only ciphertext is kept. */
final class InMemoryApiKeyStore implements ApiKeyStore {
    private static final String ENTITY = "API key";
    private static final Comparator<ApiKeyMetadata> LISTING = Comparator.comparing(ApiKeyMetadata::providerType)
            .thenComparing(ApiKeyMetadata::keyName);
    /** Most recently stored, rotated or activated first; an active key's last change is one of those. */
    private static final Comparator<ApiKeyMetadata> MOST_RECENT = Comparator.comparing(ApiKeyMetadata::updatedAt)
            .reversed().thenComparing(ApiKeyMetadata::keyName);

    private final InMemoryStoreSet set;
    private final String tenantId;

    InMemoryApiKeyStore(InMemoryStoreSet set, String tenantId) {
        this.set = set;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public ApiKeyMetadata store(String providerType, String keyName, Secret secret, ChangeContext change) {
        Arguments.requireProviderType(providerType);
        Arguments.requireName("keyName", keyName);
        Arguments.requireNonNull("secret", secret);
        Arguments.requireNonNull("change", change);
        return set.write(change, Requests.storeKey(tenantId, providerType, keyName), IdempotentWrites.API_KEY,
                (tables, recorded) -> holds(tables, recorded, secret), tables -> {
            if (tables.keyIndex().idOfName(tenantId, providerType, keyName) != null) {
                throw new DuplicateException("provider type '" + providerType + "' already has an API key named '"
                        + keyName + "' in tenant '" + tenantId + "'; choose another name or rotate the existing key");
            }
            String id = UUID.randomUUID().toString();
            String ciphertext = encrypt(secret, new SecretBinding(tenantId, providerType, keyName, id));
            Instant now = set.now();
            ApiKeyMetadata metadata = new ApiKeyMetadata(id, tenantId, providerType, keyName, true, 1,
                    set.cipher().keyIdOf(ciphertext), now, now, null, change.changedBy(), change.reason());
            tables.keys.put(id, new StoredKey(metadata, ciphertext));
            return metadata;
        });
    }

    @Override
    public Optional<ApiKeyMetadata> get(String id) {
        Arguments.requireId("id", id);
        return find(set.read(), id).map(StoredKey::metadata);
    }

    @Override
    public List<ApiKeyMetadata> list() {
        return select(set.read(), k -> true);
    }

    @Override
    public List<ApiKeyMetadata> listByType(String providerType) {
        Arguments.requireProviderType(providerType);
        return select(set.read(), k -> k.providerType().equals(providerType));
    }

    @Override
    public Secret reveal(String id) {
        Arguments.requireId("id", id);
        StoredKey key = require(set.read(), id);
        return set.cipher().decrypt(key.ciphertext(), binding(key.metadata()));
    }

    @Override
    public Optional<ApiKeyMetadata> findActive(String providerType) {
        Arguments.requireProviderType(providerType);
        return select(set.read(), k -> k.providerType().equals(providerType) && k.active()).stream()
                .min(MOST_RECENT);
    }

    @Override
    public ApiKeyMetadata rotate(String id, Secret newSecret, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("newSecret", newSecret);
        Arguments.requireNonNull("change", change);
        return set.write(change, Requests.rotateKey(tenantId, id), IdempotentWrites.API_KEY,
                (tables, recorded) -> holds(tables, recorded, newSecret), tables -> {
            ApiKeyMetadata old = require(tables, id).metadata();
            String ciphertext = encrypt(newSecret, binding(old));
            ApiKeyMetadata rotated = changed(old, old.active(), set.cipher().keyIdOf(ciphertext), change);
            tables.keys.put(id, new StoredKey(rotated, ciphertext));
            return rotated;
        });
    }

    /**
     * Whether the key a recorded store or rotation wrote is still at that version and holds {@code given}: the
     * secret is not in the idempotency fingerprint, so a replay compares it here (in constant time).
     */
    private boolean holds(Tables tables, ApiKeyMetadata recorded, Secret given) {
        StoredKey key = tables.keys.get(recorded.id());
        if (key == null || key.metadata().version() != recorded.version()) {
            return false;
        }
        try (Secret stored = set.cipher().decrypt(key.ciphertext(), binding(key.metadata()))) {
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

    @Override
    public void delete(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        set.write(change, Requests.deleteKey(tenantId, id), IdempotentWrites.NONE, tables -> {
            require(tables, id);
            tables.keys.remove(id);
            return null;
        });
    }

    @Override
    public void recordUsage(String id) {
        Arguments.requireId("id", id);
        set.write(tables -> {
            StoredKey key = require(tables, id);
            ApiKeyMetadata m = key.metadata();
            ApiKeyMetadata used = new ApiKeyMetadata(m.id(), m.tenantId(), m.providerType(), m.keyName(), m.active(),
                    m.version(), m.encryptionKeyId(), m.createdAt(), m.updatedAt(), set.now(), m.changedBy(),
                    m.changeReason());
            tables.keys.put(id, new StoredKey(used, key.ciphertext()));
            return null;
        });
    }

    private ApiKeyMetadata setActive(String id, boolean active, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        return set.write(change, Requests.setKeyActive(tenantId, id, active), IdempotentWrites.API_KEY, tables -> {
            StoredKey key = require(tables, id);
            if (key.metadata().active() == active) {
                return key.metadata();
            }
            ApiKeyMetadata flipped = changed(key.metadata(), active, key.metadata().encryptionKeyId(), change);
            tables.keys.put(id, new StoredKey(flipped, key.ciphertext()));
            return flipped;
        });
    }

    private ApiKeyMetadata changed(ApiKeyMetadata m, boolean active, String encryptionKeyId, ChangeContext change) {
        return new ApiKeyMetadata(m.id(), m.tenantId(), m.providerType(), m.keyName(), active, m.version() + 1,
                encryptionKeyId, m.createdAt(), set.now(), m.lastUsedAt(), change.changedBy(), change.reason());
    }

    private String encrypt(Secret secret, SecretBinding binding) {
        if (secret.isDestroyed()) {
            throw new ValidationException("secret was destroyed before it was stored; pass a live Secret");
        }
        return set.cipher().encrypt(secret, binding);
    }

    private static SecretBinding binding(ApiKeyMetadata m) {
        return new SecretBinding(m.tenantId(), m.providerType(), m.keyName(), m.id());
    }

    private Optional<StoredKey> find(Tables tables, String id) {
        return Optional.ofNullable(tables.keys.get(id)).filter(k -> k.metadata().tenantId().equals(tenantId));
    }

    private StoredKey require(Tables tables, String id) {
        return find(tables, id).orElseThrow(() -> new NotFoundException(ENTITY, tenantId, id));
    }

    private List<ApiKeyMetadata> select(Tables tables, Predicate<ApiKeyMetadata> filter) {
        return tables.keys.values().stream().map(StoredKey::metadata).filter(m -> m.tenantId().equals(tenantId))
                .filter(filter).sorted(LISTING).toList();
    }

    @Override
    public io.configstore.crypto.SealedSecret sealed(String id) {
        Arguments.requireId("id", id);
        StoredKey key = require(set.read(), id);
        return new io.configstore.crypto.SealedSecret(set.cipher().keyIdOf(key.ciphertext()),
                binding(key.metadata()), key.ciphertext());
    }
}
