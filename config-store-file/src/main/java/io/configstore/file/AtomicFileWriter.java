package io.configstore.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file so that a reader, a crash or a power cut leaves either the old content or the new, never a mix:
 * a temp file with a unique name in the same directory, written and forced to disk, renamed over the target with
 * {@code ATOMIC_MOVE}, then the directory forced so the rename itself is durable.
 */
final class AtomicFileWriter {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFileWriter.class);
    /** {@code .<target name>.<uuid>.tmp}: hidden, unique per write, never a name the store reads. */
    private static final Pattern TEMP_NAME = Pattern.compile(
            "\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final int MOVE_ATTEMPTS = 10;

    /** Where a test stops the write between the temp file and the rename, as a crash would. */
    interface CrashPoint {
        /** Called after the temp file is durable and before it is renamed over the target. */
        void afterTempFileWritten(Path temp) throws IOException;
    }

    private final CrashPoint crashPoint;

    AtomicFileWriter(CrashPoint crashPoint) {
        this.crashPoint = crashPoint;
    }

    /** Replaces {@code target} with {@code bytes} atomically and durably; the file is owner-only on POSIX. */
    void replace(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnly())) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            crashPoint.afterTempFileWritten(temp);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(target.getParent());
    }

    /** Owner read and write only, on file systems that have POSIX permissions. */
    static FileAttribute<?>[] ownerOnly() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    /**
     * Deletes temp files a crashed writer left in {@code directory}. They are never read: the target kept its old
     * content. Call only while holding the store's lock, so that no live writer's temp file is removed.
     *
     * @return the files deleted
     */
    static List<Path> deleteLeftoverTempFiles(Path directory) throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return deleted;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (isTempFile(entry) && Files.deleteIfExists(entry)) {
                    deleted.add(entry);
                }
            }
        }
        return deleted;
    }

    /** Whether {@code file} is named like a temp file of this writer. */
    static boolean isTempFile(Path file) {
        return TEMP_NAME.matcher(file.getFileName().toString()).matches();
    }

    /**
     * Renames with ATOMIC_MOVE. On Windows a reader, antivirus or indexer holding the target makes the move fail with
     * AccessDeniedException for a moment, so it is retried with a growing pause.
     */
    private static void move(Path temp, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (AccessDeniedException e) {
                if (attempt == MOVE_ATTEMPTS) {
                    throw e;
                }
                pause(attempt * 20L);
            }
        }
    }

    /** Forces the directory, making a rename durable. Some platforms (Windows) cannot open a directory: skipped. */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("this platform cannot force directory {} to disk; renames rely on the file system", directory);
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while retrying a rename", e);
        }
    }
}
