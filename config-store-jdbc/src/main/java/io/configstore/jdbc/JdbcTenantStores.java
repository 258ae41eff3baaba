package io.configstore.jdbc;

import io.configstore.model.Arguments;
import io.configstore.store.TenantStores;

/** The three stores of one tenant over a {@link JdbcStoreSet}. */
final class JdbcTenantStores implements TenantStores {
    private final StoreContext context;
    private final String tenantId;
    private final JdbcProviderConfigStore providers;
    private final JdbcApiKeyStore apiKeys;
    private final JdbcConfigStore documents;

    JdbcTenantStores(StoreContext context, String tenantId) {
        this.context = context;
        this.tenantId = Arguments.requireTenantId(tenantId);
        this.providers = new JdbcProviderConfigStore(context, tenantId);
        this.apiKeys = new JdbcApiKeyStore(context, tenantId);
        this.documents = new JdbcConfigStore(context, tenantId);
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public JdbcProviderConfigStore providers() {
        return providers;
    }

    @Override
    public JdbcApiKeyStore apiKeys() {
        return apiKeys;
    }

    @Override
    public JdbcConfigStore documents() {
        return documents;
    }

    @Override
    public TenantStores forTenant(String otherTenantId) {
        return new JdbcTenantStores(context, otherTenantId);
    }

    @Override
    public io.configstore.history.ChangeHistory history() {
        context.transactions().checkOpen();
        return new JdbcHistory(context, this);
    }

    @Override
    public String toString() {
        return "TenantStores[" + tenantId + "]";
    }
}
