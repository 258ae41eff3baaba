package io.configstore.file;

/**
 * Bytes that are not a store file at all: empty, truncated, not JSON, or JSON that is not an object. Internal: the
 * journal reacts by recovering from a backup, or reports a storage error naming the file.
 */
final class CorruptStoreFileException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptStoreFileException(String reason) {
        super(reason);
    }

}
