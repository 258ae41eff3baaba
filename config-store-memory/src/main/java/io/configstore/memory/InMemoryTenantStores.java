package io.configstore.memory;

import io.configstore.model.Arguments;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.TenantStores;

/** The three in-memory stores of one tenant; calls go through the set, so they join its running unit of work. */
final class InMemoryTenantStores implements TenantStores {
    private final InMemoryStoreSet set;
    private final String tenantId;
    private final ProviderConfigStore providers;
    private final ApiKeyStore apiKeys;
    private final ConfigStore documents;

    InMemoryTenantStores(InMemoryStoreSet set, String tenantId) {
        this.set = set;
        this.tenantId = tenantId;
        this.providers = new InMemoryProviderConfigStore(set, tenantId);
        this.apiKeys = new InMemoryApiKeyStore(set, tenantId);
        this.documents = new InMemoryConfigStore(set, tenantId);
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public ProviderConfigStore providers() {
        return providers;
    }

    @Override
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    @Override
    public ConfigStore documents() {
        return documents;
    }

    @Override
    public io.configstore.history.ChangeHistory history() {
        return new InMemoryHistory(set, tenantId);
    }

    @Override
    public TenantStores forTenant(String otherTenantId) {
        Arguments.requireTenantId(otherTenantId);
        return set.forTenant(otherTenantId);
    }
}
