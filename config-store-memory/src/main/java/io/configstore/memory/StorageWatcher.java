package io.configstore.memory;

import io.configstore.error.ConfigStoreException;
import io.configstore.internal.Arguments;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells a store set's subscribers of commits made elsewhere (another process, a person editing the medium) without
 * waiting for the next read: every interval it {@linkplain InMemoryStorage#refresh() refreshes} the storage, which asks
 * its {@link io.configstore.memory.spi.StorageJournal journal} whether the durable copy changed. For a storage-path
 * backend whose medium other processes share; the watch ends when the store set is closed.
 *
 * <pre>{@code
 * InMemoryStorage storage = new InMemoryStorage(rows, journal);
 * InMemoryStoreSet stores = InMemoryStoreSet.builder().storage(storage).cipherSource(cipherSource).open();
 * return StorageWatcher.watch(stores, storage, Duration.ofMillis(100));
 * }</pre>
 */
public final class StorageWatcher {
    /** One daemon thread for every watch: a refresh is a cheap look at the journal, and never keeps the JVM up. */
    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "configstore-storage-watcher");
        thread.setDaemon(true);
        return thread;
    });

    private StorageWatcher() {
    }

    /**
     * Refreshes {@code storage} every {@code interval} until {@code set} (a store set open on it) is closed. A refresh
     * that fails (the medium cannot be read right now) is tried again at the next interval.
     *
     * @return {@code set}, for chaining
     * @throws io.configstore.error.ValidationException when an argument is null or the interval is not from 1 ms to
     *     1 hour
     */
    public static InMemoryStoreSet watch(InMemoryStoreSet set, InMemoryStorage storage, Duration interval) {
        Arguments.requireNonNull("set", set);
        Arguments.requireNonNull("storage", storage);
        Arguments.requireBetween("interval", interval, Duration.ofMillis(1), Duration.ofHours(1));
        schedule(set, storage, interval.toMillis());
        return set;
    }

    private static void schedule(InMemoryStoreSet set, InMemoryStorage storage, long millis) {
        THREAD.schedule(() -> {
            try {
                set.schema(); // every call of a closed store set throws: the watch ends
            } catch (ConfigStoreException closed) {
                return;
            }
            try {
                storage.refresh();
            } catch (RuntimeException unreadable) { // whatever a journal throws: the watch goes on
                // The storage keeps its rows; look again at the next interval.
            }
            schedule(set, storage, millis);
        }, millis, TimeUnit.MILLISECONDS);
    }
}
