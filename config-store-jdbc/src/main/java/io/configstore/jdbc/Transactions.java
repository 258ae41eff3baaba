package io.configstore.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.configstore.change.ChangeEvent;
import io.configstore.engine.ChangeDispatcher;
import io.configstore.error.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs SQL work in transactions for one store set. A unit of work binds its connection to the running thread; any
 * work on that thread joins it, each piece inside its own savepoint, so that a failed store call inside a unit undoes
 * only its own writes (and, on PostgreSQL, leaves the transaction usable).
 *
 * <p>Outside a unit, writes run in a transaction of their own, begun with the dialect's write begin, and reads run on
 * a connection at rest (one statement is one consistent snapshot). A connection never returns to the pool inside a
 * transaction: whatever is still open is rolled back in {@code finally}.
 *
 * <p>Stores {@linkplain #recordChange record} what they change as they go; the changes of a savepoint that rolls back
 * are dropped with it, and the rest are published to subscribers only after the outermost commit.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final SqlErrorTranslator errors;
    private final AtomicBoolean closed;
    private final ChangeDispatcher changes;
    private final ThreadLocal<Unit> current = new ThreadLocal<>();
    private final ReentrantLock commitOrder = new ReentrantLock();

    /** The connection of a running transaction, owned by one thread, and the changes it made so far. */
    private static final class Unit {
        final Connection connection;
        final List<ChangeEvent> changes = new ArrayList<>();
        int savepoints;
        /** Set when a savepoint could not be rolled back: the unit must not commit. */
        boolean rollbackOnly;

        Unit(Connection connection) {
            this.connection = connection;
        }
    }

    /** A body run inside a transaction or savepoint that may throw a checked exception of its own. */
    @FunctionalInterface
    interface Body<T, X extends Exception> {
        T run() throws X;
    }

    Transactions(DataSource dataSource, SqlDialect dialect, SqlErrorTranslator errors, AtomicBoolean closed,
                 ChangeDispatcher changes) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.errors = errors;
        this.closed = closed;
        this.changes = changes;
    }

    /** Records a change made by the running transaction; published to subscribers once it commits. */
    void recordChange(ChangeEvent event) {
        Unit unit = current.get();
        if (unit == null) {
            throw new IllegalStateException("a change was recorded outside a transaction");
        }
        unit.changes.add(event);
    }

    /** Whether the calling thread is inside a unit of work. */
    boolean inUnit() {
        return current.get() != null;
    }

    /** Runs read-only work: on the unit's connection when inside one, else on a pooled connection at rest. */
    <T> T read(String action, SqlWork<T> work) {
        checkOpen();
        Unit unit = current.get();
        try {
            if (unit != null) {
                return work.run(unit.connection);
            }
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    /** Runs work that writes: in a savepoint of the unit when inside one, else in a transaction of its own. */
    <T> T write(String action, SqlWork<T> work) {
        checkOpen();
        Unit unit = current.get();
        if (unit != null) {
            try {
                return inSavepoint(unit, action, () -> work.run(unit.connection));
            } catch (SQLException e) {
                throw failure(action, e);
            }
        }
        return transaction(action, work::run);
    }

    /**
     * Runs a write of one statement that checks nothing first and records no change: as {@link #write} does, except
     * that outside a unit it is one autocommitted statement where the dialect {@linkplain
     * SqlDialect#autocommitsSingleWrites allows it}.
     */
    <T> T writeOneStatement(String action, SqlWork<T> work) {
        if (current.get() == null && dialect.autocommitsSingleWrites()) {
            return read(action, work);
        }
        return write(action, work);
    }

    /**
     * Runs a unit of work: a transaction bound to this thread, or a savepoint when the thread is already in one.
     * Commits when {@code body} returns, rolls back when it throws and rethrows what it threw.
     */
    <T, X extends Exception> T unit(Body<T, X> body) throws X {
        checkOpen();
        Unit outer = current.get();
        if (outer != null) {
            return inSavepoint(outer, "a nested unit of work", body);
        }
        return transaction("a unit of work", connection -> body.run());
    }

    /** A body that runs on the connection of a new transaction. */
    @FunctionalInterface
    private interface TransactionBody<T, X extends Exception> {
        T run(Connection connection) throws X, SQLException;
    }

    /**
     * Begins a write transaction bound to this thread, so that everything the body does on this thread joins it;
     * commits when the body returns and publishes its changes, rolls back when it throws.
     */
    private <T, X extends Exception> T transaction(String action, TransactionBody<T, X> body) throws X {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw failure("starting " + action, e);
        }
        try {
            try {
                dialect.beginWrite(connection);
            } catch (SQLException e) {
                throw failure("starting " + action, e);
            }
            Unit unit = new Unit(connection);
            current.set(unit);
            boolean open = true;
            try {
                T result;
                try {
                    result = body.run(connection);
                } catch (SQLException e) {
                    throw failure(action, e);
                }
                if (!unit.changes.isEmpty()) {
                    try {
                        dialect.beforeCommit(connection, unit.changes);
                    } catch (SQLException e) {
                        throw failure("recording the changes of " + action, e);
                    }
                }
                if (unit.rollbackOnly) {
                    throw new StorageException("part of " + action + " on " + dialect.describeDatabase() + " could"
                            + " not be undone after it failed, so the whole unit was rolled back and nothing was"
                            + " written; check the database's health and run it again");
                }
                // Commit and publish under one lock, so that listeners get this set's changes in commit order.
                commitOrder.lock();
                try {
                    try {
                        dialect.commit(connection);
                    } catch (SQLException e) {
                        throw commitFailure(action, e);
                    }
                    open = false;
                    changes.publish(unit.changes);
                } finally {
                    commitOrder.unlock();
                }
                return result;
            } finally {
                current.remove();
                if (open) {
                    rollbackQuietly(connection);
                }
            }
        } finally {
            closeQuietly(connection);
        }
    }

    /** The translated {@code error}; a lost connection also tells the pool, whose next borrow checks first. */
    private RuntimeException failure(String action, SQLException error) {
        noteLostConnection(error);
        return errors.translate(action, error);
    }

    private RuntimeException commitFailure(String action, SQLException error) {
        noteLostConnection(error);
        return errors.translateCommit(action, error);
    }

    private void noteLostConnection(SQLException error) {
        if (dataSource instanceof ConnectionPool pool) {
            pool.noteFailure(error);
        }
    }

    private <T, X extends Exception> T inSavepoint(Unit unit, String action, Body<T, X> body) throws X {
        String savepoint = "configstore_" + (++unit.savepoints);
        try {
            execute(unit.connection, "SAVEPOINT " + savepoint);
        } catch (SQLException e) {
            throw failure(action, e);
        }
        boolean released = false;
        int changesBefore = unit.changes.size();
        try {
            T result = body.run();
            try {
                execute(unit.connection, "RELEASE SAVEPOINT " + savepoint);
            } catch (SQLException e) {
                throw failure(action, e);
            }
            released = true;
            return result;
        } finally {
            if (!released) {
                unit.changes.subList(changesBefore, unit.changes.size()).clear();
                try {
                    execute(unit.connection, "ROLLBACK TO SAVEPOINT " + savepoint);
                    execute(unit.connection, "RELEASE SAVEPOINT " + savepoint);
                } catch (SQLException e) {
                    // The unit's state is unknown now: it must not commit, even if the caller catches and goes on.
                    unit.rollbackOnly = true;
                    LOG.warn("rolling back to savepoint {} failed on {}; the unit of work will roll back",
                            savepoint, dialect.describeDatabase(), e);
                }
            }
        }
    }

    /**
     * Runs a savepoint statement, prepared rather than plain so that a dialect whose connections cache prepared
     * statements (SQLite's pool) reuses it: the names repeat from one unit of work to the next.
     */
    static void execute(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    private void rollbackQuietly(Connection connection) {
        try {
            dialect.rollback(connection);
        } catch (SQLException e) {
            // A connection whose transaction may still be open must never go back to the pool: on SQLite it would
            // keep holding the write lock (the pool sees autocommit and has nothing to roll back). Closing the
            // physical connection ends the transaction.
            LOG.warn("rollback failed on {}; closing that connection instead of returning it to the pool",
                    dialect.describeDatabase(), e);
            evict(connection);
        }
    }

    private void evict(Connection connection) {
        if (dataSource instanceof ConnectionPool pool) {
            pool.evict(connection);
            return;
        }
        if (dataSource instanceof HikariDataSource pool) {
            pool.evictConnection(connection);
            return;
        }
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("closing a connection after a failed rollback failed too on {}", dialect.describeDatabase(), e);
        }
    }

    private void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("returning a connection to the pool failed on {}", dialect.describeDatabase(), e);
        }
    }

    void checkOpen() {
        if (closed.get()) {
            throw new StorageException("this store set is closed; open a new one to keep reading and writing");
        }
    }
}
