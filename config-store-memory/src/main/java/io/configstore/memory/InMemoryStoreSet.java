package io.configstore.memory;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.SecretCipher;
import io.configstore.engine.ChangeDispatcher;
import io.configstore.engine.Engine;
import io.configstore.engine.KeyChecks;
import io.configstore.engine.RowStorage;
import io.configstore.engine.StoreRows;
import io.configstore.engine.StoredKey;
import io.configstore.error.CryptoException;
import io.configstore.error.StorageException;
import io.configstore.history.ChangeHistory;
import io.configstore.history.PruneReport;
import io.configstore.history.RetentionPolicy;
import io.configstore.internal.Arguments;
import io.configstore.migration.SchemaMigrator;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.SecretMaintenance;
import io.configstore.store.StoreSet;
import io.configstore.store.StoreSetBuilder;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link StoreSet} kept in memory, with exactly the guarantees of the database backends: for host applications'
 * own unit tests, and proven by the whole contract kit.
 *
 * <p>The stores are the {@link Engine}'s, over the rows this class keeps (every store rule is the engine's, shared
 * with the database backends). Secrets are encrypted with the given {@link SecretCipher}, bound to their row, exactly
 * as a database backend stores them; only ciphertext is kept. Ids are random UUIDs; timestamps are truncated to
 * milliseconds.
 *
 * <p><b>Concurrency.</b> Thread-safe. Writers (single calls and units of work) take the storage's write lock and work
 * on a private copy, published on commit; readers see the last committed state without waiting and never see part
 * of a write. A unit of work holds the write lock until it ends, as {@code BEGIN IMMEDIATE} does in SQLite.
 *
 * <pre>{@code
 * SecretCipher cipher = AesGcmSecretCipher.of("test", AesGcmSecretCipher.generateKey());
 * try (StoreSet stores = InMemoryStoreSet.builder().cipher(cipher).open()) {
 *     stores.documents().update("app", doc -> doc.put("maxConnections", 20), ChangeContext.by("test"));
 * }
 * }</pre>
 */
public final class InMemoryStoreSet implements StoreSet {
    private final InMemoryStorage storage;
    private final SecretCipher cipher;
    private final Engine engine;
    /** The unit of work the current thread is running on this set, if any: same-thread calls join it. */
    private final ThreadLocal<Unit> unitOfThread = new ThreadLocal<>();
    private final ChangeDispatcher changes = new ChangeDispatcher("in-memory");
    private final InMemorySecretMaintenance secrets;
    private volatile boolean closed;

    private InMemoryStoreSet(InMemoryStorage storage, SecretCipher cipher, Clock clock) {
        this.storage = storage;
        this.cipher = cipher;
        this.engine = new Engine(new Rows(), cipher, clock);
        InMemoryStoreMetadata metadata = new InMemoryStoreMetadata(this);
        this.secrets = new InMemorySecretMaintenance(this, metadata);
        KeyChecks.verifyOrRecord(cipher, metadata, keyId -> storage.committed().keys.values().stream()
                .filter(key -> key.metadata().encryptionKeyId().equals(keyId))
                .map(StoredKey::ciphertext)
                .findFirst());
        storage.attach(this);
    }

    /**
     * A builder of in-memory store sets: a cipher (or master keys, or a cipher source) is required; the storage is a
     * new, empty one unless {@link Builder#storage} shares one.
     *
     * <pre>{@code
     * StoreSet stores = InMemoryStoreSet.builder().cipher(cipher).open();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures and opens an in-memory store set, with the options every backend's builder has
     * ({@link StoreSetBuilder}) and the storage it keeps its rows in. Not thread-safe; the store set it opens is.
     */
    public static final class Builder extends StoreSetBuilder<Builder> {
        private InMemoryStorage storage;

        private Builder() {
            super("InMemoryStoreSet");
        }

        /**
         * The storage to keep the rows in, which may be shared with other store sets (as instances sharing a database)
         * and outlives the store set (so that opening it again finds everything committed); a new, empty one by
         * default.
         */
        public Builder storage(InMemoryStorage rows) {
            this.storage = Arguments.requireNonNull("storage", rows);
            return this;
        }

