package io.configstore.service;

import io.configstore.crypto.Secret;
import io.configstore.error.NotFoundException;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.store.ApiKeyStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The service's API keys: metadata from the snapshot, secrets revealed by the store, writes through to the store
 * (dropping the snapshot before returning), uses coalesced in memory. See {@link ConfigurationService}.
 */
final class CachedApiKeyStore implements ApiKeyStore {
    private static final String ENTITY = "API key";

    private final ConfigurationService service;
    private final Supplier<ApiKeyStore> store;
    private final CachedSection<ApiKeySnapshot> section;
    /** Every write method goes through it: the one write path of the service. */
    private final WriteThrough writes;
    private final UsageBuffer usage;

    CachedApiKeyStore(ConfigurationService service, Supplier<ApiKeyStore> store, CachedSection<ApiKeySnapshot> section,
                      UsageBuffer usage) {
        this.service = service;
        this.store = store;
        this.section = section;
        this.writes = new WriteThrough(service, section);
        this.usage = usage;
    }

    @Override
    public String tenantId() {
        return service.tenantId();
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ApiKeyMetadata store(String providerType, String keyName, Secret secret, ChangeContext change) {
        return writes.call(() -> store.get().store(providerType, keyName, secret, change));
    }

    /** From the snapshot. */
    @Override
    public Optional<ApiKeyMetadata> get(String id) {
        service.checkOpen();
        Arguments.requireNonNull("id", id);
        Optional<ApiKeyMetadata> found = section.read().byId(id);
        if (found != null) {
            return found;
        }
        Arguments.requireId("id", id);
        return Optional.empty();
    }

    /** From the snapshot: an immutable list. */
    @Override
    public List<ApiKeyMetadata> list() {
        service.checkOpen();
        return section.read().all();
    }

    /** From the snapshot: an immutable list. */
    @Override
    public List<ApiKeyMetadata> listByType(String providerType) {
        service.checkOpen();
        Arguments.requireProviderType(providerType);
        return section.read().byType(providerType);
    }

    /**
     * From the store while it is reachable, never cached in plaintext: one store read and one decryption per call.
     * While the store is away, the ciphertext kept in the last-known-good snapshot is opened with the store's
     * cipher instead (see {@link ConfigurationService}).
     */
    @Override
    public Secret reveal(String id) {
        service.checkOpen();
        Arguments.requireId("id", id);
        return service.reveal(id);
    }

    /** From the snapshot, as the store chose it when the snapshot was loaded. */
    @Override
    public Optional<ApiKeyMetadata> findActive(String providerType) {
        service.checkOpen();
        Arguments.requireProviderType(providerType);
        return section.read().active(providerType);
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ApiKeyMetadata rotate(String id, Secret newSecret, ChangeContext change) {
        return writes.call(() -> store.get().rotate(id, newSecret, change));
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ApiKeyMetadata deactivate(String id, ChangeContext change) {
        return writes.call(() -> store.get().deactivate(id, change));
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ApiKeyMetadata activate(String id, ChangeContext change) {
        return writes.call(() -> store.get().activate(id, change));
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public void delete(String id, ChangeContext change) {
        writes.run(() -> store.get().delete(id, change));
    }

    /**
     * Notes the use in memory (the latest time per key) without touching the store; the service writes it at its
     * next usage flush. See {@link ConfigurationService} for the bound on what a crash loses.
     *
     * @throws NotFoundException when the snapshot has no key with this id
     */
    @Override
    public void recordUsage(String id) {
        service.checkOpen();
        Arguments.requireNonNull("id", id);
        if (section.read().byId(id) == null) {
            Arguments.requireId("id", id);
            throw new NotFoundException(ENTITY, tenantId(), id);
        }
        usage.record(id);
    }

    @Override
    public String toString() {
        return "CachedApiKeyStore[tenant " + tenantId() + "]";
    }

    /** Always from the store, like {@link #reveal}: the service hands out no ciphertext it keeps. */
    @Override
    public io.configstore.crypto.SealedSecret sealed(String id) {
        service.checkOpen();
        return store.get().sealed(id);
    }
}
