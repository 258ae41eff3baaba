package io.configstore.examples.dirstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.configstore.change.ChangeEvent;
import io.configstore.crypto.CipherSource;
import io.configstore.error.*;
import io.configstore.memory.*;
import io.configstore.memory.spi.*;
import io.configstore.migration.MigrationMode;
import io.configstore.model.Json;
import io.configstore.spi.StoreSetProvider;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A store in a directory, a JSON file a row, on the in-memory engine, which keeps every rule (testkit README, "Writing
 * a backend"); opens {@code dir:DIRECTORY} URLs. A commit writes a new generation, then renames a new CURRENT (its
 * number) over the old: a crash leaves the old or the new state; others see the number change. (For power loss, fsync.)
 * <pre>
 * CURRENT, lock, changes/GENERATION.json (what each of the last commits changed, for other processes' feeds)
 * gen-7/metadata.json, history.json, idempotency.json, tenants/T/providers/ID.json, api-keys/ID.json, documents/N.json
 * </pre>
 */
public final class DirectoryStoreSet implements StoreSetProvider {
    private static final int CHANGE_WINDOW = 1000; // commits another process may lag behind without a resync
    private static final Map<Path, ReentrantLock> THREADS = new ConcurrentHashMap<>(); // a file lock is per JVM

    /**
     * Opens the store in {@code directory}, made if absent (a {@link StorageException} when it cannot be made or read).
     * Until the set is closed, a watcher looks for other processes' commits every 100 ms and tells its subscribers.
     */
    public static InMemoryStoreSet open(Path directory, CipherSource cipher, Clock clock) {
        try {
            Journal journal = new Journal(Files.createDirectories(directory).toRealPath());
            InMemoryStorage storage = new InMemoryStorage(journal.since(journal.current()).rows(), journal);
            return StorageWatcher.watch(InMemoryStoreSet.builder().storage(storage).cipherSource(cipher).clock(clock)
                    .open(), storage, Duration.ofMillis(100));
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public String scheme() {
        return "dir:";
    }

    @Override
    public String example() {
        return "dir:config";
    }

    /** Opens {@code dir:DIRECTORY}; rows have no schema to migrate, so {@code mode} changes nothing. */
    @Override
    public InMemoryStoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        try {
            return open(Path.of(url.substring(scheme().length())), cipher, Clock.systemUTC());
        } catch (InvalidPathException e) {
            throw new ValidationException("a dir: URL names a directory, for example dir:config");
        }
    }

    private static StorageException failed(IOException e) {
        return new StorageException("cannot use the store directory (" + e.getClass().getSimpleName()
                + "); check that it exists and is writable", e);
    }

    /** Persists the engine's rows: all that a storage-path backend does itself. */
    private static final class Journal implements StorageJournal {
        private final Path dir;
        private final ReentrantLock threads;
        private volatile long seen; // the generation last read or written; 0 is the empty store
        private FileChannel lock;

        Journal(Path dir) {
            this.dir = dir;
            this.threads = THREADS.computeIfAbsent(dir, d -> new ReentrantLock());
        }

        @Override
        public boolean changedOutside() {
            return current() != seen;
        }

        @Override
        public Optional<ExternalChange> reload() {
            try {
                return current() == seen ? Optional.empty() : Optional.of(since(current()));
            } catch (IOException | RuntimeException e) { // a writer deleted that generation meanwhile, or a file
                return Optional.empty();                 // is broken: keep the rows we have, look again next time
            }
        }

        @Override
        public Optional<ExternalChange> beginWrite() {
            if (threads.isHeldByCurrentThread()) {
                throw new StorageException("this thread already writes to " + dir + " through another store set");
            }
            threads.lock();
            try {
                lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock.lock(); // waits for other processes' writers
                return current() == seen ? Optional.empty() : Optional.of(since(current()));
            } catch (IOException | RuntimeException e) {
                endWrite();
                throw e instanceof IOException io ? failed(io) : (RuntimeException) e;
            }
        }

        @Override
        public void commit(StorageRows rows, List<ChangeEvent> changes) {
            long next = seen + 1;
            Path gen = dir.resolve("gen-" + next);
            try {
                delete(dir.resolve("gen-" + (next - 2))); // kept a commit longer for readers that may still read it
                delete(gen); // left by a writer that crashed before it renamed CURRENT
                for (Map.Entry<String, JsonNode> entry : StorageRowsJson.entries(rows).entrySet()) {
                    write(gen.resolve(entry.getKey() + ".json"), entry.getValue());
                }
                write(dir.resolve("changes/" + next + ".json"), StorageRowsJson.changeEvents(changes));
                Files.deleteIfExists(dir.resolve("changes/" + (next - CHANGE_WINDOW) + ".json"));
                Files.writeString(dir.resolve("CURRENT.tmp"), Long.toString(next));
                Files.move(dir.resolve("CURRENT.tmp"), dir.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE);
                seen = next;
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void endWrite() {
            try (FileChannel held = lock) { // closing it releases the file lock
                lock = null;
            } catch (IOException e) {
                throw failed(e);
            } finally {
                threads.unlock();
            }
        }

        /** Generation {@code now}'s rows and what changed since {@link #seen}: as logged, or a resync past the log. */
        ExternalChange since(long now) throws IOException {
            Path gen = dir.resolve("gen-" + now);
            StorageRowsJson.Reader reader = new StorageRowsJson.Reader();
            for (Path file : files(gen).stream().filter(Files::isRegularFile).toList()) { // gen-N/KEY.json
                reader.entry(gen.relativize(file).toString().replaceFirst("\\.json$", ""), read(file));
            }
            List<ChangeEvent> changes = new ArrayList<>();
            boolean logged = seen < now && now - seen < CHANGE_WINDOW;
            for (long g = seen + 1; logged && g <= now; g++) {
                Path log = dir.resolve("changes/" + g + ".json");
                logged = Files.exists(log);
                changes.addAll(reader.changeEvents(read(log), log.toString()));
            }
            StorageRows rows = reader.rows("store directory " + dir);
            seen = now;
            return logged ? ExternalChange.logged(rows, changes) : ExternalChange.afterGap(rows);
        }

        /** The generation {@code CURRENT} names; 0 before the first commit. */
        long current() {
            try {
                Path current = dir.resolve("CURRENT");
                return Files.exists(current) ? Long.parseLong(Files.readString(current)) : 0;
            } catch (IOException | NumberFormatException e) {
                throw new StorageException(dir.resolve("CURRENT") + " holds no generation number; restore it", e);
            }
        }

        /** The JSON in {@code file}, read strictly; an empty array when there is no such file. */
        private static JsonNode read(Path file) throws IOException {
            byte[] json = Files.exists(file) ? Files.readAllBytes(file) : new byte[] {'[', ']'};
            return Json.readWhole(file.toString(), json, "JSON as this store writes it");
        }

        private static void write(Path file, JsonNode json) throws IOException {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json.toPrettyString() + "\n");
        }

        /** Every file and directory under {@code tree}, each child before its parent; none when there is none. */
        private static List<Path> files(Path tree) throws IOException {
            try (Stream<Path> files = Files.exists(tree) ? Files.walk(tree) : Stream.empty()) {
                return files.sorted(Comparator.reverseOrder()).toList();
            }
        }

        private static void delete(Path tree) throws IOException {
            for (Path file : files(tree)) {
                Files.delete(file);
            }
        }
    }
}
