package io.configstore.postgres;

import com.zaxxer.hikari.HikariConfig;
import io.configstore.crypto.CipherSource;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.jdbc.ConnectionPool;
import io.configstore.jdbc.JdbcSchemaMigrator;
import io.configstore.jdbc.JdbcStoreSet;
import io.configstore.jdbc.SqlErrorTranslator;
import io.configstore.migration.MigrationMode;
import io.configstore.store.StoreSet;
import io.configstore.store.StoreSetBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The shared-server backend: configstore in a PostgreSQL schema, for several instances of an application on several
 * machines sharing one database.
 *
 * <pre>{@code
 * try (StoreSet stores = PostgresStoreSet.builder()
 *         .url("jdbc:postgresql://db.internal:5432/app")
 *         .user("app").password(System.getenv("DB_PASSWORD"))
 *         .schema("configstore")
 *         .cipher(AesGcmSecretCipher.of("k1", key))
 *         .open()) {
 *     stores.subscribe(event -> cache.invalidate(event));
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Safe concurrent start.</b> Instances opening one database at once create the schema and apply each
 *       migration exactly once: every migrating transaction first takes a transaction-level advisory lock derived
 *       from the schema name, then re-reads the history. An instance waits for another's migration up to the
 *       {@linkplain Builder#migrationLockTimeout migration lock timeout} (10 minutes by default), however short the
 *       lock and socket timeouts.</li>
 *   <li><b>Writers of one schema take turns.</b> Each write transaction takes the schema's advisory write lock
 *       (waiting at most the {@linkplain Builder#lockTimeout lock timeout}), so the stores behave as on SQLite; reads
 *       never wait.</li>
 *   <li><b>A change feed across instances.</b> Every committed write sends a {@code pg_notify} on the schema's
 *       channel inside its transaction (so only when it commits); each open store set listens on a dedicated
 *       connection and tells its subscribers of other instances' changes as
 *       {@link io.configstore.change.ChangeOrigin#REMOTE}, usually within milliseconds. After the listening connection
 *       drops and comes back, subscribers get {@link io.configstore.change.ChangeKind#RESYNC}.</li>
 *   <li><b>Bounded failure when the server is away.</b> A call fails within the connection timeout (no connection
 *       to be had) or the socket timeout (a connection that stopped answering) with a
 *       {@link StorageException} saying the database is unreachable; once the server is back, the same store set
 *       works again. A commit whose connection drops has an unknown outcome and is never retried.</li>
 * </ul>
 */
public final class PostgresStoreSet {
    /** The environment variable read when no URL is given. */
    public static final String URL_VARIABLE = "CONFIGSTORE_DB_URL";
    /** The schema used when none is given. */
    public static final String DEFAULT_SCHEMA = "configstore";
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
    /** How long a writer waits for the schema's write lock by default. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(15);
    /** How long an opening instance waits for another instance's migration by default. */
    public static final Duration DEFAULT_MIGRATION_LOCK_TIMEOUT = Duration.ofMinutes(10);
    /** The longest wait between two attempts to reconnect the listening connection, by default. */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

    /** Lower-case identifiers only: no quoting trouble in {@code search_path}, channel names or {@code LISTEN}. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration LISTEN_POLL_TIMEOUT = Duration.ofMillis(250);
    private static final Duration LISTEN_VALIDATION_INTERVAL = Duration.ofSeconds(5);

    private PostgresStoreSet() {
    }

    /** A builder with the defaults: URL from {@value #URL_VARIABLE}, schema {@value #DEFAULT_SCHEMA}, no cipher. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures and opens a PostgreSQL store set. Each setter validates its value at once, naming the option and the
     * allowed values; {@link #open()} checks what depends on several options. Not thread-safe; the store set it
     * opens is.
     */
    public static final class Builder extends StoreSetBuilder<Builder> {
        private String url;
        private String user;
        private String password;
        private String schema = DEFAULT_SCHEMA;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private Duration migrationLockTimeout = DEFAULT_MIGRATION_LOCK_TIMEOUT;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private MigrationMode migrationMode = MigrationMode.MIGRATE;
        private UnaryOperator<String> environment = System::getenv;

        private Builder() {
            super("PostgresStoreSet");
        }

        /**
         * The JDBC URL, {@code jdbc:postgresql://host:port/database}. Without it, {@value #URL_VARIABLE} is read.
         * Set the schema with {@link #schema}, not in the URL.
         *
         * @throws ValidationException when it is not a PostgreSQL JDBC URL
         */
        public Builder url(String jdbcUrl) {
            Arguments.requireNonNull("url", jdbcUrl);
            checkUrl("url", jdbcUrl);
            this.url = jdbcUrl;
            return this;
        }

        /** The database user; the driver's default (the URL's {@code user}, else the OS user) when not given. */
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
         * The schema holding configstore's tables; {@value #DEFAULT_SCHEMA} by default. It is created when absent
         * (in {@link MigrationMode#MIGRATE}), and every pooled connection uses it alone as its search path.
         *
         * @throws ValidationException unless 1 to 63 lower-case letters, digits or underscores, not starting with a
         *     digit
         */
        public Builder schema(String schemaName) {
            Arguments.requireNonNull("schema", schemaName);
            if (!SCHEMA_NAME.matcher(schemaName).matches() || schemaName.startsWith("pg_")) {
                throw new ValidationException("schema must be 1 to 63 lower-case letters, digits or underscores,"
                        + " not starting with a digit or 'pg_', was '" + schemaName + "'");
            }
            this.schema = schemaName;
            return this;
        }

        /**
         * The largest number of pooled connections; 10 by default. Each open store set also holds one more, outside
         * the pool, to listen for changes.
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
         * How long any call waits for the server's answer on an open connection; 30 seconds by default. Always
         * set: without it, a connection whose peer vanished without closing it hangs forever. Keep it above the
         * longest statement, lock wait included.
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
         * How long a write waits for another instance's write transaction on the same schema before failing with a
         * {@link StorageException}; 15 seconds by default. It also bounds a migrator's wait for the writers and for
         * the table locks its statements need, once it holds the migration lock. Must be less than the socket
         * timeout.
         *
         * @throws ValidationException unless between 1 ms and 1 hour
         */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = Arguments.requireBetween("lockTimeout", timeout, Duration.ofMillis(1),
                    Duration.ofHours(1));
            return this;
        }

        /**
         * How long an opening instance (or {@code schema().migrate()}) waits for another instance's migration of the
         * same schema before failing with a {@link StorageException}, and how long one migration statement may run;
         * 10 minutes by default. Migrations run on connections of their own, outside the pool, whose socket timeout
         * is this plus the {@linkplain #socketTimeout socket timeout}, so neither the wait nor a long migration is
         * cut off as if the server were unreachable.
         *
         * @throws ValidationException unless between 1 second and 24 hours
         */
        public Builder migrationLockTimeout(Duration timeout) {
            this.migrationLockTimeout = Arguments.requireBetween("migrationLockTimeout", timeout, Duration.ofSeconds(1),
                    Duration.ofHours(24));
            return this;
        }

        /**
         * The longest wait between two attempts to reconnect the connection that listens for changes; 5 seconds by
         * default. The first retry comes after 100 ms, and the wait doubles up to this.
         *
         * @throws ValidationException unless between 100 ms and 10 minutes
         */
        public Builder maxReconnectDelay(Duration delay) {
            this.maxReconnectDelay = Arguments.requireBetween("maxReconnectDelay", delay, Duration.ofMillis(100),
                    Duration.ofMinutes(10));
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

        /** The URL {@link #open()} would use. */
        String resolveUrl() {
            if (url != null) {
                return url;
            }
            String fromEnvironment = environment.apply(URL_VARIABLE);
            if (fromEnvironment == null || fromEnvironment.isBlank()) {
                throw new ValidationException("no database URL: pass one with PostgresStoreSet.builder().url(...),"
                        + " for example jdbc:postgresql://localhost:5432/app, or set the environment variable "
                        + URL_VARIABLE);
            }
            checkUrl("the environment variable " + URL_VARIABLE, fromEnvironment);
            return fromEnvironment;
        }

        /**
         * Opens the store: the pool, the schema (created when absent), the migrations (applied or, in validate
         * mode, checked) and the connection that listens for other instances' changes.
         *
         * @throws ValidationException when no cipher or URL was given, or options contradict each other
         * @throws io.configstore.error.SchemaMigrationException when the schema cannot be brought to this version
         * @throws StorageException when the database is unreachable or refuses the connection
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
            String jdbcUrl = resolveUrl();
            PostgresDialect dialect = new PostgresDialect(schema, location(jdbcUrl), UUID.randomUUID().toString(),
                    lockTimeout.toMillis(), migrationLockTimeout.toMillis());
            SqlErrorTranslator errors = new SqlErrorTranslator(dialect, clock);
            ConnectionPool pool = openPool(jdbcUrl, dialect, errors);
            PostgresChangeListener listener = null;
            try {
                PostgresDialect migrationDialect = dialect.forMigration();
                DataSource migrationConnections = migrationDataSource(jdbcUrl);
                if (migrationMode == MigrationMode.MIGRATE) {
                    createSchema(migrationConnections, migrationDialect);
                }
                JdbcSchemaMigrator migrator = new JdbcSchemaMigrator(migrationConnections, migrationDialect, clock);
                migrator.apply(migrationMode);
                listener = new PostgresChangeListener(() -> connect(jdbcUrl, "configstore-listener"), dialect,
                        LISTEN_POLL_TIMEOUT, LISTEN_VALIDATION_INTERVAL, maxReconnectDelay);
                return new JdbcStoreSet(pool, pool, dialect, cipherSource, clock, migrator, listener);
            } catch (RuntimeException e) {
                if (listener != null) {
                    listener.close();
                }
                pool.close();
                throw e;
            }
        }

        /** Driver properties shared by pooled and listening connections. */
        private Properties driverProperties(String applicationName) {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            properties.setProperty("currentSchema", schema);
            properties.setProperty("socketTimeout", String.valueOf(ceilSeconds(socketTimeout)));
            properties.setProperty("connectTimeout", String.valueOf(ceilSeconds(connectionTimeout)));
            properties.setProperty("loginTimeout", String.valueOf(ceilSeconds(connectionTimeout)));
            properties.setProperty("tcpKeepAlive", "true");
            properties.setProperty("ApplicationName", applicationName);
            // No server-side prepared statements. After another instance's DDL (a migration), a cached plan whose
            // result type changed fails with 0A000 "cached plan must not change result type" (pgjdbc#451), and
            // pgjdbc's autosave=conservative only recovers from it by wrapping every statement in a savepoint.
            // configstore's statements are few and small, so parsing each one costs little; with threshold 0 there
            // is no cached plan to go stale, and transaction-pooling proxies (PgBouncer) work too.
            properties.setProperty("prepareThreshold", "0");
            return properties;
        }

        /**
         * Unpooled connections for the migrator and the schema creation, each opened for one step and closed after
         * it. Their socket timeout is the migration lock timeout plus the socket timeout: the pool's would end a wait
         * for another instance's migration, or a long migration statement, as "unreachable". A dead server is still
         * noticed, only later; nothing but start-up and {@code schema().migrate()} use them.
         */
        private DataSource migrationDataSource(String jdbcUrl) {
            PGSimpleDataSource migrations = new PGSimpleDataSource();
            migrations.setURL(jdbcUrl);
            Properties properties = driverProperties("configstore-migration");
            try {
                for (String name : properties.stringPropertyNames()) {
                    migrations.setProperty(name, properties.getProperty(name));
                }
            } catch (SQLException e) {
                throw new StorageException("the PostgreSQL driver refused a connection property of the migration"
                        + " connections (" + e.getSQLState() + "); check that the postgresql driver on the class path"
                        + " is the version configstore was built with", e);
            }
            migrations.setSocketTimeout(ceilSeconds(migrationLockTimeout.plus(socketTimeout)));
            return migrations;
        }

        private Connection connect(String jdbcUrl, String applicationName) throws SQLException {
            Connection connection = new Driver().connect(jdbcUrl, driverProperties(applicationName));
            if (connection == null) {
                throw new SQLException("the PostgreSQL driver does not accept the URL", "08001");
            }
            return connection;
        }

        private ConnectionPool openPool(String jdbcUrl, PostgresDialect dialect, SqlErrorTranslator errors) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("configstore-postgres-" + schema);
            config.setMaximumPoolSize(poolSize);
            config.setAutoCommit(true);
            config.setConnectionTimeout(connectionTimeout.toMillis());
            config.setValidationTimeout(validationTimeout.toMillis());
            return ConnectionPool.open(config, () -> connect(jdbcUrl, "configstore"),
                    () -> connect(jdbcUrl, "configstore"), dialect, errors, "opening the connection pool");
        }

        /**
         * Creates the schema when absent, under the migration lock: two instances creating it at once would
         * otherwise race on the catalog (one of them failing with a unique violation on pg_namespace).
         */
        private void createSchema(DataSource migrationConnections, PostgresDialect dialect) {
            try (Connection connection = migrationConnections.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    dialect.takeMigrationLock(connection);
                    boolean exists;
                    try (PreparedStatement select = connection.prepareStatement(
                            "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
                        select.setString(1, schema);
                        try (ResultSet row = select.executeQuery()) {
                            exists = row.next();
                        }
                    }
                    if (!exists) {
                        try (Statement statement = connection.createStatement()) {
                            // The name is validated (lower-case letters, digits, underscores) and quoted besides.
                            statement.execute("CREATE SCHEMA \"" + schema + "\"");
                        }
                    }
                    connection.commit();
                } finally {
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                }
            } catch (SQLException e) {
                throw new SqlErrorTranslator(dialect, timestamps()).translate("creating the schema " + schema, e);
            }
        }

        /** Host, port and database of {@code jdbcUrl}, for messages: never the user or password. */
        private static String location(String jdbcUrl) {
            Properties parsed = Driver.parseURL(jdbcUrl, null);
            if (parsed == null) {
                return "(unparsable URL)";
            }
            String host = parsed.getProperty("PGHOST", "localhost");
            String port = parsed.getProperty("PGPORT", "5432");
            String database = parsed.getProperty("PGDBNAME", "");
            return "'" + database + "' at " + host.replace(",", ", ") + ":" + port.split(",")[0];
        }

        private static void checkUrl(String what, String jdbcUrl) {
            if (!jdbcUrl.startsWith("jdbc:postgresql:") || Driver.parseURL(jdbcUrl, null) == null) {
                throw new ValidationException(what + " must be a PostgreSQL JDBC URL such as"
                        + " jdbc:postgresql://localhost:5432/app");
            }
            String lower = jdbcUrl.toLowerCase(Locale.ROOT);
            if (lower.contains("currentschema=") || lower.contains("search_path")) {
                throw new ValidationException(what + " sets the schema itself (currentSchema or search_path);"
                        + " remove it and set the schema with PostgresStoreSet.builder().schema(...)");
            }
        }

        private static int ceilSeconds(Duration duration) {
            return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
        }
    }
}
