package io.configstore.file;

import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.crypto.CipherSource;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.memory.InMemoryStorage;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.migration.SchemaMigrator;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.SecretMaintenance;
import io.configstore.store.StoreSet;
import io.configstore.store.StoreSetBuilder;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StoreSet} kept in one human-readable JSON file, {@value #STORE_FILE}, in a directory: every tenant's
 * provider configurations, API keys (ciphertext exactly as the cipher wrote it) and documents, with the same
 * guarantees as the database backends. The rules of the stores are those of the in-memory engine, which this class
 * persists.
 *
 * <p><b>Writes.</b> Every write, and every unit of work as a whole, takes the directory's lock (threads and
 * processes), re-reads the file if it changed on disk, keeps a backup of the previous state, and replaces the file
 * atomically and durably (temp file, fsync, atomic rename, fsync of the directory). A reader, a crash or a power cut
 * sees the old state or the new, never a mix. {@code update(fn)} keeps its compare-and-set meaning across processes.
 *
 * <p><b>Changes elsewhere.</b> Another process's writes and a person's edits are noticed by every read and by a
 * watcher polling the file, and told to subscribers as {@link io.configstore.change.ChangeOrigin#REMOTE} changes.
 *
 * <p><b>Integrity.</b> A corrupt store file is moved aside and the newest valid backup restored (with a warning);
 * with no valid backup the open fails naming the file. A hand edit that breaks the schema fails with an
 * {@link InvalidStoreFileException} naming the JSON path and what was expected.
 *
 * <pre>{@code
 * try (FileStoreSet stores = FileStoreSet.builder().directory(Path.of("config")).cipher(cipher).open()) {
 *     stores.documents().update("app", doc -> doc.put("maxConnections", 20), ChangeContext.by("ops"));
 * }
 * }</pre>
 */
public final class FileStoreSet implements StoreSet {
    /** The name of the store file in the directory. */
    public static final String STORE_FILE = "configstore.json";
    private static final Logger LOG = LoggerFactory.getLogger(FileStoreSet.class);

    private final Path directory;
    private final InMemoryStorage storage;
    private final FileJournal journal;
    private final InMemoryStoreSet engine;
    private final BackupDirectory backups;
    private final DirectoryLock lock;
    private final ScheduledExecutorService watcher;
    private volatile boolean closed;

    private FileStoreSet(Path directory, InMemoryStorage storage, FileJournal journal, InMemoryStoreSet engine,
                         BackupDirectory backups, DirectoryLock lock, Duration watchInterval) {
        this.directory = directory;
        this.storage = storage;
        this.journal = journal;
        this.engine = engine;
        this.backups = backups;
        this.lock = lock;
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "configstore-file-watch-" + directory.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(this::pollQuietly, watchInterval.toMillis(), watchInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * A builder; {@link Builder#directory} is required, and one of {@link Builder#cipher}, {@link Builder#masterKeys}
     * or {@link Builder#cipherSource}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The directory holding the store file, the lock file and the backups. */
    public Path directory() {
        return directory;
    }

    /** The store file. */
    public Path storeFile() {
        return directory.resolve(STORE_FILE);
    }

    /**
     * Every backup kept, oldest first: one per change, the state just before it.
     *
     * @throws StorageException when the backup directory cannot be read
     */
    public List<BackupInfo> backups() {
        checkOpen();
        try {
            return backups.list();
        } catch (IOException e) {
            throw new StorageException("cannot list the backups in " + backups.directory() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes backup {@code id} the current state of every tenant. A change like any other: atomic, backed up first
     * (so it can be undone by restoring the backup it made), and told to subscribers.
     *
     * @throws ValidationException when {@code id} is null or blank
     * @throws io.configstore.error.NotFoundException when there is no such backup
     * @throws StorageException when the backup is not a valid store file, or the write fails
     */
    public void restore(String id) {
        Arguments.requireName("id", id);
        checkOpen();
        StoreFileFormat.Content content;
        try {
            content = backups.read(id);
        } catch (IOException e) {
            throw new StorageException("cannot read backup " + id + " in " + backups.directory() + ": "
                    + e.getMessage(), e);
        }
        storage.replaceAll(content.rows(), engine);
        LOG.info("restored backup {} (revision {}) into {}", id, content.revision(), storeFile());
    }

    /** Looks for changes made elsewhere now, as the watcher does at every interval. */
    void pollForChanges() {
        checkOpen();
        journal.recheckRecentEdit();
        storage.refresh();
    }

    private void pollQuietly() {
        try {
            if (!closed) {
                journal.recheckRecentEdit();
                storage.refresh();
            }
        } catch (RuntimeException e) {
            if (!closed) { // closing interrupts a poll that waits for a writer: not worth a warning
                LOG.warn("watching {} failed this time; trying again at the next interval", storeFile(), e);
            }
        }
    }

    @Override
    public String tenantId() {
        return engine.tenantId();
    }

    @Override
    public ProviderConfigStore providers() {
        checkOpen();
        return engine.providers();
    }

    @Override
    public ApiKeyStore apiKeys() {
        checkOpen();
        return engine.apiKeys();
    }

    @Override
    public ConfigStore documents() {
        checkOpen();
        return engine.documents();
    }

    @Override
    public TenantStores forTenant(String tenantId) {
        checkOpen();
        return engine.forTenant(tenantId);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here the unit holds the directory's lock (threads and processes) for its whole run and is written as one
     * atomic replace of the store file when it commits.
     */
    @Override
    public <T, X extends Exception> T inUnitOfWork(UnitOfWork<T, X> work) throws X {
        checkOpen();
        return engine.inUnitOfWork(work);
    }

    /** {@inheritDoc} Here the history is kept in the store file's {@code history} section. */
    @Override
    public io.configstore.history.ChangeHistory history() {
        checkOpen();
        return engine.history();
    }

    /** {@inheritDoc} Here the pruning is one atomic replace of the store file, backed up first like every change. */
    @Override
    public io.configstore.history.PruneReport pruneHistory(io.configstore.history.RetentionPolicy policy) {
        checkOpen();
        return engine.pruneHistory(policy);
    }

    @Override
    public List<String> tenantIds() {
        checkOpen();
        return engine.tenantIds();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here each rewrap batch is one atomic replace of the store file, backed up first like every change.
     */
    @Override
    public SecretMaintenance secrets() {
        checkOpen();
        return engine.secrets();
    }

    @Override
    public Subscription subscribe(ChangeListener listener) {
        checkOpen();
        return engine.subscribe(listener);
    }

    /** {@inheritDoc} The store file has no migrations: its format version is checked when it is read. */
    @Override
    public SchemaMigrator schema() {
        checkOpen();
        return engine.schema();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.shutdownNow();
        try {
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
        lock.release();
    }

    @Override
    public String toString() {
        return "FileStoreSet[" + storeFile() + (closed ? ", closed" : "") + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("this file store set on " + directory + " is closed; open it again with"
                    + " FileStoreSet.builder()");
        }
    }

    /**
     * Options of a {@link FileStoreSet}, validated when set and again by {@link #open()}.
     *
     * <p>Not thread-safe; the store set it opens is.
     */
    public static final class Builder extends StoreSetBuilder<Builder> {
        /** Default number of backups kept. */
        public static final int DEFAULT_BACKUPS_TO_KEEP = 10;
        /** Default size above which a backup is gzip-compressed, in bytes. */
        public static final long DEFAULT_COMPRESS_ABOVE = 64 * 1024;
        /** Default interval at which the file is checked for changes made elsewhere. */
        public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(1);
        private static final Duration MIN_WATCH_INTERVAL = Duration.ofMillis(10);
        // The scheduler takes milliseconds as a long: a bound keeps toMillis() from overflowing at open.
        private static final Duration MAX_WATCH_INTERVAL = Duration.ofHours(1);

        private Path directory;
        private int backupsToKeep = DEFAULT_BACKUPS_TO_KEEP;
        private long compressAbove = DEFAULT_COMPRESS_ABOVE;
        private Duration watchInterval = DEFAULT_WATCH_INTERVAL;
        private AtomicFileWriter.CrashPoint crashPoint = temp -> { };
        private boolean createIfAbsent = true;

        private Builder() {
            super("FileStoreSet");
        }

        /** The store directory (required); created, owner-only on POSIX, if absent. */
        public Builder directory(Path directory) {
            this.directory = Arguments.requireNonNull("directory", directory);
            return this;
        }

        /**
         * How many backups to keep, 1 to 1000; the oldest beyond are deleted. Default {@value #DEFAULT_BACKUPS_TO_KEEP}.
         *
         * @throws ValidationException when out of range
         */
        public Builder backupsToKeep(int backupsToKeep) {
            if (backupsToKeep < 1 || backupsToKeep > 1000) {
                throw new ValidationException("backupsToKeep must be from 1 to 1000, was " + backupsToKeep);
            }
            this.backupsToKeep = backupsToKeep;
            return this;
        }

        /**
         * Backups larger than this many bytes are gzip-compressed; 0 compresses every one. Default 64 KiB.
         *
         * @throws ValidationException when negative
         */
        public Builder compressBackupsAbove(long bytes) {
            if (bytes < 0) {
                throw new ValidationException("compressBackupsAbove must be 0 or more bytes, was " + bytes);
            }
            this.compressAbove = bytes;
            return this;
        }

        /**
         * How often the watcher checks the file for changes made elsewhere, from 10 ms to 1 hour. Default 1 s. Reads
         * check it too, so this only bounds how late subscribers hear of such changes.
         *
         * @throws ValidationException when null, shorter than 10 ms or longer than 1 hour
         */
        public Builder watchInterval(Duration interval) {
            this.watchInterval = Arguments.requireBetween("watchInterval", interval, MIN_WATCH_INTERVAL,
                    MAX_WATCH_INTERVAL);
            return this;
        }

        /**
         * Whether {@link #open()} creates the directory and an empty store file when there is none (the default), or
         * fails, creating nothing (no directory, lock or store file): for tools that only read, where a mistyped path
         * must be an error rather than a new empty store.
         */
        public Builder createIfAbsent(boolean create) {
            this.createIfAbsent = create;
            return this;
        }

        /** For tests: what runs between the temp file and the rename of every write, as a crash there would. */
        Builder crashPoint(AtomicFileWriter.CrashPoint crashPoint) {
            this.crashPoint = crashPoint;
            return this;
        }

        /**
         * Opens the store: creates the directory and an empty store file if absent, removes temp files a crashed
         * writer left, and loads the file (recovering a corrupt one from the newest valid backup).
         *
         * @throws ValidationException when the directory or cipher was not set, or the master keys are misconfigured
         * @throws io.configstore.error.CryptoException when no master key can be had, or the key (or password) is not
         *     the one the store was written with; nothing was read or written then
         * @throws InvalidStoreFileException when a hand edit broke the schema: fix the file by hand
         * @throws StorageException when the directory cannot be used, or the file is corrupt with no valid backup
         *     (the message names it), or, with {@code createIfAbsent(false)}, there is no store file
         */
        @Override
        public FileStoreSet open() {
            if (directory == null) {
                throw new ValidationException("directory is required: call directory(Path) before open()");
            }
            CipherSource cipherSource = requireCipherSource();
            Clock clock = timestamps();
            if (!createIfAbsent && !Files.isRegularFile(directory.resolve(STORE_FILE))) {
                throw new StorageException("there is no store in " + directory.toAbsolutePath() + " (no " + STORE_FILE
                        + "), and createIfAbsent(false) creates nothing: check the path");
            }
            Path realDirectory = prepareDirectory(directory);
            DirectoryLock lock = DirectoryLock.acquire(realDirectory);
            try {
                StoreFileFormat format = new StoreFileFormat();
                AtomicFileWriter writer = new AtomicFileWriter(crashPoint);
                BackupDirectory backups = new BackupDirectory(realDirectory.resolve(BackupDirectory.NAME),
                        backupsToKeep, compressAbove, writer, format);
                FileJournal journal = new FileJournal(realDirectory.resolve(STORE_FILE), format, writer, backups,
                        lock, clock);
                InMemoryStorage storage = new InMemoryStorage(journal.open(), journal);
                InMemoryStoreSet engine = InMemoryStoreSet.builder().storage(storage).cipherSource(cipherSource)
                        .clock(clock).open();
                return new FileStoreSet(realDirectory, storage, journal, engine, backups, lock, watchInterval);
            } catch (RuntimeException e) {
                lock.release();
                throw e;
            }
        }

        private static Path prepareDirectory(Path directory) {
            try {
                if (!Files.isDirectory(directory)) {
                    if (Files.getFileStore(existingAncestor(directory)).supportsFileAttributeView("posix")) {
                        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
                    } else {
                        Files.createDirectories(directory);
                    }
                }
                return directory.toRealPath();
            } catch (IOException e) {
                throw new StorageException("cannot create or open the store directory " + directory + ": "
                        + e.getMessage() + "; check the path and its permissions", e);
            }
        }

        private static Path existingAncestor(Path directory) {
            Path candidate = directory.toAbsolutePath();
            while (candidate != null && !Files.exists(candidate)) {
                candidate = candidate.getParent();
            }
            return candidate == null ? directory.toAbsolutePath().getRoot() : candidate;
        }
    }
}
