package io.configstore.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/** A minimal SQLite dialect for the core's own tests, with a migration list chosen by each test. */
final class TestSqliteDialect implements SqlDialect {
    private final Path file;
    private final List<String> migrations;

    TestSqliteDialect(Path file, List<String> migrations) {
        this.file = file;
        this.migrations = migrations;
    }

    /** A data source on the file, in autocommit, waiting up to 10 s for locks. */
    SQLiteDataSource dataSource() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    @Override
    public String name() {
        return "test-sqlite";
    }

    @Override
    public List<String> migrations() {
        return migrations;
    }

    @Override
    public String createHistoryTableSql() {
        return "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                + " checksum TEXT NOT NULL, applied_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL)";
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        execute(connection, "COMMIT");
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        execute(connection, "ROLLBACK");
    }

    @Override
    public void lockForMigration(Connection connection) {
    }

    @Override
    public Set<String> tableNames(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")) {
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
        int code = error instanceof SQLiteException sqlite ? sqlite.getResultCode().code : error.getErrorCode();
        return switch (code & 0xff) {
            case 5, 6 -> SqlErrorKind.LOCKED;
            case 19 -> SqlErrorKind.UNIQUE_VIOLATION;
            default -> SqlErrorKind.OTHER;
        };
    }

    @Override
    public String describeDatabase() {
        return "the test database at " + file;
    }

    @Override
    public String describeLockWait() {
        return "10000 ms";
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** SQLite's booleans are integers, and its partial index on the default flag says {@code is_default = 1}. */
    @Override
    public String trueLiteral() {
        return "1";
    }
}
