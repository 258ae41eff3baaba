package io.configstore.bench;

import io.configstore.crypto.KeyRing;
import io.configstore.crypto.MasterKey;
import io.configstore.file.FileStoreSet;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.postgres.PostgresStoreSet;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * A backend a benchmark opens by its {@code @Param} name ({@code memory}, {@code sqlite}, {@code file},
 * {@code postgres}), a raw JDBC connection to the same database for the floor and the population, and the files or
 * schema to delete afterwards. PostgreSQL is the server at {@code CONFIGSTORE_BENCH_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code postgres}), in a fresh schema per trial.
 */
final class BenchBackend implements AutoCloseable {
    static final String PG_URL = System.getenv().getOrDefault("CONFIGSTORE_BENCH_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = System.getenv().getOrDefault("CONFIGSTORE_BENCH_PG_USER", "postgres");

    private final String name;
    private final StoreSet stores;
    private final Path directory;
    private final String schema;
    private final KeyRing ring;

    private BenchBackend(String name, StoreSet stores, Path directory, String schema, KeyRing ring) {
        this.name = name;
        this.stores = stores;
        this.directory = directory;
        this.schema = schema;
        this.ring = ring;
    }

    /** Opens {@code memory}, {@code sqlite}, {@code file} or {@code postgres}, fresh, with a fresh key ring. */
    static BenchBackend open(String name) throws IOException {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("bench"));
        return switch (name) {
            case "memory" -> new BenchBackend(name, InMemoryStoreSet.builder().cipher(ring).open(), null, null, ring);
            case "sqlite" -> {
                Path directory = Files.createTempDirectory("configstore-bench-");
                yield new BenchBackend(name, SqliteStoreSet.builder().path(directory.resolve("bench.db"))
                        .cipher(ring).open(), directory, null, ring);
            }
            case "file" -> {
                Path directory = Files.createTempDirectory("configstore-bench-");
                yield new BenchBackend(name, FileStoreSet.builder().directory(directory.resolve("store"))
                        .cipher(ring).open(), directory, null, ring);
            }
            case "postgres" -> {
                String schema = "cs_bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
                yield new BenchBackend(name, PostgresStoreSet.builder().url(PG_URL).user(PG_USER).schema(schema)
                        .cipher(ring).connectionTimeout(Duration.ofSeconds(10)).open(), null, schema, ring);
            }
            default -> throw new IllegalArgumentException("unknown benchmark backend '" + name + "'");
        };
    }

    /** The open store set. */
    StoreSet stores() {
        return stores;
    }

    /** The key ring the store encrypts with. */
    KeyRing ring() {
        return ring;
    }

    /** The SQL dialect of the raw connection: {@code sqlite} or {@code postgres}; others have no database. */
    String name() {
        return name;
    }

    /** A raw JDBC connection to the store's own database (SQLite file, PostgreSQL schema), outside the library. */
    Connection jdbc() throws SQLException {
        return switch (name) {
            case "sqlite" -> {
                // The settings the store's own connections use (SqliteStoreSet): the same commit cost.
                SQLiteConfig config = new SQLiteConfig();
                config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
                config.enforceForeignKeys(true);
                config.setBusyTimeout(15_000);
                yield config.createConnection("jdbc:sqlite:" + directory.resolve("bench.db"));
            }
            case "postgres" -> {
                Properties properties = new Properties();
                properties.setProperty("user", PG_USER);
                properties.setProperty("currentSchema", schema);
                yield DriverManager.getConnection(PG_URL, properties);
            }
            default -> throw new IllegalStateException("the " + name + " backend has no JDBC database");
        };
    }

    /** The SQLite database file (the peer reads it too). */
    Path sqliteFile() {
        return directory.resolve("bench.db");
    }

    /** Closes the store set and deletes its files or schema. */
    @Override
    public void close() throws IOException {
        stores.close();
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        if (schema != null) {
            Properties properties = new Properties();
            properties.setProperty("user", PG_USER);
            try (Connection connection = DriverManager.getConnection(PG_URL, properties);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            } catch (SQLException e) {
                throw new IOException("could not drop benchmark schema " + schema + " (SQL state " + e.getSQLState()
                        + "); drop it by hand", e);
            }
        }
    }
}
