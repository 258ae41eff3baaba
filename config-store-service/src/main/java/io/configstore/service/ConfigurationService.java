package io.configstore.service;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.crypto.SealedSecret;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.error.NotFoundException;
import io.configstore.error.StorageException;
import io.configstore.error.StoreUnavailableException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.StoreSet;
import io.configstore.store.UnitOfWork;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The high-level API over a {@link StoreSet} for one tenant: the three stores, read from an in-memory snapshot and
 * written through to the store set, the effective configuration, API key usage coalesced in memory, and a change
 * feed of its own.
 *
 * <pre>{@code
 * try (ConfigurationService config = ConfigurationService.builder(stores).ttl(Duration.ofMinutes(5)).build()) {
 *     ProviderConfig openai = config.providers().resolve("openai").orElseThrow();   // from memory after the first load
 *     config.apiKeys().recordUsage(keyId);                                          // no disk write
 *     AppSettings app = config.effective(loader).bind(AppSettings.class);
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Reads from memory.</b> {@link #providers()}, {@link #apiKeys()} and {@link #documents()} are the stores'
 *       interfaces. Their read methods answer from an immutable snapshot of the tenant's rows, one per section
 *       (provider configurations, API key metadata, documents), loaded from the store on the first read of the section
 *       and after the section was dropped. A read answered from the snapshot (a hit) makes no store call and allocates
 *       nothing: it returns the stored immutable records, immutable lists and Optionals built at load time. The
 *       exceptions: {@code apiKeys().reveal} always asks the store (no secret is kept in memory), and {@code
 *       documents().load(name, type)} binds a new host value on each call.</li>
 *   <li><b>Your own writes are visible at once.</b> A write method writes through to the store (one transaction, as the
 *       store documents) and drops its section before it returns, also when it fails: a read that starts after the
 *       write returned, on any thread, sees the write or something later. A reload that raced the write never publishes
 *       what it read (each drop moves the section to a new generation, and a reload publishes only if the generation it
 *       started from is still current).</li>
 *   <li><b>Others' writes are visible within a bound.</b> A change committed elsewhere (another store set, process or
 *       machine) reaches the service through {@link StoreSet#subscribe} and drops the section it touches (unless the
 *       snapshot already shows it); a {@link ChangeKind#RESYNC} drops every section. So others' writes are seen as soon
 *       as the backend's feed tells them (PostgreSQL: on commit; SQLite: within its poll interval). If a notification
 *       is lost, the {@linkplain ConfigurationServiceBuilder#ttl time-to-live} (5 minutes by default) still bounds how
 *       old a snapshot can be: a section loaded longer ago than that is reloaded on its next read. Writes made directly
 *       on the store set (not through the service) arrive the same way, as LOCAL events.</li>
 *   <li><b>Sections are independent.</b> Each section is loaded in its own queries; two sections may reflect different
 *       moments. Within one section, providers and API keys come from one query each; documents are loaded one by one,
 *       each document consistent in itself.</li>
 *   <li><b>Subscribers are told after commit.</b> {@link #subscribe} tells listeners of this tenant's changes (entity,
 *       tenant, key, version) and of RESYNC requests, after the store committed them (never before, never for work that
 *       rolled back), and after the service dropped the section concerned: a read made by the listener already sees the
 *       change.</li>
 *   <li><b>Units of work.</b> {@link #inUnitOfWork} runs a block atomically (see {@link StoreSet#inUnitOfWork}) and
 *       drops every section when it ends. Inside the block, read through the stores the block is given: a cached read
 *       through the service still answers with what was committed before the unit, and a load made on the unit's thread
 *       is never kept for other threads.</li>
 *   <li><b>API key usage is coalesced.</b> {@code apiKeys().recordUsage(id)} keeps the latest use per key in memory; a
 *       background flush every {@linkplain ConfigurationServiceBuilder#usageFlushInterval usage flush interval} (10
 *       seconds by default) and {@link #close()} write them, one {@code lastUsedAt} per key and one transaction per
 *       flush. A crash loses at most the uses recorded since the last flush: one interval. The stored {@code
 *       lastUsedAt} is the store's time of the flush, so it can be later than the last use by up to one interval (the
 *       store API takes no time). A flush that fails keeps the uses for the next one.</li>
 *   <li><b>Thread-safe.</b> Every method may be called from any thread. Readers that miss at once share one
 *       reload.</li>
 * </ul>
 *
 * <h2>When the store is away</h2>
 * <ul>
 *   <li><b>Last-known-good snapshot.</b> Once every section has been loaded, the service writes what it serves
 *       (provider configurations, API key metadata and ciphertexts, documents, with their revisions, the store's
 *       identity and the sync time) to its {@linkplain ConfigurationServiceBuilder#snapshotFile snapshot file},
 *       atomically, owner-only, with a checksum ({@link SnapshotFile}), at most once per {@linkplain
 *       ConfigurationServiceBuilder#snapshotInterval interval}, on a background thread, and only when the revisions
 *       changed.</li>
 *   <li><b>Degraded mode.</b> When a store call fails with {@link StoreUnavailableException} (a lost connection, an
 *       unreachable server, an unreadable database), the service turns {@link ServiceHealth.State#DEGRADED}: reads
 *       answer from the last configuration it loaded (no store call), {@code reveal} opens the kept ciphertext with the
 *       store's cipher, and writes, rotations, units of work and {@link #flushUsage()} fail at once with {@link
 *       StoreUnavailableException} saying since when; nothing is queued for replay. API key uses stay buffered in
 *       memory, at most {@linkplain ConfigurationServiceBuilder#usageBufferLimit usageBufferLimit} keys (10,000 by
 *       default; uses of further keys are dropped and counted in {@link ServiceHealth#droppedUsage()}), and are written
 *       on recovery. With a {@linkplain ConfigurationServiceBuilder#maxStaleness maximum staleness}, the service turns
 *       DOWN when the configuration served becomes older than that, on its own timer whether or not anyone reads (a
 *       degraded start from a snapshot already older starts DOWN), and reads fail.</li>
 *   <li><b>Recovery.</b> A background probe retries the store with exponential backoff and jitter ({@linkplain
 *       ConfigurationServiceBuilder#recoveryBackoff bounded}); when the store answers, the service reloads every
 *       section, tells subscribers of every entity whose revision differs from what it served (changes made meanwhile
 *       by other instances included, as REMOTE events), subscribes to the store's change feed again and is UP, without
 *       a restart. While UP, a {@linkplain ConfigurationServiceBuilder#healthCheckInterval health check} notices an
 *       outage even when no one calls.</li>
 *   <li><b>Start-up.</b> By default a store that cannot be opened or read fails {@link
 *       ConfigurationServiceBuilder#build()} with {@link StoreUnavailableException}. With {@link
 *       ConfigurationServiceBuilder#degradedStart}, the service starts DEGRADED from its snapshot instead, with one
 *       warning naming the snapshot's age and revisions; a snapshot that is missing, damaged, or from another store or
 *       tenant is refused and the start fails. With a {@linkplain ConfigurationServiceBuilder#fallbackToFile read-only
 *       fallback}, a database store that cannot be opened (for instance while its migration fails) is replaced by a
 *       file store, read-only, with a warning.</li>
 *   <li><b>Health.</b> {@link #health()} reports the state; each transition is logged once and published to {@link
 *       #onHealthChange} listeners.</li>
 * </ul>
 *
 * <p>A service built on a {@link StoreSet} does not own it: {@link #close()} flushes usage and stops listening, and
 * the host closes the store set afterwards. A service built on a {@link StoreOpener} owns and closes the store sets
 * it opened.
 *
 * <h2>How it is built</h2>
 * This class is the facade; each job behind it has a (package-private) class named for it: {@link
 * ConfigurationServiceBuilder} (the options), {@code SectionLoader} (loading a section from the store or from the
 * last-known-good), {@code SnapshotKeeper} (the last-known-good and its snapshot file), {@code HealthMonitor} (the
 * state, its listeners, the health check, the staleness timer and the recovery probe with backoff), {@code Recovery}
 * (what the probe does when the store answers), {@code RecoveryDiff} (what changed meanwhile), {@code DegradedStart}
 * (starting without the store), {@code CurrentStore} (the store set in use and those the service owns), {@code
 * MaintenanceTimers} (the background timers, on the injected clock) and {@code WriteThrough} (the one write path of the
 * three stores).
 */
public final class ConfigurationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationService.class);

    /** How long a snapshot is served at most when no change notification arrives. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** How often buffered API key uses are written by default. */
    public static final Duration DEFAULT_USAGE_FLUSH_INTERVAL = Duration.ofSeconds(10);
    /** Shortest accepted time-to-live. */
    public static final Duration MIN_TTL = Duration.ofMillis(1);
    /** Longest accepted time-to-live. */
    public static final Duration MAX_TTL = Duration.ofDays(1);
    /** Shortest accepted usage flush interval. */
    public static final Duration MIN_USAGE_FLUSH_INTERVAL = Duration.ofMillis(10);
    /** Longest accepted usage flush interval. */
    public static final Duration MAX_USAGE_FLUSH_INTERVAL = Duration.ofHours(1);

    /** Buffered API key uses kept at most by default (distinct keys). */
    public static final int DEFAULT_USAGE_BUFFER_LIMIT = 10_000;
    /** How often the written snapshot is refreshed at most, by default. */
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofSeconds(10);
    /** How often a service that is UP checks that its store answers, by default. */
    public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** The first wait of the recovery probe, by default. */
    public static final Duration DEFAULT_RECOVERY_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** The longest wait of the recovery probe, by default. */
    public static final Duration DEFAULT_RECOVERY_MAX_BACKOFF = Duration.ofSeconds(30);

    private final String tenantId;
    private final Duration ttl;
    private final Duration usageFlushInterval;
    private final SecretCipher snapshotCipher;
    private final ServiceCounters counters = new ServiceCounters();
    /** Threads running a unit of work started through this service: their loads are never kept. */
    private final ThreadLocal<Boolean> insideUnitOfWork = new ThreadLocal<>();
    private final CurrentStore store;
    private final MaintenanceTimers timers;
    private final SnapshotKeeper keeper;
    private final UsageBuffer usage;
    private final HealthMonitor health;
    private final SectionLoader loader;
    private final Recovery recovery;
    private final CachedSection<ProviderSnapshot> providerSection;
    private final CachedSection<ApiKeySnapshot> apiKeySection;
    private final CachedSection<DocumentSnapshot> documentSection;
    private final CachedProviderConfigStore providers;
    private final CachedApiKeyStore apiKeys;
    private final CachedConfigStore documents;
    private final CachedConfigStore documentsForLoaders;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService usageFlusher;
    private volatile boolean closed;

    ConfigurationService(ConfigurationServiceBuilder builder) {
        this.tenantId = builder.tenantId;
        this.ttl = builder.ttl;
        this.usageFlushInterval = builder.usageFlushInterval;
        this.snapshotCipher = builder.snapshotCipher;
        Clock clock = builder.clock;
        Path snapshotFile = builder.snapshotFile != null ? builder.snapshotFile
                : builder.noSnapshotFile ? null : ConfigurationServiceBuilder.defaultSnapshotFile(tenantId);
        this.store = new CurrentStore(tenantId, builder.storeIdentity);
        this.timers = new MaintenanceTimers(tenantId, clock, builder.healthCheckInterval);
        this.keeper = new SnapshotKeeper(tenantId, clock, snapshotFile, builder.snapshotInterval, timers,
                this::servingStore, store::identity);
        this.usage = new UsageBuffer(store::stores, tenantId, clock, counters, this::dropApiKeys,
                builder.usageBufferLimit);
        this.health = new HealthMonitor(tenantId, clock, builder.maxStaleness, builder.recoveryInitialBackoff,
                builder.recoveryMaxBackoff, timers, keeper, usage, () -> store.stores() != null,
                new HealthMonitor.Actions() {
                    @Override
                    public void checkStore() {
                        store.stores().tenantIds();
                        keeper.requestWrite();
                    }

                    @Override
                    public void recover() {
                        recovery.attempt();
                    }

                    @Override
                    public void dropSections() {
                        invalidateAll();
                    }
                });
        this.loader = new SectionLoader(tenantId, snapshotFile != null, health, keeper, store::tenantStores,
                this::isInsideUnitOfWork);
        this.recovery = new Recovery(tenantId, clock, builder.opener, store, loader, keeper, health,
                this::onStoreChange, this::tell, this::invalidateAll, this::flushUsageSoon);
        long ttlMillis = ttl.toMillis();
        this.providerSection = new CachedSection<>(loader::providers, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.apiKeySection = new CachedSection<>(loader::apiKeys, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.documentSection = new CachedSection<>(loader::documents, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.providers = new CachedProviderConfigStore(this, () -> store.tenantStores().providers(), providerSection);
        this.apiKeys = new CachedApiKeyStore(this, () -> store.tenantStores().apiKeys(), apiKeySection, usage);
        this.documents = new CachedConfigStore(this, () -> store.tenantStores().documents(), documentSection, true);
        this.documentsForLoaders = new CachedConfigStore(this, () -> store.tenantStores().documents(),
                documentSection, false);

        DegradedStart start = new DegradedStart(tenantId, clock, builder.degradedStart, builder.fallbackOpener,
                store, health, keeper, loader, this::onStoreChange);
        RuntimeException openFailure = null;
        if (builder.stores != null) {
            store.use(builder.stores);
        } else {
            try {
                store.useOwned(builder.opener.open());
            } catch (RuntimeException e) {
                openFailure = e;
            }
        }
        try {
            if (store.stores() != null) {
                // Listen before the first load, so that no change committed after that load can be missed.
                store.listen(this::onStoreChange);
                openFailure = start.preload();
            }
            if (openFailure != null) {
                start.startWithoutStore(openFailure);
            }
        } catch (RuntimeException e) {
            timers.stop();
            store.closeOwned();
            throw e;
        }
        this.usageFlusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "configstore-usage-flush-" + tenantId);
            thread.setDaemon(true);
            return thread;
        });
        long every = usageFlushInterval.toMillis();
        usageFlusher.scheduleWithFixedDelay(this::flushInBackground, every, every, TimeUnit.MILLISECONDS);
        health.start(builder.healthCheckInterval);
        if (health.state() == ServiceHealth.State.UP && keeper.holdsAll()) {
            keeper.requestWrite();
        }
    }

    /**
     * Starts a service over {@code stores}, for the default tenant, with the defaults: {@link #DEFAULT_TTL},
     * {@link #DEFAULT_USAGE_FLUSH_INTERVAL}, the system UTC clock.
     *
     * @throws ValidationException when {@code stores} is null
     */
    public static ConfigurationServiceBuilder builder(StoreSet stores) {
        return new ConfigurationServiceBuilder(Arguments.requireNonNull("stores", stores));
    }

    /**
     * Starts a service that opens its own store set with {@code opener} when it is built, and again when its
     * recovery probe finds the store back; it closes the store sets it opened. What makes
     * {@link ConfigurationServiceBuilder#degradedStart} and {@link ConfigurationServiceBuilder#fallbackToFile}
     * possible for a store that cannot be opened.
     *
     * @throws ValidationException when {@code opener} is null
     */
    public static ConfigurationServiceBuilder opening(StoreOpener opener) {
        return new ConfigurationServiceBuilder(Arguments.requireNonNull("opener", opener));
    }

    /** The tenant this service reads and writes. */
    public String tenantId() {
        return tenantId;
    }

    /** The time-to-live of a snapshot. */
    public Duration ttl() {
        return ttl;
    }

    /** How often buffered API key uses are written. */
    public Duration usageFlushInterval() {
        return usageFlushInterval;
    }

    /** Provider configurations: reads from the snapshot, writes through. See the class guarantees. */
    public ProviderConfigStore providers() {
        return providers;
    }

    /**
     * API keys: metadata from the snapshot, {@code reveal} from the store, writes through, {@code recordUsage}
     * buffered. See the class guarantees.
     */
    public ApiKeyStore apiKeys() {
        return apiKeys;
    }

    /** Configuration documents: reads from the snapshot, writes through. See the class guarantees. */
    public ConfigStore documents() {
        return documents;
    }

    /**
     * The effective configuration {@code loader} builds on the document it names, built once per loader and
     * document snapshot and then served from memory (the same instance) until the documents section is dropped. Keep
     * one loader instance per document: the cache is keyed by the loader, and at most
     * {@value DocumentSnapshot#MAX_EFFECTIVE_PER_SNAPSHOT} loaders are kept per snapshot. A format upgrade the loader
     * saves goes through the service, so it drops the documents section like any other write. Counts one read of the
     * documents section.
     *
     * @throws ValidationException when {@code loader} is null, or listing every problem of the layers
     */
    public EffectiveConfig effective(EffectiveConfigLoader loader) {
        checkOpen();
        Arguments.requireNonNull("loader", loader);
        DocumentSnapshot snapshot = documentSection.read();
        EffectiveConfig cached = snapshot.effective(loader);
        if (cached != null) {
            return cached;
        }
        EffectiveConfig built = loader.loadEffective(documentsForLoaders);
        if (!isInsideUnitOfWork()) {
            snapshot.keepEffective(loader, built);
        }
        return built;
    }

    /**
     * Runs {@code work} as one atomic unit across the stores (see {@link StoreSet#inUnitOfWork}), handing it this
     * tenant's stores, and drops every section when it ends (committed or not), before returning.
     *
     * @return what {@code work} returned
     * @throws X what {@code work} threw, after rolling back
     * @throws StoreUnavailableException at once, running nothing, while the store is away
     */
    public <T, X extends Exception> T inUnitOfWork(UnitOfWork<T, X> work) throws X {
        checkWritable();
        Arguments.requireNonNull("work", work);
        boolean outermost = insideUnitOfWork.get() == null;
        insideUnitOfWork.set(Boolean.TRUE);
        try {
            return store.stores().inUnitOfWork(tx -> work.run(tx.forTenant(tenantId)));
        } catch (StoreUnavailableException e) {
            throw storeLost(e);
        } finally {
            if (outermost) {
                insideUnitOfWork.remove();
            }
            invalidateAll();
        }
    }

    /**
     * Tells {@code listener} of every change to this tenant's entities, and of RESYNC requests, from now on: after
     * commit, and after the service dropped the section concerned. Called on the store set's notification thread;
     * keep it quick. An exception it throws is logged and does not stop later events.
     *
     * @return close it to stop listening
     */
    public Subscription subscribe(ChangeListener listener) {
        checkOpen();
        Arguments.requireNonNull("listener", listener);
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Drops every section, as a RESYNC does: the next read of each reloads it from the store. */
    public void refresh() {
        checkOpen();
        invalidateAll();
    }

    /**
     * Writes the buffered API key uses now, in one transaction, instead of waiting for the next background flush.
     *
     * @return how many keys' {@code lastUsedAt} were written
     * @throws StorageException when the store fails; the uses stay buffered for the next flush
     */
    public int flushUsage() {
        checkWritable();
        try {
            return usage.flush();
        } catch (StoreUnavailableException e) {
            throw storeLost(e);
        }
    }

    /** The counters, read now. */
    public CacheStatistics statistics() {
        return new CacheStatistics(counters.hits.sum(), counters.misses.sum(), counters.reloads.sum(),
                counters.invalidations.sum(), counters.expirations.sum(), counters.resyncs.sum(),
                counters.usagesRecorded.sum(), counters.usageWrites.sum(), usage.pendingCount());
    }

    /**
     * Stops the background flush, writes the buffered API key uses, and stops listening to the store set. Does not
     * close the store set. Idempotent; any other call afterwards fails with {@link StorageException}.
     *
     * @throws StorageException when the last flush fails (the uses it held are lost, and the message says so)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timers.stop();
        usageFlusher.shutdown();
        try {
            if (!usageFlusher.awaitTermination(30, TimeUnit.SECONDS)) {
                usageFlusher.shutdownNow();
            }
            timers.awaitStop(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            usageFlusher.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (!health.servingStore()) {
            // The store is away: the buffered uses cannot be written, and failing close would help no one.
            if (usage.pendingCount() > 0) {
                LOG.warn("closing the configuration service of tenant {} while the store is away: the last uses of"
                        + " {} API key(s) are not written, so their lastUsedAt stays older", tenantId,
                        usage.pendingCount());
            }
            closeFeedAndStores();
            return;
        }
        try {
            usage.flush();
        } catch (RuntimeException e) {
            int lost = usage.pendingCount();
            throw new StorageException("closing the configuration service of tenant '" + tenantId + "': writing the"
                    + " last uses of " + lost + " API key(s) failed, so their lastUsedAt stays older; check the"
                    + " store", e);
        } finally {
            closeFeedAndStores();
        }
    }

    private void closeFeedAndStores() {
        store.stopListening();
        listeners.clear();
        health.clearListeners();
        store.closeOwned();
    }

    /**
     * The service's health now: UP, DEGRADED or DOWN, since when and why, the last successful sync, the snapshot's
     * age and revisions, the change feed's state and the buffered usage.
     */
    public ServiceHealth health() {
        return health.health();
    }

    /**
     * Tells {@code listener} of every health transition from now on, once per transition (see
     * {@link HealthListener}).
     *
     * @return close it to stop listening
     */
    public Subscription onHealthChange(HealthListener listener) {
        checkOpen();
        return health.onHealthChange(listener);
    }

    @Override
    public String toString() {
        return "ConfigurationService[tenant " + tenantId + ", ttl " + ttl + (closed ? ", closed" : "") + "]";
    }

    /** Fails once the service is closed. */
    void checkOpen() {
        if (closed) {
            throw new StorageException("this configuration service is closed; build a new one with"
                    + " ConfigurationService.builder(stores)");
        }
    }

    /** Fails once the service is closed, or at once while the store is away (nothing is written or queued). */
    void checkWritable() {
        checkOpen();
        health.checkWritable();
    }

    /**
     * A store call failed because the store is away: turn DEGRADED (serving the last-known-good configuration) and
     * start the recovery probe.
     *
     * @return the exception for the caller, naming since when the store is away
     */
    StoreUnavailableException storeLost(StoreUnavailableException cause) {
        return health.storeLost(cause);
    }

    /** The secret of key {@code id}: from the store, or while it is away from the kept ciphertext. */
    Secret reveal(String id) {
        if (health.readingStore()) {
            try {
                return store.tenantStores().apiKeys().reveal(id);
            } catch (StoreUnavailableException e) {
                health.storeLost(e);
            }
        }
        ApiKeySnapshot keys = apiKeySection.read();
        SealedSecret sealed = keys.sealed(id);
        if (sealed == null) {
            if (keys.byId(id) == null) {
                throw new NotFoundException("API key", tenantId, id);
            }
            throw new StoreUnavailableException("the store of tenant '" + tenantId + "' is away since "
                    + health.since() + " and the last-known-good snapshot holds no ciphertext of API key " + id
                    + "; it can be revealed once the store is back", health.since());
        }
        StoreSet current = store.stores();
        if (current != null) {
            return current.secrets().open(sealed);
        }
        if (snapshotCipher != null) {
            return snapshotCipher.decrypt(sealed.ciphertext(), sealed.binding());
        }
        throw new StoreUnavailableException("the store of tenant '" + tenantId + "' is away since " + health.since()
                + " and was never opened, so its cipher is unknown; give the service the store's cipher with"
                + " ConfigurationServiceBuilder.snapshotCipher to reveal keys from the snapshot", health.since());
    }

    /** UP on its own store: what the snapshot keeper may write. */
    private boolean servingStore() {
        return health.servingStore();
    }

    private boolean isInsideUnitOfWork() {
        return insideUnitOfWork.get() != null;
    }

    private void dropApiKeys() {
        apiKeySection.invalidate();
    }

    private void invalidateAll() {
        providerSection.invalidate();
        apiKeySection.invalidate();
        documentSection.invalidate();
    }

    /** The store set's feed: drop what the event makes stale, then tell the service's own subscribers. */
    private void onStoreChange(ChangeEvent event) {
        if (event.kind() == ChangeKind.RESYNC) {
            counters.resyncs.increment();
            invalidateAll();
            tell(event);
            return;
        }
        if (!tenantId.equals(event.tenantId())) {
            return;
        }
        switch (event.entity()) {
            case PROVIDER_CONFIG -> {
                ProviderSnapshot held = providerSection.loaded();
                if (held == null || !held.reflects(event)) {
                    providerSection.invalidate();
                }
            }
            case API_KEY -> {
                ApiKeySnapshot held = apiKeySection.loaded();
                if (held == null || !held.reflects(event)) {
                    apiKeySection.invalidate();
                }
            }
            case CONFIG_DOCUMENT -> {
                DocumentSnapshot held = documentSection.loaded();
                if (held == null || !held.reflects(event)) {
                    documentSection.invalidate();
                }
            }
        }
        tell(event);
    }

    private void tell(ChangeEvent event) {
        for (ChangeListener listener : listeners) {
            try {
                listener.onChange(event);
            } catch (RuntimeException e) {
                LOG.warn("a configuration service listener failed on {} {} of tenant {}; later events are still"
                        + " delivered", event.kind(), event.entity(), event.tenantId(), e);
            }
        }
    }

    private void flushInBackground() {
        if (!health.servingStore()) {
            return;
        }
        try {
            usage.flush();
        } catch (StoreUnavailableException e) {
            health.storeLost(e);
        } catch (RuntimeException e) {
            LOG.warn("writing the buffered API key uses of tenant {} failed; they stay buffered for the next flush",
                    tenantId, e);
        }
    }

    /** After an outage: writes the uses buffered meanwhile now, on the flush thread, not at the next interval. */
    private void flushUsageSoon() {
        if (usage.pendingCount() > 0) {
            usageFlusher.execute(this::flushInBackground);
        }
    }
}
