package io.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.engine.ChangeDispatcher;
import io.configstore.error.StorageException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction runner's dialect hooks: changes handed over before commit, and a commit that lost its connection. */
class TransactionsTest {
    private static final ChangeEvent CHANGE = ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1,
            ChangeOrigin.LOCAL);

    @TempDir
    Path dir;

    /** The test dialect with {@code commit} failing as a dropped connection would, and beforeCommit recorded. */
    private SqlDialect dialect(boolean commitLosesConnection, List<List<ChangeEvent>> handedOver) {
        TestSqliteDialect real = new TestSqliteDialect(dir.resolve("t.db"), List.of());
        return (SqlDialect) Proxy.newProxyInstance(SqlDialect.class.getClassLoader(), new Class<?>[] {SqlDialect.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "commit" -> {
                            if (commitLosesConnection) {
                                real.rollback((java.sql.Connection) args[0]);
                                throw new SQLException("An I/O error occurred while sending to the backend", "08006");
                            }
                        }
                        case "classify" -> {
                            if ("08006".equals(((SQLException) args[0]).getSQLState())) {
                                return SqlErrorKind.CONNECTION_LOST;
                            }
                        }
                        case "beforeCommit" -> {
                            @SuppressWarnings("unchecked")
                            List<ChangeEvent> changes = (List<ChangeEvent>) args[1];
                            handedOver.add(List.copyOf(changes));
                            return null;
                        }
                        default -> {
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Transactions transactions(SqlDialect dialect) {
        TestSqliteDialect real = new TestSqliteDialect(dir.resolve("t.db"), List.of());
        return new Transactions(real.dataSource(), dialect, new SqlErrorTranslator(dialect), new AtomicBoolean(),
                new ChangeDispatcher("test"));
    }

    @Test
    void the_changes_of_a_committing_transaction_are_handed_to_the_dialect_before_commit_and_a_rollback_hands_nothing() {
        List<List<ChangeEvent>> handedOver = new ArrayList<>();
        Transactions transactions = transactions(dialect(false, handedOver));

        transactions.write("writing", connection -> {
            transactions.recordChange(CHANGE);
            return null;
        });
        assertThatThrownBy(() -> transactions.write("failing", connection -> {
            transactions.recordChange(CHANGE);
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        transactions.write("writing nothing", connection -> null);

        assertThat(handedOver).containsExactly(List.of(CHANGE));
    }

    @Test
    void a_commit_that_lost_its_connection_reports_an_unknown_outcome_and_is_not_retried() {
        Transactions transactions = transactions(dialect(true, new ArrayList<>()));
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> transactions.write("saving config document 'app'", connection -> {
            runs.incrementAndGet();
            return null;
        })).isInstanceOf(io.configstore.error.StoreUnavailableException.class)
                .hasMessageContaining("committing saving config document 'app' failed")
                .hasMessageContaining("whether it took effect is unknown")
                .hasMessageContaining("do not retry blindly");
        assertThat(runs).hasValue(1);
    }

    private static long count(java.sql.Connection connection, String table) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void a_connection_whose_rollback_failed_is_closed_instead_of_going_back_to_the_pool_holding_the_write_lock() throws Exception {
        TestSqliteDialect real = new TestSqliteDialect(dir.resolve("t.db"), List.of());
        AtomicBoolean rollbackFails = new AtomicBoolean(true);
        SqlDialect dialect = (SqlDialect) Proxy.newProxyInstance(SqlDialect.class.getClassLoader(),
                new Class<?>[] {SqlDialect.class}, (proxy, method, args) -> {
                    if (method.getName().equals("rollback") && rollbackFails.get()) {
                        throw new SQLException("disk I/O error during rollback");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSource(real.dataSource());
        config.setMaximumPoolSize(1);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
            Transactions transactions = new Transactions(pool, dialect, new SqlErrorTranslator(dialect),
                    new AtomicBoolean(), new ChangeDispatcher("test"));
            transactions.write("creating", connection -> connection.createStatement()
                    .executeUpdate("CREATE TABLE t (x INTEGER)"));

            assertThatThrownBy(() -> transactions.write("failing", connection -> {
                connection.createStatement().executeUpdate("INSERT INTO t VALUES (1)");
                throw new IllegalStateException("the body fails");
            })).isInstanceOf(IllegalStateException.class);
            rollbackFails.set(false);

            // The only pooled connection was in a transaction holding the write lock; it must have been replaced.
            transactions.write("writing after", connection -> connection.createStatement()
                    .executeUpdate("INSERT INTO t VALUES (2)"));
            try (java.sql.Connection other = real.dataSource().getConnection()) {
                assertThat(count(other, "t")).isEqualTo(1);
            }
        }
    }

    @Test
    void a_savepoint_that_cannot_be_rolled_back_makes_the_whole_unit_roll_back_even_when_the_failure_is_caught() throws Exception {
        Transactions transactions = transactions(dialect(false, new ArrayList<>()));
        transactions.write("creating", connection -> connection.createStatement()
                .executeUpdate("CREATE TABLE t (x INTEGER)"));

        assertThatThrownBy(() -> transactions.unit(() -> {
            transactions.write("outer", connection -> connection.createStatement()
                    .executeUpdate("INSERT INTO t VALUES (1)"));
            try {
                transactions.write("inner", connection -> {
                    connection.createStatement().executeUpdate("INSERT INTO t VALUES (2)");
                    // Releasing the savepoint this write runs in makes its rollback impossible.
                    connection.createStatement().execute("RELEASE SAVEPOINT configstore_2");
                    throw new IllegalStateException("the inner write fails");
                });
            } catch (IllegalStateException caught) {
                // the caller catches the failure and goes on, as the Javadoc allows
            }
            return null;
        })).isInstanceOf(StorageException.class).hasMessageContaining("nothing was written");

        try (java.sql.Connection other = new TestSqliteDialect(dir.resolve("t.db"), List.of()).dataSource()
                .getConnection()) {
            assertThat(count(other, "t")).isZero();
        }
    }
}
