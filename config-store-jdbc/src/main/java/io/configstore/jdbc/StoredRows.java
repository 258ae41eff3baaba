package io.configstore.jdbc;

import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;

/**
 * What reading a stored row does when today's rules reject what it holds: the row was written by another tool, by
 * hand or by an older version, so it is a storage problem naming the row, not a caller's bad input.
 */
final class StoredRows {
    private StoredRows() {
    }

    /** The error for a stored row described by {@code what} that the value types reject. */
    static StorageException rejected(String what, ValidationException problem) {
        return new StorageException(what + " holds a value configstore does not accept (" + problem.getMessage()
                + "); it was written outside configstore or by another version: correct or delete that row", problem);
    }
}
