package io.configstore.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.configstore.error.StorageException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connection pool of a SQL store set: HikariCP, configured by the backend (driver, sizes, timeouts) and started
 * here with the rules every backend shares, so that the database being away costs no more than its own answer.
 *
 * <ul>
 *   <li><b>Start.</b> The first connection is opened directly ({@code direct}), not by the pool: a database that
 *       refuses fails {@link #open} as fast as it refuses. HikariCP's own initial check
 *       ({@code initializationFailTimeout}, 1 ms by default) sleeps one second after a failed attempt before it
 *       gives up, so it is turned off (-1) and the pool starts empty.</li>
 *   <li><b>After a lost connection.</b> Once a connection was lost (a statement failed so, or a borrow timed out
 *       after failed connection attempts), the next borrow first opens a connection of its own: while the database
 *       is away that fails at once, without waiting the pool's connection timeout; when it answers again the pool's
 *       old connections are evicted and the borrow goes on.</li>
 *   <li><b>No backoff of the pool's own.</b> HikariCP's connection creator sleeps after each failed attempt, 10 ms
 *       doubling up to 5 s (HikariCP 6.3), and a borrow made after the database returned waits out that sleep. So
 *       the pool opens its connections through a source that, while a caller waits, retries a failed attempt itself
 *       every {@value #RETRY_MILLIS} ms and hands the creator a failure only once no one waits; with no idle
 *       minimum (0) the creator then stops, and its sleeps never grow.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ConnectionPool extends DelegatingDataSource implements AutoCloseable {
    /** Opens one new physical connection to the database, with the pool's settings. */
    @FunctionalInterface
    public interface DirectConnection {
        Connection open() throws SQLException;
    }

    /** How often the pool's source retries a failed connection attempt while a caller waits. */
    static final long RETRY_MILLIS = 50;

    private volatile HikariDataSource pool;
    private final DirectConnection direct;
    private final SqlDialect dialect;
    private volatile boolean lost;
    /** Failed attempts handed to HikariCP's creator (each one starts or doubles its sleep); for tests. */
    private final AtomicInteger failuresHandedToPool = new AtomicInteger();

    private ConnectionPool(DirectConnection direct, SqlDialect dialect) {
        this.direct = direct;
        this.dialect = dialect;
    }

    /**
     * Checks the database with one direct connection, then starts the pool {@code config} describes (its
     * {@code initializationFailTimeout} and {@code minimumIdle} are set here; see the class comment).
     *
     * @param config the backend's pool settings (name, size, timeouts); its data source is set here
     * @param pooled opens the connections the pool keeps
     * @param direct opens the connections that check the database, at start and after a lost connection
     * @param action what is being done, for the error message: {@code "opening the connection pool"}
     * @throws io.configstore.error.StoreUnavailableException when the database is unreachable or unreadable
     * @throws StorageException when it refuses otherwise, or the pool cannot start
     */
    public static ConnectionPool open(HikariConfig config, DirectConnection pooled, DirectConnection direct,
                                      SqlDialect dialect, SqlErrorTranslator errors, String action) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pooled, "pooled");
        Objects.requireNonNull(direct, "direct");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(errors, "errors");
        try (Connection first = direct.open()) {
            // Reaching the database is the whole check; the pool opens its own connections.
        } catch (SQLException e) {
            throw errors.translate(action, e);
        }
        ConnectionPool created = new ConnectionPool(direct, dialect);
        config.setDataSource(created.new PatientSource(pooled));
        config.setInitializationFailTimeout(-1);
        config.setMinimumIdle(0);
        try {
            created.pool = new HikariDataSource(config);
            return created;
        } catch (RuntimeException e) {
            // Only a configuration error is left here (no connection is attempted); its text is HikariCP's own.
            throw new StorageException(action + " failed: the pool of " + dialect.describeDatabase() + " could not"
                    + " start; check the pool settings (size, timeouts)", e);
        }
    }

    /**
     * A connection from the pool; after a lost connection, first a direct one to check that the database answers
     * again (see the class comment).
     *
     * @throws SQLException when the database is still away (the direct connection's error), or the pool's error
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (lost) {
            try (Connection check = direct.open()) {
                // The database answers: the pool's connections from before the loss are suspect, and replaced.
            }
            lost = false;
            pool.getHikariPoolMXBean().softEvictConnections();
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            noteFailure(e);
            throw e;
        }
    }

    /**
     * Tells the pool of a failure on one of its connections, or of a borrow: when it means the database was lost,
     * the next borrow checks the database first. A borrow that timed out with every connection busy and no failed
     * connection attempt behind it (HikariCP then gives no cause) is load, not a loss.
     */
    void noteFailure(SQLException error) {
        boolean busyOnly = error instanceof SQLTransientConnectionException && error.getCause() == null;
        if (!busyOnly && dialect.classify(error) == SqlErrorKind.CONNECTION_LOST) {
            lost = true;
        }
    }

    /** Whether the next borrow opens a direct connection first (a connection was lost since the last check). */
    boolean checksFirst() {
        return lost;
    }

    int failuresHandedToPool() {
        return failuresHandedToPool.get();
    }

    /**
     * The source HikariCP opens its connections from: a failed attempt is retried here while a caller waits for a
     * connection (so the creator's backoff does not grow), and handed to HikariCP once no one waits.
     */
    private final class PatientSource implements DataSource {
        private final DirectConnection pooled;
        private volatile int loginTimeout;

        PatientSource(DirectConnection pooled) {
            this.pooled = pooled;
        }

        @Override
        public Connection getConnection() throws SQLException {
            while (true) {
                try {
                    return pooled.open();
                } catch (SQLException e) {
                    noteFailure(e);
                    HikariDataSource owner = pool;
                    if (owner == null || owner.isClosed()
                            || owner.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0) {
                        failuresHandedToPool.incrementAndGet();
                        throw e;
                    }
                    try {
                        Thread.sleep(RETRY_MILLIS);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        failuresHandedToPool.incrementAndGet();
                        throw e;
                    }
                }
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the pool's credentials are fixed when it is opened");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // Nothing is logged through a writer.
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // The backends set their own connect and login timeouts on every connection.
            loginTimeout = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeout;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("no java.util.logging logger");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new SQLException("not a wrapper for " + type.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type.isInstance(this);
        }
    }

    /** Closes {@code connection} instead of returning it to the pool (its state is unknown). */
    void evict(Connection connection) {
        pool.evictConnection(connection);
    }

    /** The HikariCP pool inside, for tests and diagnosis. */
    HikariDataSource hikari() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's credentials are fixed when it is opened");
    }

    @Override
    protected DataSource delegate() {
        return pool;
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + dialect.describeDatabase() + "]";
    }
}
