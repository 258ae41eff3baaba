package io.configstore.reliability;

import io.configstore.file.FileStoreSet;
import io.configstore.postgres.PostgresStoreSet;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.PostgresTestServer;
import io.configstore.testkit.TestKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The backends the suite attacks, opened the same way by the test JVM and by its child JVMs: a location is a SQLite
 * file, a file-store directory or a PostgreSQL schema on the test server ({@link PostgresTestServer}), all with the
 * suite's fixed key ({@link TestKeys}), since every open of one location must use the key it was written with.
 */
enum Backends {
    SQLITE, FILE, POSTGRES;

    /** Opens the store set at {@code location}. */
    StoreSet open(String location) {
        return switch (this) {
            case SQLITE -> SqliteStoreSet.builder().path(Path.of(location)).cipher(TestKeys.cipher()).open();
            case FILE -> FileStoreSet.builder().directory(Path.of(location)).cipher(TestKeys.cipher())
                    .watchInterval(Duration.ofMillis(50)).open();
            case POSTGRES -> postgres(PostgresTestServer.URL, location).open();
        };
    }

    /** A PostgreSQL builder on {@code url} and {@code schema} with short timeouts, so that failures fail fast. */
    static PostgresStoreSet.Builder postgres(String url, String schema) {
        return PostgresStoreSet.builder().url(url).user(PostgresTestServer.USER).schema(schema).cipher(TestKeys.cipher())
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30))
                .validationTimeout(Duration.ofSeconds(2)).poolSize(4);
    }

    /** A fresh location under {@code dir} (SQLite, file) or a fresh schema name (PostgreSQL). */
    String newLocation(Path dir, String name) {
        return switch (this) {
            case SQLITE -> dir.resolve(name + ".db").toString();
            case FILE -> dir.resolve(name).toString();
            case POSTGRES -> PostgresTestServer.newSchemaName();
        };
    }

    /** Drops a PostgreSQL location (files go with the test's temporary directory). */
    void drop(String location) throws SQLException {
        if (this == POSTGRES) {
            PostgresTestServer.dropSchema(location);
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
