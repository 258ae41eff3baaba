package io.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeDispatcher;
import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
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
    void theChangesOfACommittingTransactionAreHandedToTheDialectBeforeCommitAndARollbackHandsNothing() {
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
    void aCommitThatLostItsConnectionReportsAnUnknownOutcomeAndIsNotRetried() {
        Transactions transactions = transactions(dialect(true, new ArrayList<>()));
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> transactions.write("saving config document 'app'", connection -> {
            runs.incrementAndGet();
            return null;
        })).isInstanceOf(StorageException.class)
                .hasMessageContaining("committing saving config document 'app' failed")
                .hasMessageContaining("whether it took effect is unknown")
                .hasMessageContaining("do not retry blindly");
        assertThat(runs).hasValue(1);
    }
}
