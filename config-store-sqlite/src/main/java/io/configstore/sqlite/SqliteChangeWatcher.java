package io.configstore.sqlite;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.error.ConfigStoreException;
import io.configstore.error.StorageException;
import io.configstore.jdbc.ChangeWatcher;
import io.configstore.jdbc.SqlErrorTranslator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a SQLite store set's subscribers of the changes other store sets (other processes) commit to the same file.
 * On one dedicated connection outside the pool, a daemon thread polls {@code PRAGMA data_version}, which changes
 * whenever another connection commits, and then reads the {@code change_log} rows after the last one it saw. Rows
 * written by this store set (its instance id) are skipped: the set already told them as LOCAL.
 *
 * <p>Writers append to the log under the write lock, so seq order is commit order and a row never appears behind one
 * already read. Committed seqs are consecutive (AUTOINCREMENT's counter rolls back with a failed transaction), so a
 * gap means rows were pruned before this watcher read them: it then sends {@link ChangeKind#RESYNC}. So does a log
 * that ends before the last seq read, which happens when {@link SqliteBackup#restore} brings back an older file.
 */
final class SqliteChangeWatcher implements ChangeWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteChangeWatcher.class);
    private static final int BATCH = 1_000;

    private final Callable<Connection> connect;
    private final String instanceId;
    private final Duration pollInterval;
    private final String database;
    private final Object wakeUp = new Object();
    private Connection connection;
    private long lastSeq;
    private long dataVersion;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * Opens the watcher's connection and notes where the log ends now, so that changes committed from this moment on
     * are told, before the store set is handed out.
     *
     * @throws ConfigStoreException when the log cannot be read
     */
    SqliteChangeWatcher(Callable<Connection> connect, String instanceId, Duration pollInterval, SqliteDialect dialect) {
        this.connect = connect;
        this.instanceId = instanceId;
        this.pollInterval = pollInterval;
        this.database = dialect.describeDatabase();
        try {
            connection = connect.call();
            dataVersion = dataVersion();
            lastSeq = newestSeq();
        } catch (SQLException e) {
            closeConnection();
            throw new SqlErrorTranslator(dialect).translate("opening the change watcher", e);
        } catch (Exception e) {
            closeConnection();
            throw new StorageException("opening the change watcher of " + database
                    + " failed; check that the file is readable by this process", e);
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
                    connection = connect.call();
                    dataVersion = -1;
                }
                long version = dataVersion();
                if (version != dataVersion) {
                    dataVersion = version;
                    readNewRows(publish);
                }
            } catch (Exception e) {
                // Transient (a busy file, a moved file): try again with a new connection at the next poll.
                LOG.warn("watching {} for other processes' changes failed; retrying", database, e);
                closeConnection();
            }
        }
    }

    /**
     * Publishes the rows after {@code lastSeq}, a batch at a time. {@code lastSeq} moves only once a batch is
     * published: when reading fails half-way, nothing of the batch was told and the next poll reads it again.
     */
    private void readNewRows(Consumer<List<ChangeEvent>> publish) throws SQLException {
        long newest = newestSeq();
        if (newest < lastSeq) {
            // A restore brought back an older file, log and counter included: the next writes reuse seqs already
            // read, which "seq > lastSeq" would skip. Whatever this watcher told since is undone too, so reload.
            LOG.info("the change log of {} went back from seq {} to {} (restored from a backup?); telling"
                    + " subscribers to resync", database, lastSeq, newest);
            publish.accept(List.of(ChangeEvent.resync(ChangeOrigin.REMOTE)));
            lastSeq = newest;
            return;
        }
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
                        long seq = row.getLong("seq");
                        if (seq != readUpTo + 1) {
                            events.add(ChangeEvent.resync(ChangeOrigin.REMOTE));
                        }
                        readUpTo = seq;
                        if (!instanceId.equals(row.getString("origin"))) {
                            events.add(remoteEvent(row, seq));
                        }
                    }
                }
            }
            publish.accept(events);
            lastSeq = readUpTo;
            if (rows < BATCH) {
                return;
            }
        }
    }

    /**
     * The event of one log row, or RESYNC when the row cannot be read as one (an entity kind added by a newer
     * version, a damaged row): stopping there would hold back every later change, so the subscribers reload instead.
     */
    private ChangeEvent remoteEvent(ResultSet row, long seq) throws SQLException {
        try {
            return new ChangeEvent(ChangeKind.valueOf(row.getString("kind")),
                    EntityKind.valueOf(row.getString("entity")), row.getString("tenant_id"),
                    row.getString("entity_key"), row.getLong("version"), ChangeOrigin.REMOTE);
        } catch (RuntimeException e) {
            LOG.warn("change_log row {} of {} is not a change this version knows (kind, entity, tenant, key and"
                    + " version expected; {}); telling subscribers to resync", seq, database,
                    e.getClass().getSimpleName());
            return ChangeEvent.resync(ChangeOrigin.REMOTE);
        }
    }

    /** The largest seq ever given, even when pruning emptied the log: the next row gets the next one. */
    private long newestSeq() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM (SELECT seq FROM"
                     + " sqlite_sequence WHERE name = 'change_log' UNION ALL SELECT MAX(seq) FROM change_log)")) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

        private long dataVersion() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA data_version")) {
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
