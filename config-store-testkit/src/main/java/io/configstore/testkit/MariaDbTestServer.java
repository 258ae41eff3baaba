package io.configstore.testkit;

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
 * The MariaDB server the tests run against ({@code 127.0.0.1:3306}, user {@code root}, empty password, or
 * {@code CONFIGSTORE_TEST_MARIADB_URL} / {@code CONFIGSTORE_TEST_MARIADB_USER} / {@code
 * CONFIGSTORE_TEST_MARIADB_PASSWORD}), and fresh databases with random names in it, dropped by the test that made
 * them. When the server cannot be reached, every test fails with a message naming the command that starts it: never
 * skipped.
 *
 * <p>Plain JDBC only: the module that runs the tests brings the MariaDB driver.
 */
public final class MariaDbTestServer {
    /** The JDBC URL of the test server, naming no database. */
    public static final String URL = System.getenv().getOrDefault("CONFIGSTORE_TEST_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/");
    /** The user the tests connect as. */
    public static final String USER = System.getenv().getOrDefault("CONFIGSTORE_TEST_MARIADB_USER", "root");
    /** The user's password. */
    public static final String PASSWORD = System.getenv().getOrDefault("CONFIGSTORE_TEST_MARIADB_PASSWORD", "");
    /** What starts the server on the development machine, named in the failure when it is down. */
    public static final String START_COMMAND =
            "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd";

    private MariaDbTestServer() {
    }

    /** A fresh database name, unique to this run; the database itself is created by the store when it opens. */
    public static String newDatabaseName() {
        return "cs_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /**
     * A connection outside any store, as the administrator, with no database chosen.
     *
     * @throws AssertionError when the server is down, naming the command that starts it
     */
    public static Connection admin() {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        properties.setProperty("connectTimeout", "5000");
        properties.setProperty("socketTimeout", "60000");
        try {
            return DriverManager.getConnection(URL, properties);
        } catch (SQLException e) {
            throw new AssertionError("the MariaDB test server at " + URL + " (user " + USER + ") cannot be"
                    + " reached (" + e.getMessage() + "). The MariaDB tests need it: start it with `"
                    + START_COMMAND + "` (or point CONFIGSTORE_TEST_MARIADB_URL at another server), then run the"
                    + " tests again", e);
        }
    }

    /** Drops {@code database} and everything in it. */
    public static void dropDatabase(String database) throws SQLException {
        execute("DROP DATABASE IF EXISTS `" + database + "`");
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
}
