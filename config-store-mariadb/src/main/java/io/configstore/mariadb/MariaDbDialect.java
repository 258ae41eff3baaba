package io.configstore.mariadb;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.jdbc.SqlDialect;
import io.configstore.jdbc.SqlErrorKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MariaDB's side of the JDBC core.
 *
 * <p><b>Isolation: READ COMMITTED</b>, set on every connection, as PostgreSQL runs by default. MariaDB's default,
 * REPEATABLE READ, takes gap and next-key locks on the ranges a statement scans (the unique checks of an insert, the
 * {@code MAX(activation_seq)} subquery), which turn two writers' inserts into deadlocks that PostgreSQL never has;
 * and its snapshot would make a transaction's reads older than the rows it just waited for. The stores need neither:
 * the writers of one store take turns on a row lock ({@link #beginWrite}), and every check-then-write happens under it.
 *
 * <p><b>Locks.</b> Writers lock the one row of {@code write_lock} ({@code SELECT ... FOR UPDATE}), which goes with the
 * commit or rollback and so never leaks into the pool; the wait is bounded by {@code innodb_lock_wait_timeout}, set
 * per connection to the lock timeout. Migrators take {@code GET_LOCK} on a name derived from the database, waiting
 * up to the migration lock timeout; it belongs to the session, so the migrator's commit and rollback release it (and
 * the server does when the connection drops). MariaDB commits DDL implicitly, so a migration statement cannot take
 * back the statements before it: a migration that fails half way leaves no history row, and the next start reports it
 * instead of applying it again.
 *
 * <p><b>Values.</b> Timestamps are DATETIME(3) in UTC (bound and read as {@link LocalDateTime} at UTC, never through
 * the JVM's time zone); JSON is text, bound and read as a string, so it comes back as written.
 */
final class MariaDbDialect implements SqlDialect {
    /** Every migration of the MariaDB dialect, in order. */
    static final List<String> MIGRATIONS = List.of("db/migration/mariadb/V1__initial_schema.sql",
            "db/migration/mariadb/V2__change_log.sql");
    /** How long a row of {@code change_log} is kept; watchers read it within a poll interval. */
    static final Duration LOG_RETENTION = Duration.ofHours(1);
    /** Every this many logging commits, a writer prunes the log. */
    private static final long PRUNE_EVERY = 100;

    /** MariaDB's error codes that mean the connection is gone, whatever the SQLState says. */
    private static final Set<Integer> CONNECTION_ERRORS = Set.of(
            1040, // too many connections
            1053, // server shutdown in progress
            1152, // aborted connection
            1158, 1159, 1160, 1161, // network read/write errors and timeouts
            1927, // connection was killed
            2002, 2003, 2006, 2013); // cannot connect, server gone away, lost connection

    private final String database;
    private final String location;
    private final String migrationLockName;
    private final long lockTimeoutMillis;
    private final long migrationLockTimeoutMillis;
    private final boolean migrating;
    private final String instanceId;
    private final Clock clock;
    private final AtomicLong loggingCommits = new AtomicLong();

    /**
     * @param database the validated database name
     * @param location host and port, for messages (never the password)
     * @param lockTimeoutMillis how long a writer waits for the store's write lock (innodb_lock_wait_timeout)
     * @param migrationLockTimeoutMillis how long a migrator waits for another instance's migration
     * @param instanceId written with each change this store set logs, so that its own watcher skips them
     * @param clock dates the log rows, for pruning
     */
    MariaDbDialect(String database, String location, long lockTimeoutMillis, long migrationLockTimeoutMillis,
                   String instanceId, Clock clock) {
        this(database, location, lockTimeoutMillis, migrationLockTimeoutMillis, false, instanceId, clock);
    }

    private MariaDbDialect(String database, String location, long lockTimeoutMillis, long migrationLockTimeoutMillis,
                           boolean migrating, String instanceId, Clock clock) {
        this.instanceId = instanceId;
        this.clock = clock;
        this.database = database;
        this.location = location;
        this.migrationLockName = "configstore_migration." + database;
        this.lockTimeoutMillis = lockTimeoutMillis;
        this.migrationLockTimeoutMillis = migrationLockTimeoutMillis;
        this.migrating = migrating;
    }

    /**
     * The same dialect for the migrator: its transactions take the migration lock ({@link #lockForMigration}) and not
     * the write lock, whose table the first migration creates (and which DDL's implicit commits would release).
     */
    MariaDbDialect forMigration() {
        return new MariaDbDialect(database, location, lockTimeoutMillis, migrationLockTimeoutMillis, true,
                instanceId, clock);
    }

    /** The id this store set writes as the origin of its changes in {@code change_log}. */
    String instanceId() {
        return instanceId;
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public List<String> migrations() {
        return MIGRATIONS;
    }

    @Override
    public String createHistoryTableSql() {
        return "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                + " checksum VARCHAR(255) NOT NULL, applied_at DATETIME(3) NOT NULL, duration_ms BIGINT NOT NULL)"
                + " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin";
    }

    /**
     * Begins a transaction and locks the store's write-lock row, as SQLite's {@code BEGIN IMMEDIATE} and PostgreSQL's
     * advisory lock do: the stores check, then write (one default per provider type, unique names, the next
     * activation sequence), and two interleaved writers could both pass the check. Readers never wait (MVCC).
     */
    @Override
    public void beginWrite(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        if (migrating) {
            return;
        }
        try (Statement lock = connection.createStatement()) {
            lock.executeQuery("SELECT id FROM write_lock WHERE id = 1 FOR UPDATE").close();
        } catch (SQLException e) {
            try {
                rollback(connection);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
        releaseMigrationLock(connection);
    }

    /**
     * Appends the transaction's changes to {@code change_log}, inside the transaction, and now and then prunes the
     * log by age. The write lock held since {@link #beginWrite} makes the seq order the commit order.
     */
    @Override
    public void beforeCommit(Connection connection, List<ChangeEvent> changes) throws SQLException {
        Instant now = clock.instant();
        int rows = 0;
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
                setInstant(insert, 7, now);
                insert.addBatch();
                rows++;
            }
            if (rows > 0) {
                insert.executeBatch();
            }
        }
        if (rows > 0 && loggingCommits.incrementAndGet() % PRUNE_EVERY == 0) {
            try (PreparedStatement prune = connection.prepareStatement(
                    "DELETE FROM change_log WHERE committed_at < ?")) {
                setInstant(prune, 1, now.minus(LOG_RETENTION));
                prune.executeUpdate();
            }
        }
    }

    /** One autocommitted UPDATE: the row lock it takes is all the serializing a key's last use needs. */
    @Override
    public boolean autocommitsSingleWrites() {
        return true;
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        connection.rollback();
        connection.setAutoCommit(true);
        releaseMigrationLock(connection);
    }

    /** The migrator's session lock goes with its transaction, as PostgreSQL's transaction-level lock does. */
    private void releaseMigrationLock(Connection connection) throws SQLException {
        if (migrating) {
            try (PreparedStatement release = connection.prepareStatement("DO RELEASE_LOCK(?)")) {
                release.setString(1, migrationLockName);
                release.execute();
            }
        }
    }

    /**
     * Takes the database's migration lock ({@code GET_LOCK}), waiting up to the migration lock timeout: another
     * instance may be running a long migration. A timeout is reported as MariaDB's lock wait timeout (1205).
     */
    @Override
    public void lockForMigration(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            lock.setString(1, migrationLockName);
            lock.setDouble(2, migrationLockTimeoutMillis / 1000.0);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next() || row.getInt(1) != 1) {
                    throw new SQLException("the migration lock was not granted in time", "HY000", 1205);
                }
            }
        }
    }

    /** The tables of the configured database only: another database's tables never make the migrator refuse. */
    @Override
    public Set<String> tableNames(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            select.setString(1, database);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    names.add(row.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP);
        } else {
            statement.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    @Override
    public Instant getInstant(ResultSet row, String column) throws SQLException {
        LocalDateTime value = row.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    @Override
    public void setJson(PreparedStatement statement, int index, String json) throws SQLException {
        statement.setString(index, json);
    }

    @Override
    public String getJson(ResultSet row, String column) throws SQLException {
        return row.getString(column);
    }

    /**
     * {@code INSERT IGNORE}: MariaDB has no {@code ON CONFLICT}. IGNORE also turns other refusals into warnings, but
     * the engine validated every value before (names within the column widths, JSON objects), so here it only skips
     * a duplicate key.
     */
    @Override
    public String insertIgnoringDuplicates(String insert) {
        if (!insert.startsWith("INSERT ")) {
            throw new IllegalArgumentException("expected a statement starting with INSERT");
        }
        return "INSERT IGNORE " + insert.substring("INSERT ".length());
    }

    @Override
    public String upsert(String insert, List<String> keyColumns, List<String> updatedColumns) {
        StringBuilder sql = new StringBuilder(insert).append(" ON DUPLICATE KEY UPDATE ");
        for (int i = 0; i < updatedColumns.size(); i++) {
            String column = updatedColumns.get(i);
            sql.append(i == 0 ? "" : ", ").append(column).append(" = VALUES(").append(column).append(')');
        }
        return sql.toString();
    }

    /** By MariaDB's error codes and the SQLState class, the stable parts of its errors; never by message text. */
    @Override
    public SqlErrorKind classify(SQLException error) {
        String state = error.getSQLState() == null ? "" : error.getSQLState();
        int code = error.getErrorCode();
        if (state.startsWith("08") || CONNECTION_ERRORS.contains(code)
                || error instanceof SQLTransientConnectionException
                || error instanceof SQLNonTransientConnectionException) {
            return SqlErrorKind.CONNECTION_LOST;
        }
        return switch (code) {
            case 1062, 1586 -> SqlErrorKind.UNIQUE_VIOLATION;
            case 1213, 1020 -> SqlErrorKind.CONCURRENT_UPDATE;
            case 1205, 3572 -> SqlErrorKind.LOCKED;
            case 1021, 1114 -> SqlErrorKind.DISK_FULL;
            case 1290, 1792, 1036 -> SqlErrorKind.READ_ONLY;
            case 1034, 1035, 1194, 1195 -> SqlErrorKind.CORRUPT;
            default -> state.equals("40001") ? SqlErrorKind.CONCURRENT_UPDATE : SqlErrorKind.OTHER;
        };
    }

    @Override
    public String describeDatabase() {
        return "the MariaDB database " + database + " at " + location;
    }

    @Override
    public String describeLockWait() {
        if (migrating) {
            return "the migration lock timeout (migrationLockTimeout, " + migrationLockTimeoutMillis + " ms)";
        }
        return "the lock timeout (lockTimeout, " + lockTimeoutMillis + " ms, rounded up to whole seconds)";
    }
}
