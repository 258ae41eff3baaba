package io.configstore.testkit;

import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.TenantStores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the stores of some tenants hold, as read through their public methods: used to prove that a rejected
 * or rolled-back call changed nothing.
 *
 * @param providers every provider configuration, per tenant
 * @param keys every API key's metadata, per tenant
 * @param documents every document, per tenant and name
 */
record Snapshot(Map<String, List<ProviderConfig>> providers, Map<String, List<ApiKeyMetadata>> keys,
                Map<String, Map<String, ConfigDocument>> documents) {

    /** The state of the given tenants (the default tenant when none is named). */
    static Snapshot of(TenantStores stores, String... otherTenants) {
        Map<String, List<ProviderConfig>> providers = new LinkedHashMap<>();
        Map<String, List<ApiKeyMetadata>> keys = new LinkedHashMap<>();
        Map<String, Map<String, ConfigDocument>> documents = new LinkedHashMap<>();
        read(stores, providers, keys, documents);
        for (String tenant : otherTenants) {
            read(stores.forTenant(tenant), providers, keys, documents);
        }
        return new Snapshot(providers, keys, documents);
    }

    private static void read(TenantStores tenant, Map<String, List<ProviderConfig>> providers,
                             Map<String, List<ApiKeyMetadata>> keys,
                             Map<String, Map<String, ConfigDocument>> documents) {
        providers.put(tenant.tenantId(), tenant.providers().list());
        keys.put(tenant.tenantId(), tenant.apiKeys().list());
        Map<String, ConfigDocument> byName = new LinkedHashMap<>();
        for (String name : tenant.documents().names()) {
            byName.put(name, tenant.documents().load(name).orElseThrow());
        }
        documents.put(tenant.tenantId(), byName);
    }
}
