package io.configstore.reliability;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.SecretCipher;
import io.configstore.file.FileStoreSet;
import io.configstore.postgres.PostgresStoreSet;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The backends the suite attacks, opened the same way by the test JVM and by its child JVMs: a location is a SQLite
 * file, a file-store directory or a PostgreSQL schema on the test server ({@code 127.0.0.1:5432}, user
 * {@code postgres}, or {@code CONFIGSTORE_TEST_PG_URL} / {@code CONFIGSTORE_TEST_PG_USER}).
 */
enum Backends {
    SQLITE, FILE, POSTGRES;

    static final String PG_URL = System.getenv().getOrDefault("CONFIGSTORE_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = System.getenv().getOrDefault("CONFIGSTORE_TEST_PG_USER", "postgres");

    /** Every open of one location must use the key its secrets were written with: a fixed test key. */
    static SecretCipher cipher() {
        byte[] key = new byte[AesGcmSecretCipher.KEY_BYTES];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (17 * i + 3);
        }
        return AesGcmSecretCipher.of("reliability", key);
    }

    /** Opens the store set at {@code location}. */
    StoreSet open(String location) {
        return switch (this) {
            case SQLITE -> SqliteStoreSet.builder().path(Path.of(location)).cipher(cipher()).open();
            case FILE -> FileStoreSet.builder().directory(Path.of(location)).cipher(cipher())
                    .watchInterval(Duration.ofMillis(50)).open();
            case POSTGRES -> postgres(PG_URL, location).open();
        };
    }

    /** A PostgreSQL builder on {@code url} and {@code schema} with short timeouts, so that failures fail fast. */
    static PostgresStoreSet.Builder postgres(String url, String schema) {
        return PostgresStoreSet.builder().url(url).user(PG_USER).schema(schema).cipher(cipher())
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30))
                .validationTimeout(Duration.ofSeconds(2)).poolSize(4);
    }

    /** A fresh location under {@code dir} (SQLite, file) or a fresh schema name (PostgreSQL). */
    String newLocation(Path dir, String name) {
        return switch (this) {
            case SQLITE -> dir.resolve(name + ".db").toString();
            case FILE -> dir.resolve(name).toString();
            case POSTGRES -> "cs_rel_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        };
    }

    /** Drops a PostgreSQL location (files go with the test's temporary directory). */
    void drop(String location) throws SQLException {
        if (this == POSTGRES) {
            pgExecute(PG_URL, "DROP SCHEMA IF EXISTS \"" + location + "\" CASCADE");
        }
    }

    /** A connection to the PostgreSQL server at {@code url} outside any store, failing with the fix when it is down. */
    static Connection pgAdmin(String url) {
        Properties properties = new Properties();
        properties.setProperty("user", PG_USER);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "60");
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new AssertionError("the PostgreSQL test server at " + url + " cannot be reached (" + e.getMessage()
                    + "); start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
                    + " or point CONFIGSTORE_TEST_PG_URL at another server", e);
        }
    }

    static void pgExecute(String url, String sql) throws SQLException {
        try (Connection connection = pgAdmin(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of every row of {@code sql} on a raw SQLite connection outside the store. */
    static List<String> sqliteQuery(Path db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                rows.add(row.getString(1));
            }
        }
        return rows;
    }
}
