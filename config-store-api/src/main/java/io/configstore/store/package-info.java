/**
 * The store interfaces: {@link io.configstore.store.ProviderConfigStore}, {@link io.configstore.store.ApiKeyStore},
 * {@link io.configstore.store.ConfigStore}, grouped per tenant by {@link io.configstore.store.TenantStores}, opened as
 * a {@link io.configstore.store.StoreSet} with atomic {@link io.configstore.store.UnitOfWork units of work}, and the
 * options every backend's builder shares ({@link io.configstore.store.StoreSetBuilder}). API.
 */
package io.configstore.store;
