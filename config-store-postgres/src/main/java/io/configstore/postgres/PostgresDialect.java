package io.configstore.postgres;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.jdbc.SqlDialect;
import io.configstore.jdbc.SqlErrorKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postgresql.PGStatement;
import org.postgresql.util.PGobject;

/**
 * PostgreSQL's side of the JDBC core: transactions through {@code setAutoCommit(false)} and {@code commit()}, JSON
 * (kept as written, unlike JSONB) and TIMESTAMPTZ, errors classified by SQLState, an advisory transaction lock for migrators, and a
 * {@code pg_notify} of every committed change on the schema's channel.
 */
final class PostgresDialect implements SqlDialect {
    /** Every migration of the PostgreSQL dialect, in order. */
    static final List<String> MIGRATIONS = List.of("db/migration/postgresql/V1__initial_schema.sql",
            "db/migration/postgresql/V2__history_and_idempotency.sql",
            "db/migration/postgresql/V3__json_kept_as_written.sql");

    private final String schema;
    private final String location;
    private final String channel;
    private final long migrationLockKey;
    private final String instanceId;
    private final long lockTimeoutMillis;
    private final long migrationLockTimeoutMillis;
    private final long writeLockKey;
    private final boolean migrating;

    /**
     * @param schema the validated schema name (lower case)
     * @param location host, port and database, for messages (never the password)
     * @param instanceId sent with every notification, so that this store set's listener skips its own changes
     * @param lockTimeoutMillis how long a writer waits for the schema's write lock before failing
     * @param migrationLockTimeoutMillis how long a migrator waits for the migration lock (another instance's
     *     migration) before failing
     */
    PostgresDialect(String schema, String location, String instanceId, long lockTimeoutMillis,
                    long migrationLockTimeoutMillis) {
        this(schema, location, instanceId, lockTimeoutMillis, migrationLockTimeoutMillis, false);
    }

    private PostgresDialect(String schema, String location, String instanceId, long lockTimeoutMillis,
                            long migrationLockTimeoutMillis, boolean migrating) {
        this.schema = schema;
        this.location = location;
        this.channel = ChangeNotification.channel(schema);
        this.migrationLockKey = migrationLockKey(schema);
        this.instanceId = instanceId;
        this.lockTimeoutMillis = lockTimeoutMillis;
        this.migrationLockTimeoutMillis = migrationLockTimeoutMillis;
        this.writeLockKey = writeLockKey(schema);
        this.migrating = migrating;
    }

    /**
     * The same dialect for the migrator: its transactions take the migration lock first, waiting up to the migration
     * lock timeout, and only then the write lock ({@link #lockForMigration}). Taking the write lock first, under the
     * short lock timeout, made an instance fail whenever a migration elsewhere held the migration lock longer than
     * that (Flyway's #2847); taking the locks in one order (writers never take the migration lock) cannot deadlock.
     */
    PostgresDialect forMigration() {
        return new PostgresDialect(schema, location, instanceId, lockTimeoutMillis, migrationLockTimeoutMillis, true);
    }

    /**
     * The advisory lock key of the migrators of one schema: a constant tag in the high half and a hash of the
     * schema name in the low half, so that stores in different schemas of one database do not wait on each other.
     */
    static long migrationLockKey(String schema) {
        long tag = 0x63667374L; // "cfst"
        return (tag << 32) | (schema.hashCode() & 0xffffffffL);
    }

    /** The advisory lock key that serializes the writers of one schema; distinct from the migration lock's. */
    static long writeLockKey(String schema) {
        long tag = 0x63667377L; // "cfsw"
        return (tag << 32) | (schema.hashCode() & 0xffffffffL);
    }

    String schema() {
        return schema;
    }

    String channel() {
        return channel;
    }

    String instanceId() {
        return instanceId;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public List<String> migrations() {
        return MIGRATIONS;
    }

    @Override
    public String createHistoryTableSql() {
        return "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                + " checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL, duration_ms BIGINT NOT NULL)";
    }

