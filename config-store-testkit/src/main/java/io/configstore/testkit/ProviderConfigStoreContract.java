package io.configstore.testkit;

/** ProviderConfigStore: creation, ordering, versions, the default rules and resolve. */
public interface ProviderConfigStoreContract extends StoreContract {
}
