package io.configstore.engine;

import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.util.function.Function;

/**
 * Transactions over {@link StoreRows}: the other half of what a storage supplies to the {@link Engine}.
 *
 * <p>A unit of work binds a transaction to the calling thread; every read and write that thread makes until the unit
 * ends joins it, each write inside a savepoint of its own, so that a write that fails inside a unit undoes only what
 * it wrote. Outside a unit, each write is a transaction of its own and each read sees the last committed rows. Changes
 * recorded with {@link StoreRows#changed} are told to subscribers after the outermost commit, in commit order, and
 * dropped with a savepoint that rolls back.
 *
 * <p>Implementations are thread-safe. Unchecked exceptions from the work pass through unchanged; the storage's own
 * failures are {@link io.configstore.error.StorageException}s (or {@link
 * io.configstore.error.StoreUnavailableException}s) whose message names {@code action}.
 */
public interface RowStorage {
    /** Runs read-only {@code work}: on the running unit's rows on this thread, else on the last committed rows. */
    <R> R read(String action, Function<StoreRows, R> work);

    /**
     * Runs {@code work}, which writes: in a savepoint of the running unit on this thread, else in a transaction of its
     * own, committed when {@code work} returns. When {@code work} throws, nothing it wrote remains.
     */
    <R> R write(String action, Function<StoreRows, R> work);

    /**
     * Runs a write of one row that checks nothing first and records no change (a key's last use), which a storage may
     * run as one autocommitted statement outside a unit of work. The same as {@link #write} by default.
     */
    default <R> R writeOneRow(String action, Function<StoreRows, R> work) {
        return write(action, work);
    }

    /**
     * Runs a unit of work: a transaction bound to this thread, or a savepoint when the thread is already in one;
     * committed when {@code work} returns, rolled back when it throws, and what it threw rethrown. {@code work} runs
     * on {@code stores}.
     */
    <T, X extends Exception> T unitOfWork(TenantStores stores, UnitOfWork<T, X> work) throws X;
}
