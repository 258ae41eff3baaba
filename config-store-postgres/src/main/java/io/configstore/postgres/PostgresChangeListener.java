package io.configstore.postgres;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.jdbc.ChangeWatcher;
import io.configstore.jdbc.SqlErrorTranslator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a PostgreSQL store set's subscribers of the changes other store sets commit to the same schema. It
 * {@code LISTEN}s on the schema's channel on a dedicated connection outside the pool (a pooled one would be closed by
 * the pool's maximum lifetime, or lent out still listening), and a daemon thread polls it with
 * {@code getNotifications(timeout)}: never {@code getNotifications(0)}, which blocks forever on a dead socket.
 *
 * <p>When the connection fails (the server restarted, the network dropped, the backend was terminated), the thread
 * reconnects with a growing delay, listens again and sends {@link io.configstore.change.ChangeKind#RESYNC}: the
 * notifications sent meanwhile are lost, so subscribers must reload everything. The connection's socket timeout bounds
 * every call on it, and an idle connection is checked with {@code isValid} now and then, so a silently dropped
 * connection is noticed too.
 */
final class PostgresChangeListener implements ChangeWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeListener.class);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(100);
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    /** Opens a new connection to the store's database, outside the pool. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final PostgresDialect dialect;
    private final Duration pollTimeout;
    private final Duration validationInterval;
    private final Duration maxRetryDelay;
    private final Object wakeUp = new Object();
    private volatile boolean running = true;
    private volatile Connection connection;
    private Thread thread;

    /**
     * Connects and listens at once, so that every change committed after the store set is handed out is heard.
     *
     * @throws io.configstore.error.StorageException when the listening connection cannot be opened
     */
    PostgresChangeListener(Connector connector, PostgresDialect dialect, Duration pollTimeout,
                           Duration validationInterval, Duration maxRetryDelay) {
        this.connector = connector;
        this.dialect = dialect;
        this.pollTimeout = pollTimeout;
        this.validationInterval = validationInterval;
        this.maxRetryDelay = maxRetryDelay;
        try {
            this.connection = listen();
        } catch (SQLException e) {
            throw new SqlErrorTranslator(dialect).translate("opening the connection that listens for changes", e);
        }
    }

    /** The backend process id of the listening connection, or -1 while it is reconnecting (for tests). */
    int backendPid() {
        Connection current = connection;
        if (current == null) {
            return -1;
        }
        try {
            return current.unwrap(PGConnection.class).getBackendPID();
        } catch (SQLException e) {
            return -1;
        }
    }

    private Connection listen() throws SQLException {
        Connection opened = connector.connect();
        try {
            opened.setAutoCommit(true);
            try (Statement statement = opened.createStatement()) {
                // Quoted, so that the name is used exactly as pg_notify sends it.
                statement.execute("LISTEN \"" + dialect.channel() + "\"");
            }
            return opened;
        } catch (SQLException e) {
            closeQuietly(opened);
            throw e;
        }
    }

    @Override
    public void start(Consumer<List<ChangeEvent>> publish) {
        thread = new Thread(() -> run(publish), "configstore-change-listener-" + dialect.schema());
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Consumer<List<ChangeEvent>> publish) {
        long lastValidated = System.nanoTime();
        try {
            while (running) {
                Connection current = connection;
                if (current == null) {
                    if (reconnect()) {
                        lastValidated = System.nanoTime();
                        publish.accept(List.of(ChangeEvent.resync(ChangeOrigin.REMOTE)));
                    }
                    continue;
                }
                try {
                    PGNotification[] notifications = current.unwrap(PGConnection.class)
                            .getNotifications((int) pollTimeout.toMillis());
                    if (notifications != null && notifications.length > 0) {
                        publish.accept(decode(notifications));
                    } else if (System.nanoTime() - lastValidated > validationInterval.toNanos()) {
                        if (!current.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                            throw new SQLException("the listening connection is no longer valid", "08006");
                        }
                        lastValidated = System.nanoTime();
                    }
                } catch (SQLException e) {
                    if (running) {
                        LOG.warn("the connection listening for changes to {} failed; reconnecting (changes made"
                                + " meanwhile are lost, subscribers will be told to reload everything)",
                                dialect.describeDatabase(), e);
                    }
                    connection = null;
                    closeQuietly(current);
                }
            }
        } finally {
            Connection last = connection;
            connection = null;
            if (last != null) {
                closeQuietly(last);
            }
        }
    }

    /** Tries to listen again, waiting a delay that doubles with each failure; true once listening. */
    private boolean reconnect() {
        long delayMillis = FIRST_RETRY_DELAY.toMillis();
        while (running) {
            if (!pause(delayMillis)) {
                return false;
            }
            try {
                connection = listen();
                LOG.info("listening for changes to {} again", dialect.describeDatabase());
                return true;
            } catch (SQLException e) {
                LOG.debug("reconnecting to listen for changes to {} failed; retrying in {} ms",
                        dialect.describeDatabase(), delayMillis, e);
                delayMillis = Math.min(maxRetryDelay.toMillis(), delayMillis * 2);
            }
        }
        return false;
    }

    /** Waits, unless closed meanwhile; false when closed. */
    private boolean pause(long millis) {
        synchronized (wakeUp) {
            if (!running) {
                return false;
            }
            try {
                wakeUp.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return running;
        }
    }

    private List<ChangeEvent> decode(PGNotification[] notifications) {
        List<ChangeEvent> events = new ArrayList<>(notifications.length);
        for (PGNotification notification : notifications) {
            Optional<ChangeNotification> decoded = ChangeNotification.decode(notification.getParameter());
            if (decoded.isEmpty()) {
                LOG.warn("ignored a notification on channel {} that configstore did not send",
                        notification.getName());
            } else if (!decoded.get().instanceId().equals(dialect.instanceId())) {
                events.add(decoded.get().event());
            }
        }
        return events;
    }

    private void closeQuietly(Connection toClose) {
        try {
            toClose.close();
        } catch (SQLException e) {
            LOG.debug("closing the listening connection to {} failed", dialect.describeDatabase(), e);
        }
    }

    /** Stops the thread (within one poll timeout) and closes the listening connection. */
    @Override
    public void close() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (thread == null) {
            Connection last = connection;
            connection = null;
            if (last != null) {
                closeQuietly(last);
            }
            return;
        }
        Connection current = connection;
        if (current != null) {
            try {
                // Closes the socket under the thread's blocked read, so that it stops now, not at its poll timeout.
                current.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.debug("aborting the listening connection to {} failed", dialect.describeDatabase(), e);
            }
        }
        try {
            thread.join(pollTimeout.toMillis() + TimeUnit.SECONDS.toMillis(VALIDATION_TIMEOUT_SECONDS + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
