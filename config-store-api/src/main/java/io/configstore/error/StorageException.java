package io.configstore.error;

/**
 * The storage underneath failed: the database could not be opened, was locked for too long, the disk is full, the
 * schema is not what this version expects. The message says what failed and what to do; the cause, when present,
 * carries the driver's own error for diagnosis.
 */
public class StorageException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
