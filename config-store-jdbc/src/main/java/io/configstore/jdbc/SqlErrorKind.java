package io.configstore.jdbc;

/** What an {@link java.sql.SQLException} means to configstore, as a {@link SqlDialect} classifies it. */
public enum SqlErrorKind {
    /** A unique or primary-key constraint was violated: another writer created the same row. */
    UNIQUE_VIOLATION,
    /** The database stayed locked (busy) by another connection or process for longer than the dialect waits. */
    LOCKED,
    /** The connection to the database was lost or could not be made. */
    CONNECTION_LOST,
    /** The disk or database is full. */
    DISK_FULL,
    /** The database is read-only for this process (file permissions, a read-only mount). */
    READ_ONLY,
    /** The database file is corrupt or is not a database at all. */
    CORRUPT,
    /**
     * The database aborted the transaction because a concurrent one changed the same data (a serialization failure
     * or a deadlock); running the whole transaction again may succeed.
     */
    CONCURRENT_UPDATE,
    /** An earlier statement failed and the database ignores every later one until the transaction rolls back. */
    TRANSACTION_ABORTED,
    /** Anything else. */
    OTHER
}
