package io.configstore.postgres;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.SecretCipher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL server the tests run against ({@code 127.0.0.1:5432}, user {@code postgres}, trust auth, or
 * {@code CONFIGSTORE_TEST_PG_URL}), and fresh schemas with random names in it. When the server cannot be reached,
 * every test fails with a message naming the command that starts it: never skipped.
 */
final class PostgresTestDatabase {
    static final String URL = System.getenv().getOrDefault("CONFIGSTORE_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String USER = System.getenv().getOrDefault("CONFIGSTORE_TEST_PG_USER", "postgres");
    static final String START_COMMAND = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

    private PostgresTestDatabase() {
    }

    /**
     * A cipher over the suite's fixed test key: every store set opened on one schema (another instance, a child
     * process) must use the key the schema's secrets were written with.
     */
    static SecretCipher testCipher() {
        byte[] key = new byte[AesGcmSecretCipher.KEY_BYTES];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (31 * i + 7);
        }
        return AesGcmSecretCipher.of("test", key);
    }

    /** A fresh schema name, unique to this run; the schema itself is created by the store when it opens. */
    static String newSchemaName() {
        return "cs_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** A builder on the test server and {@code schema}, with short timeouts so that failing tests fail fast. */
    static PostgresStoreSet.Builder builder(String schema) {
        return PostgresStoreSet.builder().url(URL).user(USER).schema(schema).cipher(testCipher())
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30))
                .validationTimeout(Duration.ofSeconds(2)).poolSize(4);
    }

    /** A connection outside any store, as the administrator, failing loudly when the server is down. */
    static Connection admin() {
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
    static void dropSchema(String schema) throws SQLException {
        execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    static void execute(String sql) throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of every row of {@code sql}, bound to {@code parameters}, read outside the store. */
    static List<String> query(String sql, Object... parameters) throws SQLException {
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
    static int terminateBackends(String condition, Object... parameters) throws SQLException {
        return query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND "
                + condition, parameters).size();
    }
}
