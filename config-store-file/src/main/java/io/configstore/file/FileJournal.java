package io.configstore.file;

import io.configstore.change.ChangeEvent;
import io.configstore.error.StorageException;
import io.configstore.memory.spi.ExternalChange;
import io.configstore.memory.spi.StorageJournal;
import io.configstore.memory.spi.StorageRows;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists the in-memory engine's commits to the store file: under the directory lock, re-reads the file when it
 * changed on disk (another process, a person) so a writer works on the newest rows, keeps a backup of the previous
 * state, then replaces the file atomically and durably. A corrupt file is never overwritten: it is moved aside and
 * the newest valid backup restored.
 *
 * <p>Every method but {@link #changedOutside()} runs under the engine's write lock, so the fields below are only
 * changed by one thread at a time; {@link #examined} is volatile for the lock-free check.
 */
final class FileJournal implements StorageJournal {
    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);
    private static final DateTimeFormatter ASIDE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** How long a writer waits for a store file that vanished (an editor between its rename and its write). */
    private static final Duration MISSING_FILE_GRACE = Duration.ofSeconds(2);
    /** How recent a modification must be for the watcher to compare content as well as the stamp. */
    private static final Duration RECENT_EDIT_WINDOW = Duration.ofSeconds(3);
    /** Comfortably longer than a file system clock's tick (a few milliseconds on Linux). */
    private static final Duration STAMP_TICK_WINDOW = Duration.ofSeconds(1);
    /** How many store file revisions the change log keeps: another engine further behind is told to resync. */
    static final int CHANGE_LOG_WINDOW = 256;
    /** How long a writer waits for another writer of the directory. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

    private final Path file;
    private final StoreFileFormat format;
    private final AtomicFileWriter writer;
    private final BackupDirectory backups;
    private final DirectoryLock lock;
    private final Clock clock;

    /** The version of the file last looked at, good or bad: reads do not look at one version twice. */
    private volatile FileStamp examined;
    /** The version of the file the engine's rows come from (last read or written successfully). */
    private FileStamp loaded;
    /** Volatile for {@link #recheckRecentEdit()}, which runs on the watcher's thread. */
    private volatile String loadedHash;
    private StorageRows loadedRows;
    private long revision;
    private StoreFileFormat.ChangeLog log;
    /** Whether the rows come from a hand edit, which the change log does not hold. */
    private boolean handEdited;

    FileJournal(Path file, StoreFileFormat format, AtomicFileWriter writer, BackupDirectory backups,
                DirectoryLock lock, Clock clock) {
        this.file = file;
        this.format = format;
        this.writer = writer;
        this.backups = backups;
        this.lock = lock;
        this.clock = clock;
    }

    /**
     * Loads the store at open, under the lock: removes temp files a crashed writer left, creates an empty store
     * file when there is none, recovers a corrupt one from the newest valid backup.
     *
     * @return the rows to start with
     * @throws InvalidStoreFileException when the file breaks the schema (a hand edit to fix)
     * @throws StorageException when it is corrupt and no valid backup exists, naming the file
     */
    StorageRows open() {
        lock.lock(LOCK_TIMEOUT);
        try {
            List<Path> leftovers = AtomicFileWriter.deleteLeftoverTempFiles(file.getParent());
            leftovers.addAll(AtomicFileWriter.deleteLeftoverTempFiles(backups.directory()));
            if (!leftovers.isEmpty()) {
                LOG.info("removed {} temp file(s) an interrupted write left behind: {}", leftovers.size(), leftovers);
            }
            Snapshot snapshot = readStable();
            if (snapshot == null) {
                write(StorageRows.empty(), 0, StoreFileFormat.ChangeLog.startingAt(1));
            } else {
                load(snapshot);
            }
            return loadedRows;
        } catch (IOException e) {
            throw new StorageException("cannot open store file " + file + ": " + e.getMessage()
                    + "; check that the directory is readable and writable", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean changedOutside() {
        FileStamp now = FileStamp.of(file);
        // A missing file is an editor between rename and write, never a deletion.
        return now != null && (!now.sameAs(examined) || withinClockTick(now));
    }

    /**
     * Whether a stamp is too recent to identify a version: two replaces within one tick of the file system's clock
     * can reuse the freed inode and keep size and modification time, so for a moment only the content can tell.
     */
    private static boolean withinClockTick(FileStamp stamp) {
        return !stamp.modified().toInstant().isBefore(Instant.now().minus(STAMP_TICK_WINDOW));
    }

    /**
     * Catches an edit in place that kept the stamp (same inode and size, modification time within the same tick of
     * the file system's clock): when the file changed in the last few seconds, compares its content hash too, and
     * makes {@link #changedOutside()} true if it differs. For the watcher, which can afford to read the file.
     */
    void recheckRecentEdit() {
        FileStamp now = FileStamp.of(file);
        if (now == null || !now.sameAs(examined) || now.modified().toInstant()
                .isBefore(Instant.now().minus(RECENT_EDIT_WINDOW))) {
            return;
        }
        try {
            if (!StoreFileFormat.sha256Hex(Files.readAllBytes(file)).equals(loadedHash) && now.sameAs(examined)) {
                examined = null;
            }
        } catch (IOException e) {
            // Gone or unreadable for a moment: the next poll looks again.
        }
    }

    @Override
    public Optional<ExternalChange> reload() {
        try {
            Snapshot snapshot = readStable();
            if (snapshot == null || snapshot.stamp.sameAs(examined) && !withinClockTick(snapshot.stamp)) {
                return Optional.empty();
            }
            examined = snapshot.stamp;
            if (snapshot.hash.equals(loadedHash)) {
                loaded = snapshot.stamp;
                return Optional.empty();
            }
            return Optional.of(accept(format.read(file, snapshot.bytes), snapshot));
        } catch (CorruptStoreFileException e) {
            LOG.warn("store file {} cannot be read right now ({}); keeping the last good state. If it stays so, the"
                    + " next write or open moves it aside and restores the newest valid backup", file, e.getMessage());
        } catch (StorageException e) {
            LOG.warn("{}; keeping the last good state, and writes fail until the file is fixed", e.getMessage());
        } catch (IOException e) {
            LOG.warn("store file {} cannot be read right now ({}); keeping the last good state", file, e.toString());
        }
        return Optional.empty();
    }

    @Override
    public Optional<ExternalChange> beginWrite() {
        lock.lock(LOCK_TIMEOUT);
        try {
            Snapshot snapshot = awaitFile();
            if (snapshot == null) {
                LOG.warn("store file {} is missing; writing the last state this store set knew, with this change",
                        file);
                return Optional.empty();
            }
            // The content decides, not the stamp: an edit in place within one tick of the file system's clock
            // keeps size, inode and modification time.
            if (snapshot.hash.equals(loadedHash)) {
                loaded = snapshot.stamp;
                examined = snapshot.stamp;
                return Optional.empty();
            }
            examined = snapshot.stamp;
            return Optional.of(load(snapshot));
        } catch (IOException e) {
            lock.unlock();
            throw new StorageException("cannot read store file " + file + " before writing: " + e.getMessage()
                    + "; nothing was changed", e);
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    @Override
    public void commit(StorageRows rows, List<ChangeEvent> changes) {
        try {
            backups.keep(format.write(loadedRows, revision, clock.instant(), currentLog()), clock.instant());
        } catch (IOException e) {
            throw new StorageException("cannot keep a backup in " + backups.directory() + " before the change ("
                    + e.getMessage() + "); nothing was changed: free space or fix the directory's permissions", e);
        }
        long next = revision + 1;
        // After a hand edit (not in the log) the log restarts past this revision: engines behind it resync.
        StoreFileFormat.ChangeLog nextLog = log == null || handEdited
                ? StoreFileFormat.ChangeLog.startingAt(next + 1)
                : log.append(next, changes, CHANGE_LOG_WINDOW);
        try {
            write(rows, next, nextLog);
        } catch (IOException e) {
            throw new StorageException("cannot write store file " + file + " (" + e.getMessage() + "); nothing was"
                    + " changed: free space or fix the directory's permissions", e);
        }
    }

    @Override
    public void endWrite() {
        lock.unlock();
    }

    /** The file is written; remember it as what the engine's rows come from. */
    private void write(StorageRows rows, long newRevision, StoreFileFormat.ChangeLog newLog) throws IOException {
        byte[] bytes = format.write(rows, newRevision, clock.instant(), newLog);
        writer.replace(file, bytes);
        FileStamp stamp = FileStamp.of(file);
        loaded = stamp;
        examined = stamp;
        loadedHash = StoreFileFormat.sha256Hex(bytes);
        loadedRows = rows;
        revision = newRevision;
        log = newLog;
        handEdited = false;
    }

    private StoreFileFormat.ChangeLog currentLog() {
        return log != null ? log : StoreFileFormat.ChangeLog.startingAt(revision + 1);
    }

    /** Reads a snapshot as the engine's rows; a corrupt file is recovered from a backup. Under the lock only. */
    private ExternalChange load(Snapshot snapshot) throws IOException {
        try {
            return accept(format.read(file, snapshot.bytes), snapshot);
        } catch (CorruptStoreFileException e) {
            recover(e.getMessage());
            return ExternalChange.afterGap(loadedRows);
        }
    }

    /** Makes a snapshot's content the engine's rows; returns them with how they changed since last seen. */
    private ExternalChange accept(StoreFileFormat.Content content, Snapshot snapshot) {
        StorageRows rows = content.rows();
        ExternalChange change;
        if (!content.checksumMatches()) {
            LOG.info("store file {} was edited by hand (its checksum no longer matches); the edit follows the schema"
                    + " and is accepted, and the next write records a new checksum", file);
            if (loadedRows != null) {
                rows = HandEdits.versioned(loadedRows, rows, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            }
            handEdited = true;
            change = ExternalChange.diffed(rows);
        } else {
            handEdited = false;
            StoreFileFormat.ChangeLog newLog = content.log();
            if (content.revision() > revision && newLog != null && newLog.covers(revision)) {
                change = ExternalChange.logged(rows, newLog.after(revision, content.revision()));
            } else if (content.revision() > revision) {
                change = ExternalChange.afterGap(rows);
            } else {
                change = ExternalChange.diffed(rows);
            }
        }
        log = content.log();
        loaded = snapshot.stamp;
        examined = snapshot.stamp;
        loadedHash = snapshot.hash;
        loadedRows = rows;
        revision = content.revision();
        return change;
    }

    /**
     * Moves the corrupt file aside (never overwriting it) and restores the newest valid backup. Under the lock only.
     *
     * @throws StorageException naming the file when no valid backup exists; the file is then left where it is
     */
    private void recover(String reason) throws IOException {
        Optional<BackupDirectory.Restorable> backup = backups.newestValid();
        if (backup.isEmpty()) {
            throw new StorageException("store file " + file + " is corrupt (" + reason + ") and " + backups.directory()
                    + " holds no valid backup; the file was left as it is: repair it by hand, or replace it with a"
                    + " store file you trust, then open the store again");
        }
        long revisionBefore = revision;
        Path aside = moveAside();
        writer.replace(file, backup.get().bytes());
        LOG.warn("store file {} was corrupt ({}); it was kept as {} and backup {} was restored: changes made after"
                + " that backup are only in the corrupt file", file, reason, aside, backup.get().id());
        Snapshot restored = readStable();
        if (restored == null) {
            throw new StorageException("store file " + file + " vanished right after it was restored from backup "
                    + backup.get().id() + "; check what else writes to " + file.getParent());
        }
        try {
            accept(format.read(file, restored.bytes), restored);
            // Revisions never go back, and the restored log says nothing of what happened since: restart it.
            revision = Math.max(revision, revisionBefore);
            log = StoreFileFormat.ChangeLog.startingAt(revision + 1);
        } catch (CorruptStoreFileException e) {
            throw new StorageException("store file " + file + " is corrupt again right after it was restored from"
                    + " backup " + backup.get().id() + " (" + e.getMessage() + "); check the disk");
        }
    }

    private Path moveAside() throws IOException {
        String base = file.getFileName() + ".corrupt-" + ASIDE_TIME.format(clock.instant());
        for (int attempt = 0; ; attempt++) {
            Path aside = file.resolveSibling(attempt == 0 ? base : base + "-" + attempt);
            try {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                AtomicFileWriter.forceDirectory(file.getParent());
                return aside;
            } catch (FileAlreadyExistsException e) {
                // Same millisecond as an earlier one: try the next suffix.
            }
        }
    }

    /** The file's bytes and the stamp they belong to, or null when it does not exist. */
    private Snapshot readStable() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            FileStamp before = FileStamp.of(file);
            if (before == null) {
                return null;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                continue;
            }
            if (before.sameAs(FileStamp.of(file))) {
                return new Snapshot(bytes, before, StoreFileFormat.sha256Hex(bytes));
            }
        }
        throw new IOException("the file kept changing while it was read");
    }

    /** Like {@link #readStable()}, but waits a moment for a file that is missing: an editor may be saving it. */
    private Snapshot awaitFile() throws IOException {
        long deadline = System.nanoTime() + MISSING_FILE_GRACE.toNanos();
        while (true) {
            Snapshot snapshot = readStable();
            if (snapshot != null || System.nanoTime() > deadline) {
                return snapshot;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the store file to reappear", e);
            }
        }
    }

    /** The store file's bytes as read once, with the stamp and hash of that version. */
    private record Snapshot(byte[] bytes, FileStamp stamp, String hash) {
    }
}
