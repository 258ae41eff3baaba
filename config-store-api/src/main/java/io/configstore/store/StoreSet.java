package io.configstore.store;

import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.migration.SchemaMigrator;
import java.util.List;

/**
 * An open backend: the stores of every tenant, units of work across them, and the schema behind them. The methods
 * of {@link TenantStores} address the {@linkplain TenantStores#DEFAULT_TENANT default tenant}.
 *
 * <p>Thread-safe. A host may open several store sets (no global state). Closing releases every connection and file
 * handle; any call after {@link #close()} fails with {@link io.configstore.error.StorageException}.
 *
 * <pre>{@code
 * try (StoreSet stores = SqliteStoreSet.builder().path(Path.of("data/configstore.db")).cipher(cipher).open()) {
 *     stores.inUnitOfWork(tx -> {
 *         ProviderConfig p = tx.providers().create(NewProviderConfig.of("openai", "prod", settings), change);
 *         tx.apiKeys().store("openai", "prod", Secret.of(key), change);
 *         return p;
 *     });
 * }
 * }</pre>
 */
public interface StoreSet extends TenantStores, AutoCloseable {
    /**
     * Runs {@code work} as one atomic unit across all stores and tenants: everything it wrote commits when it
     * returns, and nothing of it remains when it throws (the exception is rethrown as it is). Other threads and
     * processes never see part of a unit.
     *
     * <p><b>Threads.</b> A unit belongs to the thread that runs it: every call that thread makes on this store set
     * while the unit runs, through {@code stores} or the set itself, takes part in it. Do not hand {@code stores} to
     * another thread.
     *
     * <p><b>Nesting.</b> A unit started inside another on the same thread is a savepoint within it: if the inner block
     * throws, only its own writes are undone and the exception reaches the outer block, which may catch it and go on;
     * the inner block's writes commit only when the outermost unit commits.
     *
     * <p><b>Retries.</b> A backend may run {@code work} again when the whole unit conflicts with another writer and
     * can be retried safely; keep the block free of side effects outside the stores.
     *
     * @return what {@code work} returned
     * @throws X what {@code work} threw, after rolling back
     */
    <T, X extends Exception> T inUnitOfWork(UnitOfWork<T, X> work) throws X;

    /**
     * Tells {@code listener} of every change committed from now on: those made through this store set
     * ({@link io.configstore.change.ChangeOrigin#LOCAL}) as soon as they commit, and those made elsewhere (another
     * store set, process or machine) as soon as the backend notices them, each backend by its own means. A unit of
     * work's changes are told after it commits, never when it rolls back. When the backend may have missed changes
     * made elsewhere, it sends {@link io.configstore.change.ChangeKind#RESYNC}: reload everything.
     *
     * @return close it to stop listening
     */
    Subscription subscribe(ChangeListener listener);

    /**
     * The ids of every tenant that holds at least one provider configuration, API key or document, sorted: what an
     * export or a copy between backends walks.
     */
    List<String> tenantIds();

    /** Master-key rotation over every stored secret: counts by key, rewrap, key removal. */
    SecretMaintenance secrets();

    /** The schema behind this backend: what is applied, what is pending. */
    SchemaMigrator schema();

    /** Releases every connection and file handle. Idempotent. */
    @Override
    void close();

    /**
     * Deletes the history entries of every tenant that {@code policy} does not keep (never the latest entry of an
     * entity), and the idempotency records older than the policy's idempotency age, in one transaction.
     *
     * @return how many of each were deleted
     * @throws io.configstore.error.ValidationException when {@code policy} is null
     * @throws io.configstore.error.StorageException when this backend keeps no history (the default)
     */
    default io.configstore.history.PruneReport pruneHistory(io.configstore.history.RetentionPolicy policy) {
        io.configstore.internal.Arguments.requireNonNull("policy", policy);
        throw new io.configstore.error.StorageException("this backend keeps no history; use a backend that does"
                + " (in-memory, SQLite, PostgreSQL, file)");
    }
}
