package io.configstore.jdbc;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.SecretCipher;
import io.configstore.engine.ChangeDispatcher;
import io.configstore.engine.Engine;
import io.configstore.engine.KeyChecks;
import io.configstore.error.StorageException;
import io.configstore.internal.Arguments;
import io.configstore.migration.SchemaMigrator;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.SecretMaintenance;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A {@link StoreSet} over any SQL database a {@link SqlDialect} describes. A backend opens its pool, migrates the
 * schema, and hands the pool here; everything above the dialect (stores, units of work, error translation) is shared.
 *
 * <p>Each store method is one transaction. A unit of work binds a connection to the thread that runs it, and every
 * call that thread makes on this set joins it; a nested unit is a savepoint. Thread-safe.
 */
public final class JdbcStoreSet implements StoreSet {
    private final AutoCloseable pool;
    private final SqlDialect dialect;
    private final SchemaMigrator schema;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ChangeDispatcher changes;
    private final ChangeWatcher watcher;
    private final Transactions transactions;
    private final JdbcSecretMaintenance secrets;
    private final Engine engine;

    /**
     * A store set over an open, migrated database, with a cipher the host built.
     *
     * @see #JdbcStoreSet(DataSource, AutoCloseable, SqlDialect, CipherSource, Clock, SchemaMigrator)
     */
    public JdbcStoreSet(DataSource dataSource, AutoCloseable pool, SqlDialect dialect, SecretCipher cipher,
                        Clock clock, SchemaMigrator schema) {
        this(dataSource, pool, dialect, CipherSource.of(cipher), clock, schema);
    }

    /**
     * A store set over an open, migrated database. Resolves the cipher against the store's metadata and checks that
     * its master keys are the ones the store was written with ({@link KeyChecks}); when that fails, the caller still
     * owns {@code pool} and must close it.
     *
     * @param dataSource hands out connections at rest (for SQLite: in autocommit, with the per-connection pragmas)
     * @param pool closed by {@link #close()}: the pool behind {@code dataSource}
     * @param dialect what differs for this database
     * @param cipherSource gives the cipher that encrypts API keys before they reach the database
     * @param clock gives every timestamp the stores write
     * @param schema the migrator of this database, returned by {@link #schema()}
     * @throws io.configstore.error.CryptoException when a configured master key is not the store's
     */
    public JdbcStoreSet(DataSource dataSource, AutoCloseable pool, SqlDialect dialect, CipherSource cipherSource,
                        Clock clock, SchemaMigrator schema) {
        this(dataSource, pool, dialect, cipherSource, clock, schema, ChangeWatcher.none());
    }

    /**
     * A store set over an open, migrated database whose subscribers also learn of the changes {@code watcher}
     * notices (made by other store sets on the same database). The watcher is started now and closed with the set.
     *
     * @param dataSource hands out connections at rest (for SQLite: in autocommit, with the per-connection pragmas)
     * @param pool closed by {@link #close()}: the pool behind {@code dataSource}
     * @param dialect what differs for this database
     * @param cipherSource gives the cipher that encrypts API keys before they reach the database
     * @param clock gives every timestamp the stores write
     * @param schema the migrator of this database, returned by {@link #schema()}
     * @param watcher notices other store sets' changes; started here, closed by {@link #close()}
     * @throws io.configstore.error.CryptoException when a configured master key is not the store's
     */
    public JdbcStoreSet(DataSource dataSource, AutoCloseable pool, SqlDialect dialect, CipherSource cipherSource,
                        Clock clock, SchemaMigrator schema, ChangeWatcher watcher) {
        Arguments.requireNonNull("dataSource", dataSource);
        this.pool = Arguments.requireNonNull("pool", pool);
        this.dialect = Arguments.requireNonNull("dialect", dialect);
        Arguments.requireNonNull("cipherSource", cipherSource);
        Arguments.requireNonNull("clock", clock);
        this.schema = Arguments.requireNonNull("schema", schema);
        this.changes = new ChangeDispatcher(dialect.describeDatabase());
        this.transactions = new Transactions(dataSource, dialect, new SqlErrorTranslator(dialect, clock), closed,
                changes);
        JdbcStoreMetadata metadata = new JdbcStoreMetadata(transactions, dialect, clock);
        SecretCipher cipher = Arguments.requireNonNull("the cipher from the cipher source",
                cipherSource.open(metadata));
        KeyChecks.verifyOrRecord(cipher, metadata, this::oneSecretStoredUnder);
        this.secrets = new JdbcSecretMaintenance(transactions, cipher, metadata);
        this.engine = new Engine(new SqlRowStorage(transactions, dialect), cipher, clock);
        this.watcher = Arguments.requireNonNull("watcher", watcher);
        watcher.start(changes::publish);
    }

    @Override
    public <T, X extends Exception> T inUnitOfWork(UnitOfWork<T, X> work) throws X {
        return engine.inUnitOfWork(work);
    }

    @Override
    public Subscription subscribe(ChangeListener listener) {
        transactions.checkOpen();
        return changes.subscribe(listener);
    }

    /**
     * Publishes changes this backend noticed that were made elsewhere (another process or machine), for a dialect's
     * own change detection to call.
     */
    public void publishRemoteChanges(List<ChangeEvent> events) {
        changes.publish(events);
    }

    /** One stored secret written under {@code keyId}, for the key check at open. */
    private Optional<String> oneSecretStoredUnder(String keyId) {
        return transactions.read("reading a secret written with master key '" + keyId + "'", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT ciphertext FROM api_keys WHERE encryption_key_id = ? LIMIT 1")) {
                select.setString(1, keyId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<String> tenantIds() {
        return engine.tenantIds();
    }

    @Override
    public SecretMaintenance secrets() {
        transactions.checkOpen();
        return secrets;
    }

    @Override
    public SchemaMigrator schema() {
        transactions.checkOpen();
        return schema;
    }

    @Override
    public String tenantId() {
        return DEFAULT_TENANT;
    }

    @Override
    public ProviderConfigStore providers() {
        return engine.defaultTenant().providers();
    }

    @Override
    public ApiKeyStore apiKeys() {
        return engine.defaultTenant().apiKeys();
    }

    @Override
    public ConfigStore documents() {
        return engine.defaultTenant().documents();
    }

    @Override
    public io.configstore.history.ChangeHistory history() {
        transactions.checkOpen();
        return engine.defaultTenant().history();
    }

    @Override
    public io.configstore.history.PruneReport pruneHistory(io.configstore.history.RetentionPolicy policy) {
        return engine.pruneHistory(policy);
    }

    @Override
    public TenantStores forTenant(String tenantId) {
        return engine.tenant(tenantId);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                watcher.close();
            } finally {
                changes.close();
            }
            try {
                pool.close();
            } catch (Exception e) {
                throw new StorageException("closing the connection pool of " + dialect.describeDatabase()
                        + " failed; the process may still hold the database open until it exits", e);
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcStoreSet[" + dialect.describeDatabase() + (closed.get() ? ", closed" : "") + "]";
    }
}
