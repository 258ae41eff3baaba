package io.configstore.mariadb;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.jdbc.ChangeWatcher;
import io.configstore.jdbc.ConnectionPool;
import io.configstore.jdbc.SqlErrorTranslator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a MariaDB store set's subscribers of the changes other store sets commit to the same database. On one
 * dedicated connection outside the pool (autocommit, READ COMMITTED, so each poll sees every commit before it), a
 * daemon thread reads the {@code change_log} rows after the last one it saw, every poll interval: the latency is the
 * poll interval plus one query. Rows written by this store set (its instance id) are skipped: the set already told
 * them as LOCAL.
 *
 * <p>Writers append to the log under the write lock, so seq order is commit order and a row never appears behind one
 * already read. AUTO_INCREMENT leaves gaps, so a gap says nothing; instead, after the connection was lost (changes
 * may have been pruned meanwhile) and when the log ends before the last seq read (a restored database), the watcher
 * sends {@link ChangeKind#RESYNC}.
 */
final class MariaDbChangeWatcher implements ChangeWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbChangeWatcher.class);
    private static final int BATCH = 1_000;

    private final ConnectionPool.DirectConnection connect;
    private final String instanceId;
    private final Duration pollInterval;
    private final String database;
    private final Object wakeUp = new Object();
    private Connection connection;
    private long lastSeq;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * Opens the watcher's connection and notes where the log ends now, so that changes committed from this moment on
     * are told, before the store set is handed out.
     *
     * @throws io.configstore.error.ConfigStoreException when the log cannot be read
     */
    MariaDbChangeWatcher(ConnectionPool.DirectConnection connect, Duration pollInterval, MariaDbDialect dialect,
                         SqlErrorTranslator errors) {
        this.connect = connect;
        this.instanceId = dialect.instanceId();
        this.pollInterval = pollInterval;
        this.database = dialect.describeDatabase();
        try {
            connection = connect.open();
            lastSeq = newestSeq();
        } catch (SQLException e) {
            closeConnection();
            throw errors.translate("opening the change watcher", e);
        }
    }

    @Override
    public void start(Consumer<List<ChangeEvent>> publish) {
        thread = new Thread(() -> run(publish), "configstore-change-watcher-" + database);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Consumer<List<ChangeEvent>> publish) {
        try {
            watch(publish);
        } finally {
            closeConnection();
        }
    }

    private void watch(Consumer<List<ChangeEvent>> publish) {
        while (running) {
            synchronized (wakeUp) {
                try {
                    wakeUp.wait(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!running) {
                return;
            }
            try {
                if (connection == null) {
                    connection = connect.open();
                    // Changes committed while the connection was away may be pruned by now: reload.
                    publish.accept(List.of(ChangeEvent.resync(ChangeOrigin.REMOTE)));
                }
                readNewRows(publish);
            } catch (SQLException | RuntimeException e) {
                // Transient (a restarted server, a dropped connection): a new connection at the next poll.
                LOG.warn("watching {} for other instances' changes failed; retrying", database, e);
                closeConnection();
            }
        }
    }

    /**
     * Publishes the rows after {@code lastSeq}, a batch at a time. {@code lastSeq} moves only once a batch is
     * published: when reading fails half-way, nothing of the batch was told and the next poll reads it again.
     */
    private void readNewRows(Consumer<List<ChangeEvent>> publish) throws SQLException {
        while (true) {
            List<ChangeEvent> events = new ArrayList<>();
            long readUpTo = lastSeq;
            int rows = 0;
            try (PreparedStatement select = connection.prepareStatement("SELECT seq, entity, tenant_id, entity_key,"
                    + " version, kind, origin FROM change_log WHERE seq > ? ORDER BY seq LIMIT " + BATCH)) {
                select.setLong(1, lastSeq);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows++;
                        readUpTo = row.getLong("seq");
                        if (!instanceId.equals(row.getString("origin"))) {
                            events.add(remoteEvent(row, readUpTo));
                        }
                    }
                }
            }
            if (rows == 0) {
                long newest = newestSeq();
                if (newest < lastSeq) {
                    // An older database was restored: seqs already read come again, which "seq > lastSeq" would skip.
                    LOG.info("the change log of {} went back from seq {} to {} (restored from a backup?); telling"
                            + " subscribers to resync", database, lastSeq, newest);
                    publish.accept(List.of(ChangeEvent.resync(ChangeOrigin.REMOTE)));
                    lastSeq = newest;
                }
                return;
            }
            if (!events.isEmpty()) {
                publish.accept(events);
            }
            lastSeq = readUpTo;
            if (rows < BATCH) {
                return;
            }
        }
    }

    /** The event of one log row, or RESYNC when the row cannot be read as one (an entity kind of a newer version). */
    private ChangeEvent remoteEvent(ResultSet row, long seq) throws SQLException {
        try {
            return new ChangeEvent(ChangeKind.valueOf(row.getString("kind")),
                    EntityKind.valueOf(row.getString("entity")), row.getString("tenant_id"),
                    row.getString("entity_key"), row.getLong("version"), ChangeOrigin.REMOTE);
        } catch (RuntimeException e) {
            LOG.warn("change_log row {} of {} is not a change this version knows ({}); telling subscribers to resync",
                    seq, database, e.getClass().getSimpleName());
            return ChangeEvent.resync(ChangeOrigin.REMOTE);
        }
    }

    /**
     * The largest seq in the log (0 when empty). The table's AUTO_INCREMENT counter is not used: MariaDB may cache
     * it per table, and after pruning an empty log the next row still gets a larger seq than any read.
     */
    private long newestSeq() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM change_log")) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the change watcher's connection to {} failed", database, e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (thread == null) {
            closeConnection();
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
