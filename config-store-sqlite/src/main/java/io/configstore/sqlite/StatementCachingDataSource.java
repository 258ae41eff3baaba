package io.configstore.sqlite;

import io.configstore.jdbc.DelegatingDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The physical connections the pool opens, each keeping its prepared statements for reuse. sqlite-jdbc has no
 * statement cache and HikariCP deliberately leaves statement caching to drivers, so without this every store call
 * would pay {@code sqlite3_prepare} (parsing and planning) for every statement it runs.
 *
 * <p>{@code prepareStatement(String)} on a connection of this source returns the connection's cached statement for
 * that SQL; closing it does not finalize it but resets it: its open result set is closed (which resets the SQLite
 * statement, so no read snapshot outlives the store call), its parameters and batch cleared. Each connection keeps at
 * most {@link #STATEMENTS_PER_CONNECTION}, the least recently used closed beyond that; closing the connection (the
 * pool retiring it, or the store set closing) closes them all. SQL asked for while its cached statement is still open
 * gets a fresh statement of its own. Schema changes by other connections or processes need nothing here: SQLite
 * re-prepares a statement by itself when the schema it was prepared against changed.
 *
 * <p>Not thread-safe, like the connection itself: a pooled connection belongs to one borrower at a time, and the
 * pool's hand-over orders one borrower's use before the next one's. Statement settings (timeouts, row limits) would
 * outlive a borrow; the stores set none.
 */
final class StatementCachingDataSource extends DelegatingDataSource {
    /** Statements kept per connection: above what the stores and the dialect use, bounded for one-off SQL. */
    static final int STATEMENTS_PER_CONNECTION = 128;

    private final DataSource physical;

    StatementCachingDataSource(DataSource physical) {
        this.physical = physical;
    }

    @Override
    protected DataSource delegate() {
        return physical;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return caching(physical.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return caching(physical.getConnection(username, password));
    }

    private static Connection caching(Connection connection) {
        CachingConnection handler = new CachingConnection(connection);
        handler.proxy = (Connection) Proxy.newProxyInstance(StatementCachingDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        return handler.proxy;
    }

    /**
     * The driver statements {@code connection} (one of this source's, or a pool's proxy of one) keeps, by SQL, least
     * recently used first. Tests use it to see what is reused.
     */
    static Map<String, PreparedStatement> keptStatements(Connection connection) throws SQLException {
        Connection caching = connection.unwrap(Connection.class);
        Map<String, PreparedStatement> kept = new LinkedHashMap<>();
        if (Proxy.isProxyClass(caching.getClass())
                && Proxy.getInvocationHandler(caching) instanceof CachingConnection handler) {
            handler.statements.forEach((sql, cached) -> kept.put(sql, cached.statement));
        }
        return kept;
    }

    /** Invokes a method of the wrapped object, rethrowing what it threw as itself. */
    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One physical connection and its statements, by SQL, least recently used first. */
    private static final class CachingConnection implements InvocationHandler {
        private final Connection connection;
        private final Map<String, CachedStatement> statements = new LinkedHashMap<>(32, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CachedStatement> eldest) {
                if (size() <= STATEMENTS_PER_CONNECTION) {
                    return false;
                }
                eldest.getValue().evict();
                return true;
            }
        };
        Connection proxy;

        CachingConnection(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "prepareStatement":
                    if (args.length == 1) {
                        return prepare((String) args[0]);
                    }
                    break;
                case "close":
                    closeStatements();
                    break;
                case "equals":
                    return self == args[0];
                case "hashCode":
                    return System.identityHashCode(self);
                case "toString":
                    return "caching statements of " + connection;
                default:
                    break;
            }
            return forward(connection, method, args);
        }

        private PreparedStatement prepare(String sql) throws SQLException {
            CachedStatement cached = statements.get(sql);
            if (cached == null) {
                cached = new CachedStatement(this, sql, connection.prepareStatement(sql));
                statements.put(sql, cached);
            } else if (cached.inUse) {
                // Still open (a nested use of the same SQL): running it again would reset the open one's rows.
                return connection.prepareStatement(sql);
            }
            cached.inUse = true;
            return cached.proxy;
        }

        void forget(CachedStatement cached) {
            statements.remove(cached.sql, cached);
        }

        private void closeStatements() {
            List<CachedStatement> all = new ArrayList<>(statements.values());
            statements.clear();
            for (CachedStatement cached : all) {
                cached.evict();
            }
        }
    }

    /** A statement kept by its connection; closing it resets it for the next use, unless it was evicted. */
    private static final class CachedStatement implements InvocationHandler {
        private final CachingConnection owner;
        private final String sql;
        private final PreparedStatement statement;
        final PreparedStatement proxy;
        /** Lent out: prepared by a caller and not closed yet. */
        boolean inUse;
        /** No longer in the cache: closing it finalizes it. */
        private boolean evicted;
        /** The result set of the latest query, closed when the statement is. */
        private ResultSet results;
        /** Whether {@code execute()} left rows that nobody asked for (the SQLite statement is still running). */
        private boolean unreadRows;

        CachedStatement(CachingConnection owner, String sql, PreparedStatement statement) {
            this.owner = owner;
            this.sql = sql;
            this.statement = statement;
            this.proxy = (PreparedStatement) Proxy.newProxyInstance(
                    StatementCachingDataSource.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, this);
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close":
                    release();
                    return null;
                case "isClosed":
                    return !inUse || statement.isClosed();
                case "getConnection":
                    return owner.proxy;
                case "equals":
                    return self == args[0];
                case "hashCode":
                    return System.identityHashCode(self);
                case "toString":
                    return statement.toString();
                default:
                    break;
            }
            if (!inUse) {
                throw new SQLException("this statement is closed");
            }
            Object result = forward(statement, method, args);
            if (result instanceof ResultSet rows) {
                results = rows;
            } else if (method.getName().equals("execute")) {
                unreadRows = Boolean.TRUE.equals(result);
            }
            return result;
        }

        /** Ends a use: resets the statement for the next one, or closes it when it left the cache or cannot reset. */
        private void release() throws SQLException {
            if (!inUse) {
                return;
            }
            inUse = false;
            if (evicted) {
                statement.close();
                return;
            }
            try {
                if (results == null && unreadRows) {
                    results = statement.getResultSet();
                }
                unreadRows = false;
                if (results != null) {
                    results.close();
                    results = null;
                }
                statement.clearParameters();
                statement.clearBatch();
            } catch (SQLException | RuntimeException e) {
                owner.forget(this);
                evicted = true;
                statement.close();
                throw e;
            }
        }

        /** Leaves the cache: closed now when not in use, else when its user closes it. */
        void evict() {
            evicted = true;
            if (!inUse) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    // Closing the connection finalizes whatever statement is left.
                }
            }
        }
    }
}
