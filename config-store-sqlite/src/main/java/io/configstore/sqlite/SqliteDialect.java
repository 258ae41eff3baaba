package io.configstore.sqlite;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.jdbc.SqlDialect;
import io.configstore.jdbc.SqlErrorKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.SQLiteException;

/**
 * SQLite's side of the JDBC core: explicit {@code BEGIN IMMEDIATE} / {@code COMMIT} / {@code ROLLBACK} statements
 * on connections that stay in autocommit (sqlite-jdbc's own transaction handling re-issues {@code BEGIN} right after
 * a commit, which would make an idle pooled connection hold the write lock), epoch-millisecond timestamps, JSON as
 * text, and SQLite's result codes. Every write transaction also appends its changes to {@code change_log}, which
 * {@link SqliteChangeWatcher}s of other store sets read.
 */
final class SqliteDialect implements SqlDialect {
    /** Every migration of the SQLite dialect, in order. A test checks that none in the folder is missing here. */
    static final List<String> MIGRATIONS = List.of(
            "db/migration/sqlite/V1__initial_schema.sql",
            "db/migration/sqlite/V2__store_metadata.sql",
            "db/migration/sqlite/V3__change_log.sql",
            "db/migration/sqlite/V4__history_and_idempotency.sql");
    /** Rows of {@code change_log} kept at most: the log stays bounded whatever the write rate. */
    static final long LOG_ROWS_KEPT = 10_000;
    /** How long a row of {@code change_log} is kept at most; watchers read it within a poll interval. */
    static final Duration LOG_RETENTION = Duration.ofHours(1);
    /** Every this many logging commits, a writer prunes the log. */
    private static final long PRUNE_EVERY = 100;

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_NOTADB = 26;
    private static final int SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
    private static final int SQLITE_CONSTRAINT_UNIQUE = 2067;

    private final Path file;
    private final long busyTimeoutMillis;

    private final String instanceId;
    private final Clock clock;
    private final AtomicLong loggingCommits = new AtomicLong();

    SqliteDialect(Path file, long busyTimeoutMillis) {
        this(file, busyTimeoutMillis, UUID.randomUUID().toString(), Clock.systemUTC());
    }

    /**
     * @param instanceId written with each change this store set logs, so that its own watcher skips them
     * @param clock dates the log rows, for pruning
     */
    SqliteDialect(Path file, long busyTimeoutMillis, String instanceId, Clock clock) {
        this.file = file;
        this.busyTimeoutMillis = busyTimeoutMillis;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** The id this store set writes as the origin of its changes in {@code change_log}. */
    String instanceId() {
        return instanceId;
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public List<String> migrations() {
        return MIGRATIONS;
    }

    @Override
    public String createHistoryTableSql() {
        return "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                + " checksum TEXT NOT NULL, applied_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL) STRICT";
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        execute(connection, "COMMIT");
    }

    /**
     * Appends the transaction's changes to {@code change_log}, inside the transaction, and now and then prunes the
     * log. The write lock held since {@code BEGIN IMMEDIATE} makes the seq order the commit order.
     */
    @Override
    public void beforeCommit(Connection connection, List<ChangeEvent> changes) throws SQLException {
        long now = clock.millis();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO change_log (entity, tenant_id,"
                + " entity_key, version, kind, origin, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (ChangeEvent change : changes) {
                if (change.kind() == ChangeKind.RESYNC) {
                    continue;
                }
                insert.setString(1, change.entity().name());
                insert.setString(2, change.tenantId());
                insert.setString(3, change.key());
                insert.setLong(4, change.version());
                insert.setString(5, change.kind().name());
                insert.setString(6, instanceId);
                insert.setLong(7, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (loggingCommits.incrementAndGet() % PRUNE_EVERY == 0) {
            // A watcher that had not read a pruned row yet notices the gap in seq and tells its subscribers to resync.
            try (PreparedStatement prune = connection.prepareStatement("DELETE FROM change_log WHERE committed_at < ?"
                    + " OR seq <= (SELECT MAX(seq) FROM change_log) - ?")) {
                prune.setLong(1, now - LOG_RETENTION.toMillis());
                prune.setLong(2, LOG_ROWS_KEPT);
                prune.executeUpdate();
            }
        }
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled back by itself (after some errors); nothing is open then.
            String message = e.getMessage();
            if (message == null || !message.contains("no transaction is active")) {
                throw e;
            }
        }
    }

    @Override
    public void lockForMigration(Connection connection) {
        // BEGIN IMMEDIATE, issued by beginWrite, already holds the database's write lock.
    }

    @Override
    public Set<String> tableNames(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                     + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            while (row.next()) {
                names.add(row.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value.toEpochMilli());
        }
    }

    @Override
    public Instant getInstant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public void setJson(PreparedStatement statement, int index, String json) throws SQLException {
        statement.setString(index, json);
    }

    @Override
    public String getJson(ResultSet row, String column) throws SQLException {
        return row.getString(column);
    }

    @Override
    public SqlErrorKind classify(SQLException error) {
        if (error instanceof SQLTransientConnectionException) {
            return SqlErrorKind.CONNECTION_LOST;
        }
        int code = error instanceof SQLiteException sqlite ? sqlite.getResultCode().code : error.getErrorCode();
        String message = error.getMessage() == null ? "" : error.getMessage();
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY
                || ((code & 0xff) == SQLITE_CONSTRAINT && message.contains("UNIQUE constraint failed"))) {
            return SqlErrorKind.UNIQUE_VIOLATION;
        }
        return switch (code & 0xff) {
            case SQLITE_BUSY, SQLITE_LOCKED -> SqlErrorKind.LOCKED;
            case SQLITE_READONLY -> SqlErrorKind.READ_ONLY;
            case SQLITE_CORRUPT, SQLITE_NOTADB -> SqlErrorKind.CORRUPT;
            case SQLITE_FULL -> SqlErrorKind.DISK_FULL;
            case SQLITE_CANTOPEN -> SqlErrorKind.CONNECTION_LOST;
            default -> SqlErrorKind.OTHER;
        };
    }

    @Override
    public String describeDatabase() {
        return "the SQLite database at " + file;
    }

    @Override
    public String describeLockWait() {
        return "the busy timeout (" + busyTimeoutMillis + " ms)";
    }

    /** Prepared, not plain, so that pooled connections reuse the statement from their cache. */
    private static void execute(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    /** SQLite's booleans are integers, and its partial index on the default flag says {@code is_default = 1}. */
    @Override
    public String trueLiteral() {
        return "1";
    }
}
