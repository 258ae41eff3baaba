package io.configstore.testkit;

/** Tenants: no tenant ever sees another's rows, defaults or ids. */
public interface TenantIsolationContract extends StoreContract {
}
