package io.configstore.jdbc;

import io.configstore.change.ChangeEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What differs between the SQL databases configstore runs on. A backend implements it once; everything else (stores,
 * transactions, error translation, the migrator) is shared in this module and written once.
 *
 * <p>Implementations are immutable and thread-safe. Every method that takes a {@link Connection} uses it on the
 * calling thread only and never closes it.
 */
public interface SqlDialect {
    /** A short name, such as {@code sqlite} or {@code postgresql}, used in messages. */
    String name();

    /**
     * The migrations of this dialect as classpath resources, in version order, each named
     * {@code V<version>__<description>.sql}, for example {@code db/migration/sqlite/V1__initial_schema.sql}.
     */
    List<String> migrations();

    /**
     * The statement that creates the migration history table {@code schema_version} (columns {@code version},
     * {@code description}, {@code checksum}, {@code applied_at}, {@code duration_ms}), with this dialect's types. It
     * runs inside the first migrating transaction, after {@link #lockForMigration}.
     */
    String createHistoryTableSql();

    /**
     * Begins a write transaction on a connection in its resting state. SQLite issues {@code BEGIN IMMEDIATE}, which
     * takes the write lock up front so that writers wait (busy timeout) instead of failing on a lock upgrade.
     */
    void beginWrite(Connection connection) throws SQLException;

    /** Commits the transaction begun by {@link #beginWrite} and returns the connection to its resting state. */
    void commit(Connection connection) throws SQLException;

    /**
     * Called on the connection of a write transaction just before it commits, with the changes it recorded (never
     * empty; origin {@link io.configstore.change.ChangeOrigin#LOCAL}), so that the dialect can tell other store sets
     * (processes, machines) of them: whatever it writes or sends here commits or rolls back with the transaction.
     * Does nothing by default.
     */
    default void beforeCommit(Connection connection, List<ChangeEvent> changes) throws SQLException {
    }

    /**
     * Whether a write of one statement that checks nothing first and records no change (a key's last use) may run
     * as one autocommitted statement instead of in a {@link #beginWrite} transaction: on PostgreSQL that is one round
     * trip instead of three, and the row lock the statement takes is all the serializing it needs. False by default
     * and on SQLite, where {@code BEGIN IMMEDIATE} is what makes a writer wait its turn under the busy timeout.
     */
    default boolean autocommitsSingleWrites() {
        return false;
    }

    /** Rolls back the transaction begun by {@link #beginWrite} and returns the connection to its resting state. */
    void rollback(Connection connection) throws SQLException;

    /**
     * Takes the lock that serializes migrators across threads and processes, inside the migrating transaction just
     * begun by {@link #beginWrite}, on the same connection; it is released when that transaction ends. SQLite does
     * nothing here: {@code BEGIN IMMEDIATE} already is that lock.
     */
    void lockForMigration(Connection connection) throws SQLException;

    /**
     * The names, in lower case, of the tables in the schema configstore uses, excluding the database's own
     * catalog tables. The migrator refuses to run V1 over a schema that has tables but no history.
     */
    Set<String> tableNames(Connection connection) throws SQLException;

    /** Binds a timestamp (already truncated to milliseconds), or SQL NULL when {@code value} is null. */
    void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException;

    /** Reads a timestamp column written by {@link #setInstant}; null when the column is NULL. */
    Instant getInstant(ResultSet row, String column) throws SQLException;

    /** Binds JSON text (a serialized object) to a JSON column. */
    void setJson(PreparedStatement statement, int index, String json) throws SQLException;

    /**
     * Readies a statement that returns no rows (an INSERT) to run many times in one JDBC batch. PostgreSQL prepares
     * it on the server, so that the server parses and plans it once rather than once per row (the connections turn
     * server-side preparing off otherwise). Does nothing by default.
     */
    default void prepareForBatch(PreparedStatement statement) throws SQLException {
    }

    /**
     * {@code insert} (an {@code INSERT ... VALUES (...)}) made to insert nothing, and report no row, when the row
     * would break a unique constraint: {@code ON CONFLICT DO NOTHING} by default (SQLite and PostgreSQL); MariaDB,
     * which has no such clause, says {@code INSERT IGNORE}.
     */
    default String insertIgnoringDuplicates(String insert) {
        return insert + " ON CONFLICT DO NOTHING";
    }

    /**
     * {@code insert} (an {@code INSERT ... VALUES (...)}) made to overwrite {@code updatedColumns} with the inserted
     * values when a row with the same {@code keyColumns} exists: {@code ON CONFLICT (...) DO UPDATE SET c =
     * excluded.c} by default (SQLite and PostgreSQL); MariaDB says {@code ON DUPLICATE KEY UPDATE c = VALUES(c)}.
     */
    default String upsert(String insert, List<String> keyColumns, List<String> updatedColumns) {
        StringBuilder sql = new StringBuilder(insert).append(" ON CONFLICT (").append(String.join(", ", keyColumns))
                .append(") DO UPDATE SET ");
        for (int i = 0; i < updatedColumns.size(); i++) {
            String column = updatedColumns.get(i);
            sql.append(i == 0 ? "" : ", ").append(column).append(" = excluded.").append(column);
        }
        return sql.toString();
    }

    /** Reads a JSON column as text. */
    String getJson(ResultSet row, String column) throws SQLException;

    /**
     * The SQL literal for true in a boolean column, written as the schema's partial indexes write it, so that a query
     * on it can use them: {@code TRUE} by default; SQLite, whose booleans are integers, says {@code 1}.
     */
    default String trueLiteral() {
        return "TRUE";
    }

    /** What an exception from the driver or the pool means. */
    SqlErrorKind classify(SQLException error);

    /** Names the database for messages, for example {@code the SQLite database at /srv/app/configstore.db}. */
    String describeDatabase();

    /**
     * How long this dialect waits for a lock, for messages, for example
     * {@code the busy timeout (15000 ms)}.
     */
    String describeLockWait();
}
