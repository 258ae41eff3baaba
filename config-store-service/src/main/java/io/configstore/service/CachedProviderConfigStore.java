package io.configstore.service;

import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.ProviderConfigStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The service's provider configurations: reads from the snapshot, writes through to the store and then drop the
 * snapshot before returning. See {@link ConfigurationService} for the guarantees.
 */
final class CachedProviderConfigStore implements ProviderConfigStore {
    private final ConfigurationService service;
    private final Supplier<ProviderConfigStore> store;
    private final CachedSection<ProviderSnapshot> section;
    /** Every write method goes through it: the one write path of the service. */
    private final WriteThrough writes;

    CachedProviderConfigStore(ConfigurationService service, Supplier<ProviderConfigStore> store,
                              CachedSection<ProviderSnapshot> section) {
        this.service = service;
        this.store = store;
        this.section = section;
        this.writes = new WriteThrough(service, section);
    }

    @Override
    public String tenantId() {
        return service.tenantId();
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ProviderConfig create(NewProviderConfig config, ChangeContext change) {
        return writes.call(() -> store.get().create(config, change));
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public List<ProviderConfig> createAll(List<NewProviderConfig> configs, ChangeContext change) {
        return writes.call(() -> store.get().createAll(configs, change));
    }

    /** From the snapshot. */
    @Override
    public Optional<ProviderConfig> get(String id) {
        service.checkOpen();
        Arguments.requireNonNull("id", id);
        Optional<ProviderConfig> found = section.read().byId(id);
        if (found != null) {
            return found;
        }
        Arguments.requireId("id", id);
        return Optional.empty();
    }

    /** From the snapshot: an immutable list. */
    @Override
    public List<ProviderConfig> list() {
        service.checkOpen();
        return section.read().all();
    }

    /** From the snapshot: an immutable list. */
    @Override
    public List<ProviderConfig> listByType(String providerType) {
        service.checkOpen();
        Arguments.requireProviderType(providerType);
        return section.read().byType(providerType);
    }

    /** From the snapshot: an immutable list. */
    @Override
    public List<ProviderConfig> listByName(String name) {
        service.checkOpen();
        Arguments.requireName("name", name);
        return section.read().byName(name);
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ProviderConfig update(ProviderConfig edited, ChangeContext change) {
        return writes.call(() -> store.get().update(edited, change));
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public void delete(String id, ChangeContext change) {
        writes.run(() -> store.get().delete(id, change));
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ProviderConfig setDefault(String id, ChangeContext change) {
        return writes.call(() -> store.get().setDefault(id, change));
    }

    /** From the snapshot, computed when it was loaded. */
    @Override
    public Optional<ProviderConfig> getDefault(String providerType) {
        service.checkOpen();
        Arguments.requireProviderType(providerType);
        return section.read().defaultOf(providerType);
    }

    /** From the snapshot, computed with {@link io.configstore.store.ProviderSelection} when it was loaded. */
    @Override
    public Optional<ProviderConfig> resolve(String providerType) {
        service.checkOpen();
        Arguments.requireProviderType(providerType);
        return section.read().resolve(providerType);
    }

    @Override
    public String toString() {
        return "CachedProviderConfigStore[tenant " + tenantId() + "]";
    }
}
