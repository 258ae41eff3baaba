package io.configstore.engine;

import io.configstore.history.ChangeHistory;
import io.configstore.internal.Arguments;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.TenantStores;

/**
 * The stores of one tenant on an {@link Engine}. Every call goes through the engine's {@link RowStorage}, whose unit
 * of work is bound to the calling thread, so inside a unit the stores of every tenant take part in it.
 */
final class EngineTenantStores implements TenantStores {
    private final Engine engine;
    private final String tenantId;
    private final ProviderConfigStore providers;
    private final ApiKeyStore apiKeys;
    private final ConfigStore documents;
    private final ChangeHistory history;

    EngineTenantStores(Engine engine, String tenantId) {
        this.engine = engine;
        this.tenantId = tenantId;
        this.providers = new EngineProviderConfigStore(engine, tenantId);
        this.apiKeys = new EngineApiKeyStore(engine, tenantId);
        this.documents = new EngineConfigStore(engine, tenantId);
        this.history = new EngineHistory(engine, tenantId);
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
    public ChangeHistory history() {
        return history;
    }

    @Override
    public TenantStores forTenant(String otherTenantId) {
        Arguments.requireTenantId(otherTenantId);
        return engine.tenant(otherTenantId);
    }

    @Override
    public String toString() {
        return "TenantStores[" + tenantId + "]";
    }
}
