package io.configstore.store;

/**
 * The three stores of one tenant, over one backend. No tenant ever sees another tenant's rows.
 */
public interface TenantStores {
    /** The tenant id used when a host names none. */
    String DEFAULT_TENANT = "default";

    /** The tenant these stores read and write. */
    String tenantId();

    /** Provider configurations of this tenant. */
    ProviderConfigStore providers();

    /** API keys of this tenant. */
    ApiKeyStore apiKeys();

    /** Configuration documents of this tenant. */
    ConfigStore documents();

    /**
     * The stores of another tenant on the same backend. Inside a unit of work, they take part in the same unit.
     *
     * @throws io.configstore.error.ValidationException when the tenant id is malformed
     */
    TenantStores forTenant(String tenantId);

    /**
     * The change history of this tenant: every write's entry, listing and rollback. Inside a unit of work it takes
     * part in the unit.
     *
     * @throws io.configstore.error.StorageException when this backend keeps no history (the default, for backends
     *     written before history existed)
     */
    default io.configstore.history.ChangeHistory history() {
        throw new io.configstore.error.StorageException("this backend keeps no history; use a backend that does"
                + " (in-memory, SQLite, PostgreSQL, file)");
    }
}
