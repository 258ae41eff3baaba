package io.configstore.testkit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL server the tests run against ({@code 127.0.0.1:5432}, user {@code postgres}, trust auth, or
 * {@code CONFIGSTORE_TEST_PG_URL} / {@code CONFIGSTORE_TEST_PG_USER}), and fresh schemas with random names in it,
 * dropped by the test that made them. When the server cannot be reached, every test fails with a message naming the
 * command that starts it: never skipped.
 *
 * <p>Plain JDBC only: the module that runs the tests brings the PostgreSQL driver.
 */
public final class PostgresTestServer {
    /** The JDBC URL of the test server's administration database. */
    public static final String URL = System.getenv().getOrDefault("CONFIGSTORE_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    /** The user the tests connect as. */
    public static final String USER = System.getenv().getOrDefault("CONFIGSTORE_TEST_PG_USER", "postgres");
    /** What starts the server on the development machine, named in the failure when it is down. */
    public static final String START_COMMAND =
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

    private PostgresTestServer() {
    }

    /** A fresh schema name, unique to this run; the schema itself is created by the store when it opens. */
    public static String newSchemaName() {
        return "cs_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /**
     * A connection outside any store, as the administrator.
     *
     * @throws AssertionError when the server is down, naming the command that starts it
     */
    public static Connection admin() {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "60");
        try {
            return DriverManager.getConnection(URL, properties);
        } catch (SQLException e) {
            throw new AssertionError("the PostgreSQL test server at " + URL + " (user " + USER + ") cannot be"
                    + " reached (" + e.getMessage() + "). The PostgreSQL tests need it: start it with `"
                    + START_COMMAND + "` (or point CONFIGSTORE_TEST_PG_URL at another server), then run the tests"
                    + " again", e);
        }
    }

    /** Drops {@code schema} and everything in it. */
    public static void dropSchema(String schema) throws SQLException {
        execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    /** Runs one statement as the administrator. */
    public static void execute(String sql) throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of every row of {@code sql}, bound to {@code parameters}, read outside the store. */
    public static List<String> query(String sql, Object... parameters) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = admin(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1));
                }
            }
        }
        return rows;
    }

    /** Terminates the server processes of connections matching {@code condition} on pg_stat_activity; the count. */
    public static int terminateBackends(String condition, Object... parameters) throws SQLException {
        return query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND "
                + condition, parameters).size();
    }
}
