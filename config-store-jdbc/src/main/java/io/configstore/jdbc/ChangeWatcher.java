package io.configstore.jdbc;

import io.configstore.change.ChangeEvent;
import java.util.List;
import java.util.function.Consumer;

/**
 * Notices the changes that other store sets (other processes or machines) commit to the same database, each dialect
 * by its own means, and hands them to a {@link JdbcStoreSet}'s subscribers as
 * {@link io.configstore.change.ChangeOrigin#REMOTE} events. The changes this store set made itself are already told by
 * the set, as {@link io.configstore.change.ChangeOrigin#LOCAL}; a watcher skips them.
 *
 * <p>{@link #start} is called once, by the store set's constructor; {@link #close()} by the set's close.
 */
public interface ChangeWatcher extends AutoCloseable {
    /** A watcher that notices nothing: the store set tells only its own changes. */
    static ChangeWatcher none() {
        return new ChangeWatcher() {
            @Override
            public void start(Consumer<List<ChangeEvent>> publish) {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Starts watching, on a thread of the watcher's own, and hands every batch of changes it notices to
     * {@code publish} (events of kind {@link io.configstore.change.ChangeKind#RESYNC} when it may have missed some).
     */
    void start(Consumer<List<ChangeEvent>> publish);

    /** Stops watching and releases whatever the watcher holds (a connection, a thread). Idempotent. */
    @Override
    void close();
}
