package io.configstore.error;

/**
 * The database schema cannot be brought to, or is not at, the version this library needs: a changed or missing
 * migration, a database newer than the code, pending migrations in validate-only mode, or a non-empty database that
 * configstore did not create. The message names the migration and the fix.
 */
public class SchemaMigrationException extends StorageException {
    private static final long serialVersionUID = 1L;

    public SchemaMigrationException(String message) {
        super(message);
    }

    public SchemaMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
