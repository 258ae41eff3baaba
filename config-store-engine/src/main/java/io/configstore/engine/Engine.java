package io.configstore.engine;

import io.configstore.crypto.SecretCipher;
import io.configstore.history.PruneReport;
import io.configstore.history.RetentionPolicy;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.spi.IdempotencyLedger;
import io.configstore.spi.IdempotencyRecord;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The stores of a backend, with every rule written once, over a {@link RowStorage}: what a backend's
 * {@link io.configstore.store.StoreSet} delegates its stores, units of work, tenants and history pruning to. The
 * in-memory, file, SQLite and PostgreSQL backends all run on it, and so does a backend written by a host application.
 *
 * <p>Thread-safe when the storage is.
 */
public final class Engine {
    private final RowStorage storage;
    private final SecretCipher cipher;
    private final Clock clock;
    private final TenantStores defaultTenant;

    /**
     * An engine over {@code storage}, encrypting API keys with {@code cipher}, its timestamps from {@code clock}.
     *
     * @throws io.configstore.error.ValidationException when an argument is null
     */
    public Engine(RowStorage storage, SecretCipher cipher, Clock clock) {
        this.storage = Arguments.requireNonNull("storage", storage);
        this.cipher = Arguments.requireNonNull("cipher", cipher);
        this.clock = Arguments.requireNonNull("clock", clock);
        this.defaultTenant = tenant(TenantStores.DEFAULT_TENANT);
    }

    /** The stores of the default tenant. */
    public TenantStores defaultTenant() {
        return defaultTenant;
    }

    /**
     * The stores of {@code tenantId}.
     *
     * @throws io.configstore.error.ValidationException when the tenant id is malformed
     */
    public TenantStores tenant(String tenantId) {
        Arguments.requireTenantId(tenantId);
        return new EngineTenantStores(this, tenantId);
    }

    /** Runs {@code work} as one unit of work on the default tenant's stores (see {@link RowStorage#unitOfWork}). */
    public <T, X extends Exception> T inUnitOfWork(UnitOfWork<T, X> work) throws X {
        Arguments.requireNonNull("work", work);
        return storage.unitOfWork(defaultTenant, work);
    }

    /** Every tenant that has a provider, an API key or a document, in order. */
    public List<String> tenantIds() {
        return storage.read("listing tenants", rows -> rows.tenantIds().stream().distinct().sorted().toList());
    }

    /** Deletes what {@code policy} lets go of every tenant's history and idempotency records. */
    public PruneReport pruneHistory(RetentionPolicy policy) {
        Arguments.requireNonNull("policy", policy);
        return storage.write("pruning the change history", rows -> rows.pruneHistory(policy, now()));
    }

    /** The cipher API keys are encrypted with. */
    public SecretCipher cipher() {
        return cipher;
    }

    /** Now, truncated to milliseconds, so that every storage keeps timestamps exactly. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The storage the stores run on. */
    RowStorage storage() {
        return storage;
    }

    /**
     * Runs {@code work} as one store write made with {@code change}: in {@link RowStorage#write}, idempotently when
     * the change carries a key (the record kept in the same transaction), a recorded result replayed only when
     * {@code replayable} accepts it.
     */
    <R> R write(String action, ChangeContext change, IdempotentWrites.Request request,
                IdempotentWrites.Codec<R> codec, BiPredicate<StoreRows, R> replayable, Function<StoreRows, R> work) {
        return storage.write(action, rows -> IdempotentWrites.run(ledger(rows), change, request, codec, now(),
                recorded -> replayable.test(rows, recorded), () -> work.apply(rows)));
    }

    /** {@link #write(String, ChangeContext, IdempotentWrites.Request, IdempotentWrites.Codec, BiPredicate, Function)}
     * replaying any recorded result of the same request. */
    <R> R write(String action, ChangeContext change, IdempotentWrites.Request request,
                IdempotentWrites.Codec<R> codec, Function<StoreRows, R> work) {
        return write(action, change, request, codec, (rows, recorded) -> true, work);
    }

    /** The idempotency records kept in {@code rows}. */
    private static IdempotencyLedger<RuntimeException> ledger(StoreRows rows) {
        return new IdempotencyLedger<>() {
            @Override
            public Optional<IdempotencyRecord> find(String actor, String key) {
                return rows.idempotencyRecord(actor, key);
            }

            @Override
            public void record(IdempotencyRecord record) {
                rows.putIdempotencyRecord(record);
            }
        };
    }
}
