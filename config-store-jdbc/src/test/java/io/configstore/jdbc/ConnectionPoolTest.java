package io.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import io.configstore.error.StoreUnavailableException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * The pool both SQL backends start, on real SQLite files: it starts without HikariCP's initial check, and after a
 * lost connection its next borrow opens a connection of its own first, while load (every connection busy) is no loss.
 */
class ConnectionPoolTest {
    @TempDir
    Path dir;

    /** The test dialect, classifying a lost connection as the SQLite backend does. */
    private SqlDialect dialect() {
        TestSqliteDialect real = new TestSqliteDialect(dir.resolve("t.db"), List.of());
        return (SqlDialect) Proxy.newProxyInstance(SqlDialect.class.getClassLoader(), new Class<?>[] {SqlDialect.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("classify") && (args[0] instanceof SQLTransientConnectionException
                            || args[0] instanceof SQLiteException e && (e.getResultCode().code & 0xff) == 14)) {
                        // As the SQLite backend's dialect: a pool timeout after failed attempts, and CANTOPEN.
                        return SqlErrorKind.CONNECTION_LOST;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static HikariConfig config(int size) {
        HikariConfig config = new HikariConfig();
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(250);
        return config;
    }

    private static SQLiteDataSource sqlite(Path file) {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        return source;
    }

    @Test
    void a_database_that_cannot_be_opened_fails_open_on_the_direct_connection_and_the_pool_never_tries() {
        SqlDialect dialect = dialect();
        Path missing = dir.resolve("no-such-directory").resolve("t.db");
        AtomicInteger pooledAttempts = new AtomicInteger();
        SQLiteDataSource pooled = new SQLiteDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                pooledAttempts.incrementAndGet();
                return super.getConnection();
            }
        };
        pooled.setUrl("jdbc:sqlite:" + missing);

        assertThatThrownBy(() -> ConnectionPool.open(config(1), pooled::getConnection, sqlite(missing)::getConnection,
                dialect, new SqlErrorTranslator(dialect), "opening the connection pool"))
                .hasMessageStartingWith("opening the connection pool failed");
        assertThat(pooledAttempts).hasValue(0);
    }

    @Test
    void the_pool_starts_without_hikaris_initial_check_and_with_no_idle_minimum() throws SQLException {
        SqlDialect dialect = dialect();
        Path file = dir.resolve("t.db");
        try (ConnectionPool pool = ConnectionPool.open(config(2), sqlite(file)::getConnection,
                sqlite(file)::getConnection, dialect, new SqlErrorTranslator(dialect), "opening")) {
            assertThat(pool.hikari().getInitializationFailTimeout()).isEqualTo(-1);
            assertThat(pool.hikari().getMinimumIdle()).isZero();
            assertThat(pool.hikari().getHikariPoolMXBean().getTotalConnections()).isZero();
        }
    }

    @Test
    void after_a_lost_connection_the_next_borrow_opens_a_direct_connection_first_and_only_that_one() throws SQLException {
        SqlDialect dialect = dialect();
        Path file = dir.resolve("t.db");
        AtomicInteger direct = new AtomicInteger();
        try (ConnectionPool pool = ConnectionPool.open(config(2), sqlite(file)::getConnection, () -> {
            direct.incrementAndGet();
            return sqlite(file).getConnection();
        }, dialect, new SqlErrorTranslator(dialect), "opening")) {
            assertThat(direct).hasValue(1);
            pool.getConnection().close();
            assertThat(direct).hasValue(1);

            pool.noteFailure(new SQLTransientConnectionException("timed out", null,
                    new SQLException("the connection attempt failed", "08001")));
            assertThat(pool.checksFirst()).isTrue();
            pool.getConnection().close();
            assertThat(direct).hasValue(2);
            assertThat(pool.checksFirst()).isFalse();
            pool.getConnection().close();
            assertThat(direct).hasValue(2);
        }
    }

    @Test
    void a_borrow_that_times_out_with_every_connection_busy_is_load_not_a_lost_connection() throws SQLException {
        SqlDialect dialect = dialect();
        Path file = dir.resolve("t.db");
        try (ConnectionPool pool = ConnectionPool.open(config(1), sqlite(file)::getConnection,
                sqlite(file)::getConnection, dialect, new SqlErrorTranslator(dialect), "opening");
             Connection held = pool.getConnection()) {
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            assertThat(pool.checksFirst()).isFalse();
            assertThat(held.isValid(1)).isTrue();
        }
    }

    @Test
    void a_direct_check_that_fails_keeps_checking_and_never_waits_on_the_pool() throws SQLException {
        SqlDialect dialect = dialect();
        Path file = dir.resolve("t.db");
        AtomicInteger direct = new AtomicInteger();
        Path missing = dir.resolve("gone").resolve("t.db");
        try (ConnectionPool pool = ConnectionPool.open(config(1), sqlite(file)::getConnection, () -> {
            // The first call (at open) reaches the file; later ones play a database that went away.
            return sqlite(direct.getAndIncrement() == 0 ? file : missing).getConnection();
        }, dialect, new SqlErrorTranslator(dialect), "opening")) {
            pool.noteFailure(new SQLTransientConnectionException("timed out", null, new SQLException("refused")));

            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class)
                    .isNotInstanceOf(SQLTransientConnectionException.class);
            assertThat(pool.checksFirst()).isTrue();
            assertThat(pool.hikari().getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
        }
    }

    @Test
    void while_a_caller_waits_the_source_retries_a_failed_attempt_itself_so_hikaris_creator_backoff_never_grows() throws Exception {
        SqlDialect dialect = dialect();
        Path file = dir.resolve("t.db");
        Path missing = dir.resolve("gone").resolve("t.db");
        AtomicBoolean away = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        try (ConnectionPool pool = ConnectionPool.open(config(1), () -> {
            attempts.incrementAndGet();
            return sqlite(away.get() ? missing : file).getConnection();
        }, sqlite(file)::getConnection, dialect, new SqlErrorTranslator(dialect), "opening")) {
            away.set(true);
            // Straight to HikariCP: a caller waits its connection timeout (250 ms) while every attempt fails.
            assertThatThrownBy(() -> pool.hikari().getConnection()).isInstanceOf(SQLTransientConnectionException.class);

            // HikariCP alone would have made about five attempts, each failure doubling its creator's sleep.
            assertThat(attempts.get()).isGreaterThan(1);
            assertThat(pool.failuresHandedToPool()).isLessThanOrEqualTo(1);
            assertThat(pool.checksFirst()).isTrue();
        }
    }

    @Test
    void an_unreachable_database_at_open_is_unavailable() {
        SqlDialect dialect = dialect();
        assertThatThrownBy(() -> ConnectionPool.open(config(1), sqlite(dir.resolve("t.db"))::getConnection, () -> {
            throw new SQLTransientConnectionException("refused", null, new SQLException("refused", "08001"));
        }, dialect, new SqlErrorTranslator(dialect), "opening the connection pool"))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("unreachable");
    }
}
