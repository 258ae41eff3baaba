package io.configstore.sqlite;

import com.zaxxer.hikari.HikariConfig;
import io.configstore.crypto.CipherSource;
import io.configstore.error.SchemaMigrationException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.jdbc.ConnectionPool;
import io.configstore.jdbc.JdbcSchemaMigrator;
import io.configstore.jdbc.JdbcStoreSet;
import io.configstore.jdbc.SqlErrorKind;
import io.configstore.jdbc.SqlErrorTranslator;
import io.configstore.migration.MigrationMode;
import io.configstore.store.StoreSet;
import io.configstore.store.StoreSetBuilder;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The embedded default backend: configstore in one SQLite file, in WAL mode, safe for several threads and several
 * processes at once.
 *
 * <pre>{@code
 * try (StoreSet stores = SqliteStoreSet.builder()
 *         .path(Path.of("data/configstore.db"))
 *         .cipher(AesGcmSecretCipher.of("k1", key))
 *         .open()) {
 *     stores.documents().update("app", doc -> doc.put("maxConnections", 20), ChangeContext.by("ops"));
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Writers wait, never fail on a lock.</b> Every write transaction begins with {@code BEGIN IMMEDIATE}, so
 *       concurrent writers in threads and processes queue on the write lock for up to the busy timeout.</li>
 *   <li><b>Durable by default.</b> {@link Durability#DURABLE} ({@code synchronous=FULL}): an acknowledged write
 *       survives a power cut. {@link Durability#RELAXED} trades that for speed.</li>
 *   <li><b>Owner-only file.</b> On POSIX file systems a new database file is created with mode 0600 before SQLite
 *       opens it; SQLite gives its {@code -wal} and {@code -shm} files the same mode.</li>
 *   <li><b>Other processes' changes are told.</b> Subscribers learn of every change committed through another store
 *       set or process on the same file, as {@link io.configstore.change.ChangeOrigin#REMOTE}, within about one
 *       {@linkplain Builder#changePollInterval poll interval}: each write logs its changes in {@code change_log}, and
 *       each store set polls {@code PRAGMA data_version} on a dedicated connection.</li>
 *   <li><b>Closing releases the file.</b> {@link StoreSet#close()} closes every pooled connection; afterwards no
 *       file handle stays open and the file may be moved or deleted.</li>
 * </ul>
 */
public final class SqliteStoreSet {
    /** The environment variable read when no path is given. */
    public static final String PATH_VARIABLE = "CONFIGSTORE_DB_PATH";
    /** The database file used when neither a path nor {@value #PATH_VARIABLE} is given. */
    public static final String DEFAULT_PATH = "data/configstore.db";
    /** How long a writer waits for the write lock by default. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(15);
    /** Connections in the pool by default. */
    public static final int DEFAULT_POOL_SIZE = 4;
    /** Largest accepted pool size. */
    public static final int MAX_POOL_SIZE = 64;
    /** How often a store set looks for other processes' changes by default. */
    public static final Duration DEFAULT_CHANGE_POLL_INTERVAL = Duration.ofMillis(100);

    private SqliteStoreSet() {
    }

    /** How hard SQLite works to keep a committed write across a crash of the machine. */
    public enum Durability {
        /**
         * {@code synchronous=FULL}: every commit is synced to disk before it returns, so an acknowledged write
         * survives a power cut. The default.
         */
        DURABLE,
        /**
         * {@code synchronous=NORMAL}: faster commits; a power cut or OS crash can lose the last commits (never
         * corrupting the file), a crash of the process alone loses nothing.
         */
        RELAXED
    }

    /** A builder with the defaults: path from {@value #PATH_VARIABLE} or {@value #DEFAULT_PATH}, no cipher yet. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures and opens a SQLite store set. Each setter validates its value at once, naming the option and the
     * allowed values; {@link #open()} checks that a cipher or master keys were given. Not thread-safe; the store set
     * it opens is.
     */
    public static final class Builder extends StoreSetBuilder<Builder> {
        private Path path;
        private Durability durability = Durability.DURABLE;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private int poolSize = DEFAULT_POOL_SIZE;
        private MigrationMode migrationMode = MigrationMode.MIGRATE;
        private Duration changePollInterval = DEFAULT_CHANGE_POLL_INTERVAL;
        private UnaryOperator<String> environment = System::getenv;

        private Builder() {
            super("SqliteStoreSet");
        }

        /** The database file. Without it, {@value #PATH_VARIABLE} or else {@value #DEFAULT_PATH} is used. */
        public Builder path(Path databaseFile) {
            this.path = Arguments.requireNonNull("path", databaseFile);
            return this;
        }

        /** {@link Durability#DURABLE} (the default) or {@link Durability#RELAXED}. */
        public Builder durability(Durability level) {
            this.durability = Arguments.requireNonNull("durability", level);
            return this;
        }

        /**
         * How long a write waits for another connection or process to release the write lock before failing with
         * a {@link StorageException}; 15 seconds by default.
         *
         * @throws ValidationException unless between 1 ms and {@link Integer#MAX_VALUE} ms
         */
        public Builder busyTimeout(Duration timeout) {
            Arguments.requireNonNull("busyTimeout", timeout);
            if (timeout.isNegative() || timeout.compareTo(Duration.ofMillis(1)) < 0
                    || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
                throw new ValidationException("busyTimeout must be between 1 ms and " + Integer.MAX_VALUE
                        + " ms, was " + timeout);
            }
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * How many connections the pool keeps; 4 by default. SQLite writes one at a time, so more connections only
         * help concurrent reads.
         *
         * @throws ValidationException unless between 1 and {@value #MAX_POOL_SIZE}
         */
        public Builder poolSize(int connections) {
            if (connections < 1 || connections > MAX_POOL_SIZE) {
                throw new ValidationException("poolSize must be between 1 and " + MAX_POOL_SIZE + ", was "
                        + connections);
            }
            this.poolSize = connections;
            return this;
        }

        /**
         * {@link MigrationMode#MIGRATE} (the default) applies pending migrations on open, creating the file if absent;
         * VALIDATE only checks, and creates nothing: a file that does not exist fails the open and is not created.
         */
        public Builder migrationMode(MigrationMode mode) {
            this.migrationMode = Arguments.requireNonNull("migrationMode", mode);
            return this;
        }

        /**
         * How often the store set checks whether another process committed to the file ({@code PRAGMA
         * data_version}), to tell its subscribers; 100 ms by default. A smaller interval tells them sooner and costs
         * one tiny query per interval.
         *
         * @throws ValidationException unless between 10 ms and 1 minute
         */
        public Builder changePollInterval(Duration interval) {
            Arguments.requireNonNull("changePollInterval", interval);
            if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new ValidationException("changePollInterval must be between 10 ms and 1 minute, was "
                        + interval);
            }
            this.changePollInterval = interval;
            return this;
        }

        /** Replaces the environment lookup, so that tests can set {@value #PATH_VARIABLE} without a process. */
        Builder environment(UnaryOperator<String> lookup) {
            this.environment = Arguments.requireNonNull("environment", lookup);
            return this;
        }

        /** The database file {@link #open()} would use. */
        Path resolvePath() {
            if (path != null) {
                return path.toAbsolutePath();
            }
            String fromEnvironment = environment.apply(PATH_VARIABLE);
            if (fromEnvironment == null) {
                return Path.of(DEFAULT_PATH).toAbsolutePath();
            }
            if (fromEnvironment.isBlank()) {
                throw new ValidationException("the environment variable " + PATH_VARIABLE + " is set but blank;"
                        + " set it to the path of the database file, or unset it to use " + DEFAULT_PATH);
            }
            try {
                return Path.of(fromEnvironment).toAbsolutePath();
            } catch (InvalidPathException e) {
                throw new ValidationException("the environment variable " + PATH_VARIABLE + " is not a valid path ("
                        + e.getReason() + "); set it to the path of the database file");
            }
        }

        /**
         * Opens the database: creates its directory and file if needed (in migrate mode only), switches it to WAL,
         * opens the pool and applies (or, in validate mode, checks) the schema migrations. Before migrating a database that already
         * holds an older schema, it backs the file up next to itself ({@link SqliteBackup}, logged at INFO).
         *
         * @throws ValidationException when neither a cipher nor master keys were given, or the path is not usable
         * @throws io.configstore.error.CryptoException when a master key is not the one the store was written with
         * @throws io.configstore.error.SchemaMigrationException when the schema cannot be brought to this version,
         *     or, in validate mode, is not current or the file does not exist (nothing is created then)
         * @throws StorageException when the file cannot be created, opened or converted
         */
        @Override
        public StoreSet open() {
            CipherSource cipherSource = requireCipherSource();
            Clock clock = timestamps();
            Path file = resolvePath();
            if (migrationMode == MigrationMode.VALIDATE && !Files.exists(file)) {
                // A missing file has every migration pending; creating it would only leave an empty file behind.
                throw new SchemaMigrationException("there is no SQLite database at " + file + "; validate mode"
                        + " creates nothing: check the path, or create the store by opening it once in migrate mode");
            }
            SqliteDialect dialect = new SqliteDialect(file, busyTimeout.toMillis(), UUID.randomUUID().toString(),
                    clock);
            ConnectionPool pool = openPool(file, dialect);
            SqliteChangeWatcher watcher = null;
            try {
                JdbcSchemaMigrator migrator = new JdbcSchemaMigrator(pool, dialect, clock);
                if (migrationMode == MigrationMode.MIGRATE) {
                    SqliteBackup.beforeMigration(file, migrator.info(), clock);
                }
                migrator.apply(migrationMode);
                SQLiteDataSource watcherSource = dataSource(file);
                watcher = new SqliteChangeWatcher(watcherSource::getConnection, dialect.instanceId(),
                        changePollInterval, dialect);
                return new JdbcStoreSet(pool, pool, dialect, cipherSource, clock, migrator, watcher);
            } catch (RuntimeException e) {
                if (watcher != null) {
                    watcher.close();
                }
                pool.close();
                throw e;
            }
        }

        /**
         * Everything {@link #open()} does before the schema: the file (created owner-only), WAL, the pool with its
         * per-connection pragmas. Tests use it to inspect pooled connections.
         */
        ConnectionPool openPool(Path file, SqliteDialect dialect) {
            if (Files.isDirectory(file)) {
                throw new ValidationException("path " + file + " is a directory; give the path of the database"
                        + " file, for example " + file.resolve("configstore.db"));
            }
            SqlErrorTranslator errors = new SqlErrorTranslator(dialect, timestamps());
            loadNativeLibrary();
            createOwnerOnly(file);
            switchToWal(file, dialect, errors);
            return newPool(file, dialect, errors);
        }

        private SQLiteDataSource dataSource(Path file) {
            SQLiteConfig config = new SQLiteConfig();
            // Per-connection settings, applied by the driver on every connection the pool opens.
            config.setBusyTimeout((int) busyTimeout.toMillis());
            config.enforceForeignKeys(true);
            config.setSynchronous(durability == Durability.DURABLE
                    ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
            SQLiteDataSource dataSource = new SQLiteDataSource(config);
            dataSource.setUrl("jdbc:sqlite:" + file);
            return dataSource;
        }

        private ConnectionPool newPool(Path file, SqliteDialect dialect, SqlErrorTranslator errors) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("configstore-sqlite");
            config.setMaximumPoolSize(poolSize);
            config.setAutoCommit(true);
            // A thread waiting for a pooled connection may be queued behind writers that each wait busyTimeout.
            config.setConnectionTimeout(Math.max(30_000L, busyTimeout.toMillis() + 5_000L));
            StatementCachingDataSource pooled = new StatementCachingDataSource(dataSource(file));
            SQLiteDataSource direct = dataSource(file);
            return ConnectionPool.open(config, pooled::getConnection, direct::getConnection, dialect, errors,
                    "opening the connection pool");
        }

        /** Converts the file to WAL once; the mode persists in the file, so later opens only read it. */
        private void switchToWal(Path file, SqliteDialect dialect, SqlErrorTranslator errors) {
            long deadline = System.nanoTime() + busyTimeout.toNanos();
            try (Connection connection = dataSource(file).getConnection()) {
                while (true) {
                    String mode = journalMode(connection, "PRAGMA journal_mode");
                    if (mode.equals("wal")) {
                        return;
                    }
                    try {
                        mode = journalMode(connection, "PRAGMA journal_mode=WAL");
                        if (mode.equals("wal")) {
                            return;
                        }
                        throw new StorageException(dialect.describeDatabase() + " cannot use WAL mode (SQLite kept"
                                + " journal mode '" + mode + "'); WAL needs a local file system, not a network"
                                + " share: move the file to a local disk");
                    } catch (SQLException e) {
                        // The conversion needs exclusive access and ignores the busy timeout: retry it ourselves.
                        if (dialect.classify(e) != SqlErrorKind.LOCKED || System.nanoTime() > deadline) {
                            throw e;
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    }
                }
            } catch (SQLException e) {
                throw errors.translate("switching the database to WAL mode", e);
            }
        }

        private static String journalMode(Connection connection, String pragma) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(pragma)) {
                return row.next() ? row.getString(1).toLowerCase(Locale.ROOT) : "";
            }
        }

        private static void createOwnerOnly(Path file) {
            try {
                Path parent = file.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (Files.notExists(file)
                        && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    try {
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
                    } catch (FileAlreadyExistsException raced) {
                        // Another process created it first; it set the mode.
                    }
                }
            } catch (IOException e) {
                throw new StorageException("creating the database file " + file + " failed (" + e + "); check"
                        + " that its directory exists or can be created and is writable by this process", e);
            }
        }

        private static void loadNativeLibrary() {
            try {
                SQLiteJDBCLoader.initialize();
            } catch (Exception | UnsatisfiedLinkError e) {
                throw new StorageException("the SQLite native library could not be loaded (" + e.getClass()
                        .getSimpleName() + "); sqlite-jdbc extracts it to java.io.tmpdir, which may be mounted"
                        + " noexec: set the system property org.sqlite.tmpdir to a directory where this process may"
                        + " write and execute files, for example -Dorg.sqlite.tmpdir=/var/lib/myapp/tmp", e);
            }
        }
    }
}
