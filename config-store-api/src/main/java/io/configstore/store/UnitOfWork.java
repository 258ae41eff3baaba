package io.configstore.store;

/**
 * A block of work run atomically across the stores of a {@link StoreSet}: see {@link StoreSet#inUnitOfWork}.
 *
 * @param <T> what the block returns
 * @param <X> the checked exception the block may throw
 */
@FunctionalInterface
public interface UnitOfWork<T, X extends Exception> {
    /**
     * Does the work through {@code stores} (the default tenant's; {@link TenantStores#forTenant} reaches others).
     *
     * @return the unit's result, handed back by {@link StoreSet#inUnitOfWork}
     */
    T run(TenantStores stores) throws X;
}
