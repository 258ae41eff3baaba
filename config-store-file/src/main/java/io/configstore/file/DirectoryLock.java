package io.configstore.file;

import io.configstore.error.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write lock of one store directory, shared by threads (an in-JVM lock) and processes (an OS lock on the stable
 * {@value #LOCK_FILE} file, never on the data file, which each write replaces).
 *
 * <p>One instance per directory per JVM, found by the directory's real path. This registry is the module's only
 * static state, and it has to be: the JVM holds OS file locks per process, a second {@code FileChannel.lock} on the
 * same file throws {@code OverlappingFileLockException} instead of waiting, and closing ANY channel to the file drops
 * the lock, so every store set of this JVM on the directory must share one channel and one in-JVM lock.
 */
final class DirectoryLock {
    static final String LOCK_FILE = ".configstore.lock";
    private static final Map<Path, DirectoryLock> OPEN = new HashMap<>();

    private final Path directory;
    private final FileChannel channel;
    private final ReentrantLock threads = new ReentrantLock();
    private int users;
    private FileLock held;

    private DirectoryLock(Path directory, FileChannel channel) {
        this.directory = directory;
        this.channel = channel;
    }

    /** The lock of {@code realDirectory}, opened on first use; {@link #release()} it when the store set closes. */
    static DirectoryLock acquire(Path realDirectory) {
        synchronized (OPEN) {
            DirectoryLock lock = OPEN.get(realDirectory);
            if (lock == null) {
                try {
                    FileChannel channel = FileChannel.open(realDirectory.resolve(LOCK_FILE), Set.of(
                            StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                            AtomicFileWriter.ownerOnly());
                    lock = new DirectoryLock(realDirectory, channel);
                } catch (IOException e) {
                    throw new StorageException("cannot open the lock file " + realDirectory.resolve(LOCK_FILE)
                            + ": " + e.getMessage() + "; check that the directory is writable", e);
                }
                OPEN.put(realDirectory, lock);
            }
            lock.users++;
            return lock;
        }
    }

    /** Stops using the lock; the last user of this JVM closes the channel. */
    void release() {
        synchronized (OPEN) {
            if (--users == 0) {
                OPEN.remove(directory);
                try {
                    channel.close();
                } catch (IOException e) {
                    // Closing drops the OS lock anyway; nothing else to release.
                }
            }
        }
    }

    /**
     * Takes the lock for this thread: first among this JVM's threads, then among processes.
     *
     * @throws StorageException when this thread holds it already (a unit of work of another store set on this
     *     directory runs on this thread, which would deadlock), or after {@code timeout}
     */
    void lock(Duration timeout) {
        if (threads.isHeldByCurrentThread()) {
            throw new StorageException("this thread is already writing to " + directory + " through another store set"
                    + " (a unit of work or an update function); make the call through the running unit of work");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!threads.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw timedOut(timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the lock of " + directory, e);
        }
        try {
            long pause = 1;
            while ((held = channel.tryLock()) == null) {
                if (System.nanoTime() > deadline) {
                    throw timedOut(timeout);
                }
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 20);
            }
        } catch (IOException e) {
            threads.unlock();
            throw new StorageException("cannot lock " + directory.resolve(LOCK_FILE) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            threads.unlock();
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the lock of " + directory, e);
        } catch (RuntimeException e) {
            threads.unlock();
            throw e;
        }
    }

    /** Releases the lock taken by {@link #lock}. */
    void unlock() {
        try {
            if (held != null) {
                held.release();
            }
        } catch (IOException e) {
            // The channel is closed: the OS lock is gone with it.
        } finally {
            held = null;
            threads.unlock();
        }
    }

    private StorageException timedOut(Duration timeout) {
        return new StorageException("timed out after " + timeout.toSeconds() + " s waiting for the lock of "
                + directory + " (another thread or process is writing); keep units of work short");
    }
}
