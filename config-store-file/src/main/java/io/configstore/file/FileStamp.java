package io.configstore.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * What identifies one version of a file without reading it: its inode (every atomic replace makes a new one), its
 * modification time and its size. A different stamp means the file may have changed; the content hash decides.
 */
record FileStamp(Object fileKey, FileTime modified, long size) {
    /** The stamp of {@code file} now, or null when it does not exist (an editor may be between rename and write). */
    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Unreadable attributes are treated as a change, so the next read reports what is wrong.
            return new FileStamp(e.toString(), FileTime.fromMillis(0), -1);
        }
    }

    /** Whether {@code other} (maybe null) is the same version of the file. */
    boolean sameAs(FileStamp other) {
        return other != null && Objects.equals(fileKey, other.fileKey) && modified.equals(other.modified)
                && size == other.size;
    }
}
