package io.configstore.memory;

import io.configstore.change.ChangeOrigin;
import io.configstore.error.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The data behind one or more {@link InMemoryStoreSet}s, kept in memory for as long as the host holds this object.
 * Open several store sets on one storage to act as several instances sharing a database, or close one and open
 * another to act as a restart: the rows, including the encrypted secrets, stay here.
 *
 * <p>Thread-safe: writers take one lock (as a database's write lock), readers see the last committed state without
 * waiting.
 *
 * <pre>{@code
 * InMemoryStorage storage = new InMemoryStorage();
 * try (StoreSet first = InMemoryStoreSet.open(storage, cipher)) { ... }
 * try (StoreSet again = InMemoryStoreSet.open(storage, cipher)) { ... } // sees what first committed
 * }</pre>
 */
public final class InMemoryStorage {
    /** How long a writer waits for another writer's unit of work before giving up, like a busy timeout. */
    static final Duration WRITE_LOCK_TIMEOUT = Duration.ofSeconds(60);

    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<InMemoryStoreSet> attached = new CopyOnWriteArrayList<>();
    private volatile Tables committed = Tables.empty();

    /** A new, empty storage. */
    public InMemoryStorage() {
    }

    /** The last committed state; never changed after it is returned. */
    Tables committed() {
        return committed;
    }

    /**
     * Makes {@code tables} the committed state and tells every store set open on this storage what changed: the
     * writer as local changes, the others as remote ones. Only the holder of the write lock calls this.
     */
    void publish(Tables tables, InMemoryStoreSet writer) {
        Tables before = committed;
        committed = tables;
        for (InMemoryStoreSet set : attached) {
            set.changed(tables.changesSince(before, set == writer ? ChangeOrigin.LOCAL : ChangeOrigin.REMOTE));
        }
    }

    /** Starts telling {@code set} of commits. */
    void attach(InMemoryStoreSet set) {
        attached.add(set);
    }

    /** Stops telling {@code set} of commits. */
    void detach(InMemoryStoreSet set) {
        attached.remove(set);
    }

    /**
     * Takes the write lock, waiting for a running writer to finish.
     *
     * @throws StorageException when this thread already holds it (a unit of work of another store set on this
     *     storage is running on this thread, which would deadlock a database) or when the wait times out
     */
    void lockForWriting() {
        if (writeLock.isHeldByCurrentThread()) {
            throw new StorageException("this thread is already writing to this in-memory storage through another"
                    + " StoreSet or from inside an update function; make the call through the running unit of work");
        }
        try {
            if (!writeLock.tryLock(WRITE_LOCK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StorageException("timed out after " + WRITE_LOCK_TIMEOUT.toSeconds() + " s waiting for"
                        + " another writer of this in-memory storage; keep units of work short");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for another writer of this in-memory storage", e);
        }
    }

    /** Releases the write lock taken by {@link #lockForWriting()}. */
    void unlock() {
        writeLock.unlock();
    }

    @Override
    public String toString() {
        Tables tables = committed;
        return "InMemoryStorage[providers=" + tables.providers.size() + ", apiKeys=" + tables.keys.size()
                + ", documents=" + tables.documents.size() + "]";
    }
}
