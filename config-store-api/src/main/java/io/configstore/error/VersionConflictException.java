package io.configstore.error;

/**
 * A write named the version (or revision) it read, and the stored one has moved on: someone else changed the entity
 * in between. Nothing was written. Read the entity again, re-apply the change, and retry.
 */
public class VersionConflictException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;
    private final long expectedVersion;
    private final long actualVersion;

    public VersionConflictException(String entity, String key, long expectedVersion, long actualVersion) {
        super(entity + " '" + key + "' is at version " + actualVersion + " but the write expected version "
                + expectedVersion + "; it was changed concurrently: read it again, re-apply the change and retry");
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public VersionConflictException(String message) {
        super(message);
        this.expectedVersion = -1;
        this.actualVersion = -1;
    }

    /** The version the caller read, or -1 when not known. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version found in storage, or -1 when not known. */
    public long actualVersion() {
        return actualVersion;
    }
}
