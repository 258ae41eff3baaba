package io.configstore.migration;

/** Where a migration stands. */
public enum MigrationState {
    /** Applied, and its script is unchanged. */
    APPLIED,
    /** Known to the code, not applied yet. */
    PENDING,
    /** Applied, but its script has changed since: an error. */
    CHECKSUM_MISMATCH,
    /** Applied to the database, but unknown to this code: the database is newer than the code, an error. */
    UNKNOWN_TO_CODE
}
