package io.configstore.jdbc;

import io.configstore.engine.RowStorage;
import io.configstore.engine.StoreRows;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.util.function.Function;

/**
 * The {@link RowStorage} of a SQL database: {@link Transactions}' rules (thread-bound units, savepoints, changes
 * published after the outermost commit, error translation) over {@link SqlRows} on the connection each call lends.
 */
final class SqlRowStorage implements RowStorage {
    private final Transactions transactions;
    private final SqlDialect dialect;

    SqlRowStorage(Transactions transactions, SqlDialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    @Override
    public <R> R read(String action, Function<StoreRows, R> work) {
        return transactions.read(action, onRows(work));
    }

    @Override
    public <R> R write(String action, Function<StoreRows, R> work) {
        return transactions.write(action, onRows(work));
    }

    /** {@inheritDoc} Here: autocommitted where the dialect allows it (PostgreSQL: one round trip instead of three). */
    @Override
    public <R> R writeOneRow(String action, Function<StoreRows, R> work) {
        return transactions.writeOneStatement(action, onRows(work));
    }

    @Override
    public <T, X extends Exception> T unitOfWork(TenantStores stores, UnitOfWork<T, X> work) throws X {
        return transactions.unit(() -> work.run(stores));
    }

    /** {@code work} on the rows of the lent connection; the driver's failures go back to {@link Transactions}. */
    private <R> SqlWork<R> onRows(Function<StoreRows, R> work) {
        return connection -> {
            try {
                return work.apply(new SqlRows(connection, dialect, transactions));
            } catch (SqlRows.Failure e) {
                throw e.getCause();
            }
        };
    }

    @Override
    public String toString() {
        return "SqlRowStorage[" + dialect.describeDatabase() + "]";
    }
}
