package io.configstore.mariadb;

import com.zaxxer.hikari.HikariConfig;
import io.configstore.crypto.CipherSource;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.jdbc.ConnectionPool;
import io.configstore.jdbc.DelegatingDataSource;
import io.configstore.jdbc.JdbcSchemaMigrator;
import io.configstore.jdbc.JdbcStoreSet;
import io.configstore.jdbc.SqlErrorTranslator;
import io.configstore.migration.MigrationMode;
import io.configstore.store.StoreSet;
import io.configstore.store.StoreSetBuilder;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.Driver;
import org.mariadb.jdbc.HostAddress;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * configstore in a MariaDB (or MySQL) database, for several instances of an application sharing one server.
 *
 * <pre>{@code
 * try (StoreSet stores = MariaDbStoreSet.builder()
 *         .url("jdbc:mariadb://db.internal:3306/")
 *         .user("app").password(System.getenv("DB_PASSWORD"))
 *         .database("configstore")
 *         .cipher(AesGcmSecretCipher.of("k1", key))
 *         .open()) {
 *     stores.subscribe(event -> cache.invalidate(event));
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Safe concurrent start.</b> Instances opening one database at once create it and apply each migration
 *       exactly once: every migrator first takes {@code GET_LOCK} on a name derived from the database, then re-reads
 *       the history, waiting for another's migration up to the {@linkplain Builder#migrationLockTimeout migration
 *       lock timeout}.</li>
 *   <li><b>Writers of one database take turns.</b> Each write transaction first locks the one row of
 *       {@code write_lock} (waiting at most the {@linkplain Builder#lockTimeout lock timeout}), so the stores behave
 *       as on SQLite and PostgreSQL; reads never wait. Transactions run at READ COMMITTED.</li>
 *   <li><b>Names compare exactly.</b> Every table uses {@code utf8mb4_bin}: {@code Prod} and {@code prod} are two
 *       names, as on the other backends.</li>
 *   <li><b>Bounded failure when the server is away.</b> A call fails within the connection timeout (no connection
 *       to be had) or the socket timeout (a connection that stopped answering) with a {@link StorageException}
 *       saying the database is unreachable; once the server is back, the same store set works again.</li>
 *   <li><b>A change feed across instances.</b> Every committed write appends its changes to {@code change_log} in
 *       its transaction; each open store set reads the log every {@linkplain Builder#changePollInterval poll
 *       interval} and tells its subscribers of other instances' changes as
 *       {@link io.configstore.change.ChangeOrigin#REMOTE}.</li>
 * </ul>
 */
public final class MariaDbStoreSet {
    /** The environment variable read when no URL is given. */
    public static final String URL_VARIABLE = "CONFIGSTORE_DB_URL";
    /** The database used when neither the URL nor {@link Builder#database} names one. */
    public static final String DEFAULT_DATABASE = "configstore";
    /** Connections in the pool by default. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** Largest accepted pool size. */
    public static final int MAX_POOL_SIZE = 200;
    /** How long a call waits for a connection by default. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    /** How long a call waits for the server's answer by default. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** How long a connection check may take by default. */
    public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(3);
    /** How long a writer waits for the database's write lock by default. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(15);
    /** How long an opening instance waits for another instance's migration by default. */
    public static final Duration DEFAULT_MIGRATION_LOCK_TIMEOUT = Duration.ofMinutes(10);

    /** How often the change log is read for other instances' changes by default. */
    public static final Duration DEFAULT_CHANGE_POLL_INTERVAL = Duration.ofMillis(250);

    /** Lower-case identifiers only: no quoting or case-folding trouble across file systems. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
    private static final String MARIADB_SCHEME = "jdbc:mariadb:";
    private static final String MYSQL_SCHEME = "jdbc:mysql:";

    private MariaDbStoreSet() {
    }

    /** A builder with the defaults: URL from {@value #URL_VARIABLE}, no cipher. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures and opens a MariaDB store set. Each setter validates its value at once, naming the option and the
     * allowed values; {@link #open()} checks what depends on several options. Not thread-safe; the store set it
     * opens is.
     */
    public static final class Builder extends StoreSetBuilder<Builder> {
        private String url;
        private String user;
        private String password;
        private String database;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private Duration migrationLockTimeout = DEFAULT_MIGRATION_LOCK_TIMEOUT;
        private Duration changePollInterval = DEFAULT_CHANGE_POLL_INTERVAL;
        private MigrationMode migrationMode = MigrationMode.MIGRATE;
        private UnaryOperator<String> environment = System::getenv;

        private Builder() {
            super("MariaDbStoreSet");
        }

        /**
         * The JDBC URL, {@code jdbc:mariadb://host:port/database} or {@code jdbc:mysql://host:port/database}. Without
         * it, {@value #URL_VARIABLE} is read. The database in the URL, if any, is the store's database unless
         * {@link #database} names one.
         *
         * @throws ValidationException when it is not a MariaDB or MySQL JDBC URL
         */
        public Builder url(String jdbcUrl) {
            Arguments.requireNonNull("url", jdbcUrl);
            checkUrl("url", jdbcUrl);
            this.url = jdbcUrl;
            return this;
        }

        /** The database user; the URL's {@code user} when not given. */
        public Builder user(String databaseUser) {
            Arguments.requireNonNull("user", databaseUser);
            if (databaseUser.isBlank()) {
                throw new ValidationException("user must not be blank; give the database user name");
            }
            this.user = databaseUser;
            return this;
        }

        /** The database user's password; never logged or shown in messages. */
        public Builder password(String databasePassword) {
            this.password = Arguments.requireNonNull("password", databasePassword);
            return this;
        }

        /**
         * The database holding configstore's tables; the URL's database, else {@value #DEFAULT_DATABASE}. It is
         * created when absent (in {@link MigrationMode#MIGRATE}), and every connection uses it.
         *
         * @throws ValidationException unless 1 to 64 lower-case letters, digits or underscores, not starting with a
         *     digit
         */
        public Builder database(String databaseName) {
            Arguments.requireNonNull("database", databaseName);
            checkDatabase("database", databaseName);
            this.database = databaseName;
            return this;
        }

        /**
         * The largest number of pooled connections; 10 by default.
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
         * How long a call waits for a connection (pooled, or a new one to a server that does not answer) before
         * failing with a {@link StorageException}; 10 seconds by default.
         *
         * @throws ValidationException unless between 250 ms and 10 minutes
         */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = Arguments.requireBetween("connectionTimeout", timeout, Duration.ofMillis(250),
                    Duration.ofMinutes(10));
            return this;
        }

        /**
         * How long any call waits for the server's answer on an open connection; 30 seconds by default. Keep it
         * above the longest statement, lock wait included.
         *
         * @throws ValidationException unless between 1 second and 1 hour
         */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = Arguments.requireBetween("socketTimeout", timeout, Duration.ofSeconds(1),
                    Duration.ofHours(1));
            return this;
        }

        /**
         * How long the pool's check of a connection may take before it is thrown away; 3 seconds by default. Must
         * be less than the connection timeout.
         *
         * @throws ValidationException unless between 250 ms and 1 minute
         */
        public Builder validationTimeout(Duration timeout) {
            this.validationTimeout = Arguments.requireBetween("validationTimeout", timeout, Duration.ofMillis(250),
                    Duration.ofMinutes(1));
            return this;
        }

        /**
         * How long a write waits for another instance's write transaction on the same database before failing with
         * a {@link StorageException}; 15 seconds by default. MariaDB counts it in whole seconds
         * ({@code innodb_lock_wait_timeout}), so it is rounded up. Must be less than the socket timeout.
         *
         * @throws ValidationException unless between 1 second and 1 hour
         */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = Arguments.requireBetween("lockTimeout", timeout, Duration.ofSeconds(1),
                    Duration.ofHours(1));
            return this;
        }

        /**
         * How long an opening instance (or {@code schema().migrate()}) waits for another instance's migration of the
         * same database before failing with a {@link StorageException}; 10 minutes by default. Migrations run on
         * connections of their own whose socket timeout is this plus the {@linkplain #socketTimeout socket timeout}.
         *
         * @throws ValidationException unless between 1 second and 24 hours
         */
        public Builder migrationLockTimeout(Duration timeout) {
            this.migrationLockTimeout = Arguments.requireBetween("migrationLockTimeout", timeout, Duration.ofSeconds(1),
                    Duration.ofHours(24));
            return this;
        }

        /**
         * How often the store set reads the change log for other instances' changes; 250 ms by default, which is
         * about how late a subscriber hears of another instance's commit.
         *
         * @throws ValidationException unless between 10 ms and 1 minute
         */
        public Builder changePollInterval(Duration interval) {
            this.changePollInterval = Arguments.requireBetween("changePollInterval", interval, Duration.ofMillis(10),
                    Duration.ofMinutes(1));
            return this;
        }

        /** {@link MigrationMode#MIGRATE} (the default) applies pending migrations on open; VALIDATE only checks. */
        public Builder migrationMode(MigrationMode mode) {
            this.migrationMode = Arguments.requireNonNull("migrationMode", mode);
            return this;
        }

        /** Replaces the environment lookup, so that tests can set {@value #URL_VARIABLE} without a process. */
        Builder environment(UnaryOperator<String> lookup) {
            this.environment = Arguments.requireNonNull("environment", lookup);
            return this;
        }

        /** The URL {@link #open()} would use, as given. */
        String resolveUrl() {
            if (url != null) {
                return url;
            }
            String fromEnvironment = environment.apply(URL_VARIABLE);
            if (fromEnvironment == null || fromEnvironment.isBlank()) {
                throw new ValidationException("no database URL: pass one with MariaDbStoreSet.builder().url(...),"
                        + " for example jdbc:mariadb://localhost:3306/app, or set the environment variable "
                        + URL_VARIABLE);
            }
            checkUrl("the environment variable " + URL_VARIABLE, fromEnvironment);
            return fromEnvironment;
        }

        /** The database {@link #open()} would use: the one set, else the URL's, else the default. */
        String resolveDatabase(ServerUrl server) {
            if (database != null) {
                return database;
            }
            return server.database().isEmpty() ? DEFAULT_DATABASE : server.database();
        }

        /**
         * Opens the store: the database (created when absent), the migrations (applied or, in validate mode, checked)
         * and the pool.
         *
         * @throws ValidationException when no cipher or URL was given, or options contradict each other
         * @throws io.configstore.error.SchemaMigrationException when the database cannot be brought to this version
         * @throws StorageException when the server is unreachable or refuses the connection
         */
        @Override
        public StoreSet open() {
            CipherSource cipherSource = requireCipherSource();
            Clock clock = timestamps();
            if (validationTimeout.compareTo(connectionTimeout) >= 0) {
                throw new ValidationException("validationTimeout (" + validationTimeout + ") must be less than"
                        + " connectionTimeout (" + connectionTimeout + ")");
            }
            if (lockTimeout.compareTo(socketTimeout) >= 0) {
                throw new ValidationException("lockTimeout (" + lockTimeout + ") must be less than socketTimeout ("
                        + socketTimeout + "), so that a writer waiting for the lock fails with a clear message"
                        + " instead of a dropped connection");
            }
            String source = url != null ? "url" : "the environment variable " + URL_VARIABLE;
            ServerUrl server = ServerUrl.parse(source, resolveUrl());
            String db = resolveDatabase(server);
            if (database == null && !server.database().isEmpty()) {
                checkDatabase("the URL's database", db);
            }
            MariaDbDialect dialect = new MariaDbDialect(db, server.location(), lockTimeout.toMillis(),
                    migrationLockTimeout.toMillis(), UUID.randomUUID().toString(), clock);
            MariaDbDialect migrationDialect = dialect.forMigration();
            SqlErrorTranslator errors = new SqlErrorTranslator(dialect, clock);
            DataSource migrationConnections = new Connections(server,
                    () -> connect(server, db, "configstore-migration", migrationLockTimeout.plus(socketTimeout)));
            if (migrationMode == MigrationMode.MIGRATE) {
                createDatabase(server, db, migrationDialect, clock);
            }
            ConnectionPool pool = openPool(server, db, dialect, errors);
            MariaDbChangeWatcher watcher = null;
            try {
                JdbcSchemaMigrator migrator = new JdbcSchemaMigrator(migrationConnections, migrationDialect, clock);
                migrator.apply(migrationMode);
                watcher = new MariaDbChangeWatcher(() -> connect(server, db, "configstore-watcher", socketTimeout),
                        changePollInterval, dialect, errors);
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
         * One new connection to {@code db} (or to no database when {@code db} is null), set up as every configstore
         * connection must be: READ COMMITTED (see {@link MariaDbDialect}), the write-lock wait bounded by the lock
         * timeout, strict SQL mode (a value that does not fit is an error, never truncated), and UTC.
         */
        private Connection connect(ServerUrl server, String db, String applicationName, Duration socket)
                throws SQLException {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            properties.setProperty("connectTimeout", String.valueOf(connectionTimeout.toMillis()));
            properties.setProperty("socketTimeout", String.valueOf(socket.toMillis()));
            properties.setProperty("tcpKeepAlive", "true");
            properties.setProperty("connectionAttributes", "program_name:" + applicationName);
            Connection connection = new Driver().connect(server.withoutDatabase(), properties);
            if (connection == null) {
                throw new SQLException("the MariaDB driver does not accept the URL", "08001");
            }
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION',"
                            + " time_zone = '+00:00', innodb_lock_wait_timeout = "
                            + Math.max(1, (lockTimeout.toMillis() + 999) / 1000));
                }
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                if (db != null) {
                    connection.setCatalog(db);
                }
                return connection;
            } catch (SQLException e) {
                try {
                    connection.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        private ConnectionPool openPool(ServerUrl server, String db, MariaDbDialect dialect,
                                        SqlErrorTranslator errors) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("configstore-mariadb-" + db);
            config.setMaximumPoolSize(poolSize);
            config.setAutoCommit(true);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setValidationTimeout(validationTimeout.toMillis());
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            return ConnectionPool.open(config, () -> connect(server, db, "configstore", socketTimeout),
                    () -> connect(server, db, "configstore", socketTimeout), dialect, errors,
                    "opening the connection pool");
        }

        /**
         * Creates the database when absent, under the migration lock, so that instances opening at once do not
         * race; {@code CREATE DATABASE IF NOT EXISTS} keeps it harmless even so.
         */
        private void createDatabase(ServerUrl server, String db, MariaDbDialect dialect, Clock clock) {
            try (Connection connection = connect(server, null, "configstore-migration",
                    migrationLockTimeout.plus(socketTimeout))) {
                dialect.beginWrite(connection);
                boolean open = true;
                try {
                    dialect.lockForMigration(connection);
                    try (Statement statement = connection.createStatement()) {
                        // The name is validated (lower-case letters, digits, underscores) and quoted besides.
                        statement.execute("CREATE DATABASE IF NOT EXISTS `" + db + "`"
                                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
                    }
                    dialect.commit(connection);
                    open = false;
                } finally {
                    if (open) {
                        dialect.rollback(connection);
                    }
                }
            } catch (SQLException e) {
                throw new SqlErrorTranslator(dialect, clock).translate("creating the database " + db, e);
            }
        }

        private static void checkDatabase(String what, String name) {
            if (!DATABASE_NAME.matcher(name).matches()) {
                throw new ValidationException(what + " must be 1 to 64 lower-case letters, digits or underscores,"
                        + " not starting with a digit");
            }
        }

        private static void checkUrl(String what, String jdbcUrl) {
            ServerUrl.parse(what, jdbcUrl);
        }
    }

    /** Unpooled connections for the migrator: each opened for one step and closed after it. */
    private static final class Connections extends DelegatingDataSource {
        private final MariaDbDataSource driverSource;
        private final ConnectionPool.DirectConnection open;

        Connections(ServerUrl server, ConnectionPool.DirectConnection open) {
            this.open = open;
            try {
                this.driverSource = new MariaDbDataSource(server.withoutDatabase());
            } catch (SQLException e) {
                throw new ValidationException("the database URL is not one the MariaDB driver accepts; give one such"
                        + " as jdbc:mariadb://localhost:3306/app");
            }
        }

        @Override
        protected DataSource delegate() {
            return driverSource;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return open.open();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLException("the migration connections use the store's own user", "0A000");
        }
    }

    /**
     * A MariaDB or MySQL JDBC URL taken apart: the same URL for the MariaDB driver without the database (the store
     * chooses it per connection, and it may not exist yet), the database it named, and host and port for messages.
     */
    record ServerUrl(String withoutDatabase, String database, String location) {
        /** Parses {@code jdbc:mariadb:...} or {@code jdbc:mysql:...}; never quotes the URL (it may hold a password). */
        static ServerUrl parse(String what, String jdbcUrl) {
            String mariadbUrl;
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            if (lower.startsWith(MARIADB_SCHEME)) {
                mariadbUrl = MARIADB_SCHEME + jdbcUrl.substring(MARIADB_SCHEME.length());
            } else if (lower.startsWith(MYSQL_SCHEME)) {
                // The MariaDB driver speaks to MySQL too, but takes jdbc:mysql: only with an option; it is its URL.
                mariadbUrl = MARIADB_SCHEME + jdbcUrl.substring(MYSQL_SCHEME.length());
            } else {
                throw invalid(what);
            }
            int hosts = mariadbUrl.indexOf("//");
            if (hosts < 0) {
                throw invalid(what);
            }
            int query = mariadbUrl.indexOf('?', hosts);
            int end = query < 0 ? mariadbUrl.length() : query;
            int slash = mariadbUrl.indexOf('/', hosts + 2);
            String database = "";
            String base = mariadbUrl;
            if (slash >= 0 && slash < end) {
                database = mariadbUrl.substring(slash + 1, end);
                base = mariadbUrl.substring(0, slash + 1) + mariadbUrl.substring(end);
            } else {
                base = mariadbUrl.substring(0, end) + "/" + mariadbUrl.substring(end);
            }
            Configuration parsed;
            try {
                parsed = Configuration.parse(base);
            } catch (SQLException | RuntimeException e) {
                throw invalid(what);
            }
            if (parsed == null || parsed.addresses().isEmpty()) {
                throw invalid(what);
            }
            HostAddress first = parsed.addresses().get(0);
            return new ServerUrl(base, database, first.host + ":" + first.port);
        }

        private static ValidationException invalid(String what) {
            return new ValidationException(what + " must be a MariaDB or MySQL JDBC URL such as"
                    + " jdbc:mariadb://localhost:3306/app or jdbc:mysql://localhost:3306/app");
        }
    }
}
