package io.configstore.memory;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.error.StorageException;
import io.configstore.internal.Arguments;
import io.configstore.memory.spi.ExternalChange;
import io.configstore.memory.spi.StorageJournal;
import io.configstore.memory.spi.StorageRows;
import java.time.Duration;
import java.util.ArrayList;
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
 * try (StoreSet first = InMemoryStoreSet.builder().storage(storage).cipher(cipher).open()) { ... }
 * // a second store set on the same storage sees what the first committed:
 * try (StoreSet again = InMemoryStoreSet.builder().storage(storage).cipher(cipher).open()) { ... }
 * }</pre>
 *
 * <p>A storage made with a {@link StorageJournal} (the file backend's) writes every commit through the journal before
 * publishing it, works on the journal's rows when they changed elsewhere, and lets readers see such changes.
 */
public final class InMemoryStorage {
    /** How long a writer waits for another writer's unit of work before giving up, like a busy timeout. */
    static final Duration WRITE_LOCK_TIMEOUT = Duration.ofSeconds(60);
    /** How long a reader waits to pick up a change made elsewhere before answering from the state it has. */
    static final Duration READ_RELOAD_WAIT = Duration.ofSeconds(5);

    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<InMemoryStoreSet> attached = new CopyOnWriteArrayList<>();
    /** Null for a storage kept only in memory. */
    private final StorageJournal journal;
    private volatile Tables committed;

    /** A new, empty storage. */
    public InMemoryStorage() {
        this.committed = Tables.empty();
        this.journal = null;
    }

    /**
     * A storage that starts with {@code rows} (as {@code journal} loaded them) and makes every commit durable through
     * {@code journal} before publishing it.
     *
     * @throws io.configstore.error.ValidationException when an argument is null
     */
    public InMemoryStorage(StorageRows rows, StorageJournal journal) {
        Arguments.requireNonNull("rows", rows);
        this.journal = Arguments.requireNonNull("journal", journal);
        this.committed = Tables.of(rows);
    }

    /**
     * The last committed state; never changed after it is returned. With a journal, a reader first picks up what
     * changed elsewhere, unless a writer of this storage is running (readers never wait for writers).
     */
    Tables committed() {
        if (journal != null && !writeLock.isHeldByCurrentThread() && journal.changedOutside()
                && lockToReload()) {
            try {
                reloadFromJournal();
            } finally {
                writeLock.unlock();
            }
        }
        return committed;
    }

    /**
     * Takes the write lock for a reader that knows the journal changed elsewhere. It waits (boundedly) rather than
     * answer from the old state: the holder is usually the watcher reloading that very change, and a read that
     * starts after a write elsewhere returned must see it. After {@link #READ_RELOAD_WAIT} (a long unit of work of
     * this storage holds the lock) the reader answers from the state it has.
     */
    private boolean lockToReload() {
        try {
            return writeLock.tryLock(READ_RELOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Picks up rows changed outside this storage (another process, a person editing the file) and tells every store
     * set open on it, as remote changes. Does nothing for a storage kept only in memory. Called by a backend's
     * watcher.
     *
     * @throws StorageException when a writer holds the storage for longer than the write lock timeout
     */
    public void refresh() {
        if (journal == null || !journal.changedOutside()) {
            return;
        }
        lockLocally();
        try {
            reloadFromJournal();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Replaces every row with {@code rows} as one commit made through {@code writer} (told as a local change; other
     * store sets on this storage are told of remote ones): how a backend restores a backup. The rows must keep the
     * stores' rules (one default per type, unique names); the caller checked them.
     *
     * @throws io.configstore.error.ValidationException when an argument is null
     * @throws StorageException when the journal refuses the commit; nothing changed then
     */
    public void replaceAll(StorageRows rows, InMemoryStoreSet writer) {
        Arguments.requireNonNull("rows", rows);
        Arguments.requireNonNull("writer", writer);
        lockForWriting();
        try {
            publish(Tables.of(rows), writer);
        } finally {
            unlock();
        }
    }

    private void reloadFromJournal() {
        journal.reload().ifPresent(this::announceExternal);
    }

    /** Makes rows changed elsewhere current and tells every attached set, as remote changes. */
    private void announceExternal(ExternalChange change) {
        Tables tables = Tables.of(change.rows());
        if (change.changes() == null && !change.resync()) {
            announce(tables, null, tables.changesSince(committed, ChangeOrigin.LOCAL));
            return;
        }
        List<ChangeEvent> events = new ArrayList<>();
        if (change.resync()) {
            events.add(ChangeEvent.resync(ChangeOrigin.REMOTE));
        }
        if (change.changes() == null) {
            events.addAll(tables.changesSince(committed, ChangeOrigin.REMOTE));
        } else {
            change.changes().forEach(e -> events.add(new ChangeEvent(e.kind(), e.entity(), e.tenantId(), e.key(),
                    e.version(), ChangeOrigin.REMOTE)));
        }
        committed = tables;
        for (InMemoryStoreSet set : attached) {
            set.changed(events);
        }
    }

    /**
     * Makes {@code tables} the committed state and tells every store set open on this storage what changed: the
     * writer as local changes, the others as remote ones. Only the holder of the write lock calls this. The changes
     * of a private copy of the committed state are those its writes recorded; of other tables (a restored backup),
     * what differs from the committed rows.
     */
    void publish(Tables tables, InMemoryStoreSet writer) {
        List<ChangeEvent> changes = tables.isCopyOf(committed) ? tables.recordedChanges()
                : tables.changesSince(committed, ChangeOrigin.LOCAL);
        if (journal != null && !tables.sameRowsAs(committed)) {
            journal.commit(tables.rows(), changes);
        }
        announce(tables, writer, changes);
    }

    /**
     * Makes {@code tables} current (published: never changed again) and tells every attached set of
     * {@code changes} (what changed since the committed state, as local changes): the writer as they are, the others
     * as remote ones; {@code writer} null when made elsewhere.
     */
    private void announce(Tables tables, InMemoryStoreSet writer, List<ChangeEvent> changes) {
        List<ChangeEvent> remote = changes.stream().map(e -> new ChangeEvent(e.kind(), e.entity(), e.tenantId(),
                e.key(), e.version(), ChangeOrigin.REMOTE)).toList();
        tables.publish();
        committed = tables;
        for (InMemoryStoreSet set : attached) {
            set.changed(set == writer ? changes : remote);
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
        lockLocally();
        if (journal != null) {
            try {
                journal.beginWrite().ifPresent(this::announceExternal);
            } catch (RuntimeException e) {
                writeLock.unlock();
                throw e;
            }
        }
    }

    private void lockLocally() {
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
        try {
            if (journal != null) {
                journal.endWrite();
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        Tables tables = committed;
        return "InMemoryStorage[providers=" + tables.providers.size() + ", apiKeys=" + tables.keys.size()
                + ", documents=" + tables.documents.size() + "]";
    }
}