        /**
         * Opens the store set. A cipher source (master keys) is resolved against what the storage keeps about itself
         * before the set opens: master keys from a password find (or, the first time, record) their key-derivation
         * parameters there, committed like every write (through the journal, for the file backend). The keys are
         * then checked against the ones the storage was written with.
         *
         * @throws io.configstore.error.ValidationException when no cipher was given, or the master keys are
         *     misconfigured
         * @throws CryptoException when no key can be had, or a key is not the one the storage was written with
         * @throws StorageException when recording the key-derivation parameters fails
         */
        @Override
        public InMemoryStoreSet open() {
            CipherSource source = requireCipherSource();
            InMemoryStorage rows = storage != null ? storage : new InMemoryStorage();
            SecretCipher cipher = source.open(new StorageMetadata(rows));
            if (cipher == null) {
                throw new CryptoException("the cipher source gave no cipher; it must return the cipher API keys are"
                        + " encrypted with");
            }
            return new InMemoryStoreSet(rows, cipher, timestamps());
        }
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
    public TenantStores forTenant(String tenantId) {
        Arguments.requireTenantId(tenantId);
        checkOpen();
        return engine.tenant(tenantId);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here the unit takes the storage's write lock for its whole run, works on a private copy of the rows (made
     * once, when it starts) and publishes the copy when {@code work} returns. A nested unit marks the copy's undo log
     * when it starts and rolls back to the mark when it throws.
     */
    /**
     * {@inheritDoc}
     *
     * <p>Here the unit takes the storage's write lock for its whole run, works on a private copy of the rows (made
     * once, when it starts) and publishes the copy when {@code work} returns. A nested unit marks the copy's undo log
     * when it starts and rolls back to the mark when it throws.
     */
    @Override
    public <T, X extends Exception> T inUnitOfWork(UnitOfWork<T, X> work) throws X {
        Arguments.requireNonNull("work", work);
        checkOpen();
        return engine.inUnitOfWork(work);
    }

    @Override
    public List<String> tenantIds() {
        checkOpen();
        return engine.tenantIds();
    }

    @Override
    public SecretMaintenance secrets() {
        checkOpen();
        return secrets;
    }

    @Override
    public Subscription subscribe(ChangeListener listener) {
        checkOpen();
        return changes.subscribe(listener);
    }

    /** Called by the storage after a commit, with what it changed. */
    void changed(List<ChangeEvent> events) {
        changes.publish(events);
    }

    @Override
    public SchemaMigrator schema() {
        checkOpen();
        return new InMemorySchema();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            storage.detach(this);
            changes.close();
        }
    }

    @Override
    public String toString() {
        return "InMemoryStoreSet[" + storage + (closed ? ", closed" : "") + "]";
    }

    /** The rows this thread sees: its unit's private copy, or the last committed state. */
    Tables read() {
        checkOpen();
        Unit unit = unitOfThread.get();
        return unit != null ? unit.tables : storage.committed();
    }

    /**
     * Applies {@code change} to the rows: to the running unit of work's private copy, or to a copy of the committed
     * rows that is committed at once. When {@code change} throws, nothing of it remains (in a unit, its writes are
     * rolled back; outside, the copy is dropped).
     */
    <R> R write(Function<Tables, R> change) {
        checkOpen();
        Unit unit = unitOfThread.get();
        if (unit != null) {
            int mark = unit.tables.mark();
            try {
                return change.apply(unit.tables);
            } catch (Throwable failure) {
                unit.tables.rollbackTo(mark);
                throw failure;
            }
        }
        storage.lockForWriting();
        try {
            Tables next = storage.committed().copy();
            R result = change.apply(next);
            checkOpen();
            storage.publish(next, this);
            return result;
        } finally {
            storage.unlock();
        }
    }

    @Override
    public ChangeHistory history() {
        return engine.defaultTenant().history();
    }

    @Override
    public PruneReport pruneHistory(RetentionPolicy policy) {
        Arguments.requireNonNull("policy", policy);
        checkOpen();
        return engine.pruneHistory(policy);
    }

    /** The cipher secrets are encrypted with. */
    SecretCipher cipher() {
        return cipher;
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("this in-memory store set is closed; open a new one with InMemoryStoreSet.open");
        }
    }

    /** A running unit of work: the private copy of the rows it writes to. */
    private record Unit(Tables tables) {
    }

    /**
     * The engine's {@link RowStorage} over this set's storage. A unit of work takes the storage's write lock for its
     * whole run, works on a private copy of the rows (made once, when it starts) and publishes the copy when the work
     * returns; a write inside it marks the copy's undo log and rolls back to the mark when it throws, as a nested
     * unit does. A write outside a unit works on a copy of its own, published at once.
     */
    private final class Rows implements RowStorage {
        @Override
        public <R> R read(String action, Function<StoreRows, R> work) {
            return work.apply(new TablesRows(InMemoryStoreSet.this.read()));
        }

        @Override
        public <R> R write(String action, Function<StoreRows, R> work) {
            return InMemoryStoreSet.this.write(tables -> work.apply(new TablesRows(tables)));
        }

        @Override
        public <T, X extends Exception> T unitOfWork(TenantStores stores, UnitOfWork<T, X> work) throws X {
            checkOpen();
            Unit running = unitOfThread.get();
            if (running != null) {
                int savepoint = running.tables.mark();
                try {
                    return work.run(stores);
                } catch (Throwable failure) {
                    running.tables.rollbackTo(savepoint);
                    throw failure;
                }
            }
            storage.lockForWriting();
            try {
                Unit unit = new Unit(storage.committed().copy());
                unitOfThread.set(unit);
                T result = work.run(stores);
                checkOpen();
                storage.publish(unit.tables, InMemoryStoreSet.this);
                return result;
            } finally {
                unitOfThread.remove();
                storage.unlock();
            }
        }
    }
}