    /**
     * Begins a transaction and takes the schema's write lock, a transaction-level advisory lock, as SQLite's
     * {@code BEGIN IMMEDIATE} takes its write lock. The shared stores check, then write (one default per provider
     * type, unique names, the next activation sequence): under READ COMMITTED two interleaved writers could both pass
     * the check, and one would then fail with a unique violation instead of waiting its turn. Serializing the writers
     * of one schema keeps SQLite's guarantees; configuration writes are rare and short, and readers never wait (MVCC).
     * The wait is bounded by {@code lock_timeout}, set for this transaction only; the lock goes with the commit or
     * rollback, so it never leaks into the pool.
     */
    @Override
    public void beginWrite(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        if (migrating) {
            // The migrator's transaction: lockForMigration takes both locks, the migration lock first.
            return;
        }
        try {
            lock(connection, writeLockKey, lockTimeoutMillis);
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
    }

    /** One autocommitted UPDATE: no BEGIN, advisory lock or COMMIT round trips for a key's last use. */
    @Override
    public boolean autocommitsSingleWrites() {
        return true;
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        connection.rollback();
        connection.setAutoCommit(true);
    }

    /**
     * Transaction-level advisory locks, held by the migrating transaction on its own connection and released by its
     * commit or rollback (or the server, when the process dies), so they never leak: first the migration lock,
     * waiting up to the migration lock timeout (another instance may be running a long migration), then the write
     * lock, so that no writer of the old schema interleaves with the migration. The write lock and the migration's
     * own statements wait at most the (short) lock timeout.
     */
    @Override
    public void lockForMigration(Connection connection) throws SQLException {
        takeMigrationLock(connection);
        lock(connection, writeLockKey, lockTimeoutMillis);
    }

    /**
     * Takes the schema's migration lock in the transaction open on {@code connection}, waiting up to the migration
     * lock timeout: what creating the schema needs, before any migration runs.
     */
    void takeMigrationLock(Connection connection) throws SQLException {
        lock(connection, migrationLockKey, migrationLockTimeoutMillis);
    }

    /** Takes an advisory transaction lock, bounding the wait by {@code lock_timeout} for the rest of the transaction. */
    private static void lock(Connection connection, long key, long timeoutMillis) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT set_config('lock_timeout', ?, true), pg_advisory_xact_lock(?)")) {
            lock.setString(1, timeoutMillis + "ms");
            lock.setLong(2, key);
            lock.executeQuery().close();
        }
    }

    /**
     * Notifies the schema's channel of each change, inside the transaction: PostgreSQL delivers notifications only
     * when the transaction commits, and never for one that rolls back. One statement sends them all; each payload
     * is small (ids and a version, never a value), far below the 8000-byte limit.
     */
    @Override
    public void beforeCommit(Connection connection, List<ChangeEvent> changes) throws SQLException {
        List<String> payloads = new ArrayList<>(changes.size());
        for (ChangeEvent change : changes) {
            if (change.kind() != ChangeKind.RESYNC) {
                payloads.add(ChangeNotification.encode(instanceId, change));
            }
        }
        if (payloads.isEmpty()) {
            return;
        }
        Array array = connection.createArrayOf("text", payloads.toArray());
        try (PreparedStatement notify = connection.prepareStatement(
                "SELECT pg_notify(?, payload) FROM unnest(?::text[]) AS payload")) {
            notify.setString(1, channel);
            notify.setArray(2, array);
            notify.executeQuery().close();
        } finally {
            array.free();
        }
    }

    /** The tables of the configured schema only: another schema's tables never make the migrator refuse. */
    @Override
    public Set<String> tableNames(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = ?")) {
            select.setString(1, schema);
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
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }

    @Override
    public Instant getInstant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * Server-side preparing for this statement only. The connections run with {@code prepareThreshold=0} because a
     * cached plan whose result type a migration changed fails (pgjdbc#451); an INSERT returns no rows, so it has no
     * result type to go stale, and a batch of 1,000 rows is parsed and planned once instead of 1,000 times.
     */
    @Override
    public void prepareForBatch(PreparedStatement statement) throws SQLException {
        statement.unwrap(PGStatement.class).setPrepareThreshold(1);
    }

    @Override
    public void setJson(PreparedStatement statement, int index, String json) throws SQLException {
        // Typed json, not jsonb: a jsonb value would be normalised (numbers, key order) before reaching the column.
        PGobject value = new PGobject();
        value.setType("json");
        value.setValue(json);
        statement.setObject(index, value);
    }

    @Override
    public String getJson(ResultSet row, String column) throws SQLException {
        return row.getString(column);
    }

    /** By SQLState, the stable part of PostgreSQL's errors (the text is localized and changes between versions). */
    @Override
    public SqlErrorKind classify(SQLException error) {
        String state = error.getSQLState();
        if (state == null) {
            // Hikari's timeout waiting for a connection carries the last connection error's state when it has one.
            return error instanceof SQLTransientConnectionException ? SqlErrorKind.CONNECTION_LOST
                    : SqlErrorKind.OTHER;
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || error instanceof SQLTransientConnectionException) {
            return SqlErrorKind.CONNECTION_LOST;
        }
        return switch (state) {
            case "23505" -> SqlErrorKind.UNIQUE_VIOLATION;
            case "40001", "40P01" -> SqlErrorKind.CONCURRENT_UPDATE;
            case "25P02" -> SqlErrorKind.TRANSACTION_ABORTED;
            case "55P03" -> SqlErrorKind.LOCKED;
            case "53100" -> SqlErrorKind.DISK_FULL;
            case "25006" -> SqlErrorKind.READ_ONLY;
            case "XX001", "XX002" -> SqlErrorKind.CORRUPT;
            default -> SqlErrorKind.OTHER;
        };
    }

    @Override
    public String describeDatabase() {
        return "the PostgreSQL database " + location + " (schema " + schema + ")";
    }

    @Override
    public String describeLockWait() {
        if (migrating) {
            return "the migration lock timeout (migrationLockTimeout, " + migrationLockTimeoutMillis + " ms) or, for"
                    + " the write lock and the migration's statements, the lock timeout (lockTimeout, "
                    + lockTimeoutMillis + " ms)";
        }
        return "the lock timeout (lockTimeout, " + lockTimeoutMillis + " ms)";
    }
}
