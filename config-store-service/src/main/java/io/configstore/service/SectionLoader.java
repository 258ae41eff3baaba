package io.configstore.service;

import io.configstore.crypto.SealedSecret;
import io.configstore.error.NotFoundException;
import io.configstore.error.StoreUnavailableException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.TenantStores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Loads the service's sections (provider configurations, API key metadata, documents): from the store while it
 * answers, keeping what it read as the last-known-good, or from the last-known-good while the store is away; also
 * reads every section of a given store for the degraded start and the recovery probe.
 */
final class SectionLoader {
    private final String tenantId;
    /** Whether API key ciphertexts are read too, for the snapshot file (never a plaintext secret). */
    private final boolean keepCiphertexts;
    private final HealthMonitor health;
    private final SnapshotKeeper keeper;
    private final Supplier<TenantStores> current;
    /** True on a thread running a unit of work started through the service: its loads are never kept. */
    private final BooleanSupplier insideUnitOfWork;

    SectionLoader(String tenantId, boolean keepCiphertexts, HealthMonitor health, SnapshotKeeper keeper,
                  Supplier<TenantStores> current, BooleanSupplier insideUnitOfWork) {
        this.tenantId = tenantId;
        this.keepCiphertexts = keepCiphertexts;
        this.health = health;
        this.keeper = keeper;
        this.current = current;
        this.insideUnitOfWork = insideUnitOfWork;
    }

    ProviderSnapshot providers() {
        return load(SectionLoader::readProviders, keeper::providers, keeper::keepProviders);
    }

    ApiKeySnapshot apiKeys() {
        return load(this::readApiKeys, keeper::keys, keeper::keepKeys);
    }

    DocumentSnapshot documents() {
        return load(SectionLoader::readDocuments, keeper::documents, keeper::keepDocuments);
    }

    /**
     * A section's load: from the store while it answers (remembering the result as last-known-good), else from
     * what was remembered.
     */
    private <S> S load(Function<TenantStores, S> fromStore, Supplier<S> remembered, Consumer<S> remember) {
        if (!health.readingStore()) {
            return fromMemory(remembered);
        }
        try {
            S fresh = fromStore.apply(current.get());
            if (!insideUnitOfWork.getAsBoolean() && !health.onFallback()) {
                remember.accept(fresh);
            }
            return fresh;
        } catch (StoreUnavailableException e) {
            if (health.onFallback()) {
                throw e;
            }
            health.storeLost(e);
            return fromMemory(remembered);
        }
    }

    private <S> S fromMemory(Supplier<S> remembered) {
        S value = remembered.get();
        if (value == null) {
            throw new StoreUnavailableException("the store of the configuration service of tenant '" + tenantId
                    + "' is away since " + health.since() + " and this part of the configuration was never loaded,"
                    + " so there is nothing to serve; it is served again once the store is back", health.since());
        }
        if (health.staleBeyondLimit()) {
            health.turnDownIfStale();
            throw new StoreUnavailableException("the store of the configuration service of tenant '" + tenantId
                    + "' is away since " + health.since() + " and the configuration last read from it ("
                    + keeper.lastSync() + ") " + health.tooOld() + ", so it is not served", health.since());
        }
        return value;
    }

    static ProviderSnapshot readProviders(TenantStores from) {
        return ProviderSnapshot.of(from.providers().list());
    }

    ApiKeySnapshot readApiKeys(TenantStores from) {
        ApiKeyStore store = from.apiKeys();
        List<ApiKeyMetadata> listed = store.list();
        // The active key depends on activation order, which metadata does not carry: ask the store, once per type.
        Map<String, Optional<ApiKeyMetadata>> active = new HashMap<>();
        for (ApiKeyMetadata key : listed) {
            active.computeIfAbsent(key.providerType(), store::findActive);
        }
        if (!keepCiphertexts) {
            return new ApiKeySnapshot(listed, active);
        }
        // Ciphertexts only, for the snapshot file: the service never holds a plaintext secret.
        Map<String, SealedSecret> sealed = new HashMap<>();
        for (ApiKeyMetadata key : listed) {
            try {
                sealed.put(key.id(), store.sealed(key.id()));
            } catch (NotFoundException deleted) {
                // Deleted since the listing: the next load will not list it either.
            }
        }
        return new ApiKeySnapshot(listed, active, sealed);
    }

    static DocumentSnapshot readDocuments(TenantStores from) {
        ConfigStore store = from.documents();
        List<ConfigDocument> loaded = new ArrayList<>();
        for (String name : store.names()) {
            // A document deleted between the listing and its load is simply absent.
            store.load(name).ifPresent(loaded::add);
        }
        return new DocumentSnapshot(loaded);
    }
}
