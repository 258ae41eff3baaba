package io.configstore.service;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ConfigDocument;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *       (provider configurations, API key metadata, documents), loaded from the store on the first read of the
 *       section and after the section was dropped. A read answered from the snapshot (a hit) makes no store call and
 *       allocates nothing: it returns the stored immutable records, immutable lists and Optionals built at load time.
 *       The exceptions: {@code apiKeys().reveal} always asks the store (no secret is kept in memory), and
 *       {@code documents().load(name, type)} binds a new host value on each call.</li>
 *   <li><b>Your own writes are visible at once.</b> A write method writes through to the store (one transaction, as
 *       the store documents) and drops its section before it returns, also when it fails: a read that starts after
 *       the write returned, on any thread, sees the write or something later. A reload that raced the write never
 *       publishes what it read (each drop moves the section to a new generation, and a reload publishes only if the
 *       generation it started from is still current).</li>
 *   <li><b>Others' writes are visible within a bound.</b> A change committed elsewhere (another store set, process or
 *       machine) reaches the service through {@link StoreSet#subscribe} and drops the section it touches (unless the
 *       snapshot already shows it); a {@link ChangeKind#RESYNC} drops every section. So others' writes are seen as
 *       soon as the backend's feed tells them (PostgreSQL: on commit; SQLite: within its poll interval). If a
 *       notification is lost, the {@linkplain Builder#ttl time-to-live} (5 minutes by default) still bounds how old
 *       a snapshot can be: a section loaded longer ago than that is reloaded on its next read. Writes made directly
 *       on the store set (not through the service) arrive the same way, as LOCAL events.</li>
 *   <li><b>Sections are independent.</b> Each section is loaded in its own queries; two sections may reflect
 *       different moments. Within one section, providers and API keys come from one query each; documents are
 *       loaded one by one, each document consistent in itself.</li>
 *   <li><b>Subscribers are told after commit.</b> {@link #subscribe} tells listeners of this tenant's changes (entity,
 *       tenant, key, version) and of RESYNC requests, after the store committed them (never before, never for work
 *       that rolled back), and after the service dropped the section concerned: a read made by the listener already
 *       sees the change.</li>
 *   <li><b>Units of work.</b> {@link #inUnitOfWork} runs a block atomically (see {@link StoreSet#inUnitOfWork}) and
 *       drops every section when it ends. Inside the block, read through the stores the block is given: a cached
 *       read through the service still answers with what was committed before the unit, and a load made on the
 *       unit's thread is never kept for other threads.</li>
 *   <li><b>API key usage is coalesced.</b> {@code apiKeys().recordUsage(id)} keeps the latest use per key in memory;
 *       a background flush every {@linkplain Builder#usageFlushInterval usage flush interval} (10 seconds by default)
 *       and {@link #close()} write them, one {@code lastUsedAt} per key and one transaction per flush. A crash loses
 *       at most the uses recorded since the last flush: one interval. The stored {@code lastUsedAt} is the store's
 *       time of the flush, so it can be later than the last use by up to one interval (the store API takes no
 *       time). A flush that fails keeps the uses for the next one.</li>
 *   <li><b>Thread-safe.</b> Every method may be called from any thread. Readers that miss at once share one
 *       reload.</li>
 * </ul>
 *
 * <p>The service does not own the store set: {@link #close()} flushes usage and stops listening, and the host closes
 * the store set afterwards.
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

    private final StoreSet stores;
    private final TenantStores tenantStores;
    private final String tenantId;
    private final Duration ttl;
    private final Duration usageFlushInterval;
    private final ServiceCounters counters = new ServiceCounters();
    /** Threads running a unit of work started through this service: their loads are never kept. */
    private final ThreadLocal<Boolean> insideUnitOfWork = new ThreadLocal<>();
    private final CachedSection<ProviderSnapshot> providerSection;
    private final CachedSection<ApiKeySnapshot> apiKeySection;
    private final CachedSection<DocumentSnapshot> documentSection;
    private final CachedProviderConfigStore providers;
    private final CachedApiKeyStore apiKeys;
    private final CachedConfigStore documents;
    private final CachedConfigStore documentsForLoaders;
    private final UsageBuffer usage;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService usageFlusher;
    private final Subscription feed;
    private volatile boolean closed;

    private ConfigurationService(Builder builder) {
        this.stores = builder.stores;
        this.tenantId = builder.tenantId;
        this.ttl = builder.ttl;
        this.usageFlushInterval = builder.usageFlushInterval;
        this.tenantStores = stores.forTenant(tenantId);
        Clock clock = builder.clock;
        long ttlMillis = ttl.toMillis();
        this.providerSection = new CachedSection<>(this::loadProviders, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.apiKeySection = new CachedSection<>(this::loadApiKeys, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.documentSection = new CachedSection<>(this::loadDocuments, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.usage = new UsageBuffer(stores, tenantId, clock, counters, apiKeySection::invalidate);
        this.providers = new CachedProviderConfigStore(this, tenantStores.providers(), providerSection);
        this.apiKeys = new CachedApiKeyStore(this, tenantStores.apiKeys(), apiKeySection, usage);
        this.documents = new CachedConfigStore(this, tenantStores.documents(), documentSection, true);
        this.documentsForLoaders = new CachedConfigStore(this, tenantStores.documents(), documentSection, false);
        // Listen before the first load, so that no change committed after that load can be missed.
        this.feed = stores.subscribe(this::onStoreChange);
        this.usageFlusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "configstore-usage-flush-" + tenantId);
            thread.setDaemon(true);
            return thread;
        });
        long every = usageFlushInterval.toMillis();
        usageFlusher.scheduleWithFixedDelay(this::flushInBackground, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a service over {@code stores}, for the default tenant, with the defaults: {@link #DEFAULT_TTL},
     * {@link #DEFAULT_USAGE_FLUSH_INTERVAL}, the system UTC clock.
     *
     * @throws ValidationException when {@code stores} is null
     */
    public static Builder builder(StoreSet stores) {
        return new Builder(Arguments.requireNonNull("stores", stores));
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
     */
    public <T, X extends Exception> T inUnitOfWork(UnitOfWork<T, X> work) throws X {
        checkOpen();
        Arguments.requireNonNull("work", work);
        boolean outermost = insideUnitOfWork.get() == null;
        insideUnitOfWork.set(Boolean.TRUE);
        try {
            return stores.inUnitOfWork(tx -> work.run(tx.forTenant(tenantId)));
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
        checkOpen();
        return usage.flush();
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
        usageFlusher.shutdown();
        try {
            if (!usageFlusher.awaitTermination(30, TimeUnit.SECONDS)) {
                usageFlusher.shutdownNow();
            }
        } catch (InterruptedException e) {
            usageFlusher.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            usage.flush();
        } catch (RuntimeException e) {
            int lost = usage.pendingCount();
            throw new StorageException("closing the configuration service of tenant '" + tenantId + "': writing the"
                    + " last uses of " + lost + " API key(s) failed, so their lastUsedAt stays older; check the"
                    + " store", e);
        } finally {
            feed.close();
            listeners.clear();
        }
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

    private boolean isInsideUnitOfWork() {
        return insideUnitOfWork.get() != null;
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
        try {
            usage.flush();
        } catch (RuntimeException e) {
            LOG.warn("writing the buffered API key uses of tenant {} failed; they stay buffered for the next flush",
                    tenantId, e);
        }
    }

    private ProviderSnapshot loadProviders() {
        return ProviderSnapshot.of(tenantStores.providers().list());
    }

    private ApiKeySnapshot loadApiKeys() {
        ApiKeyStore store = tenantStores.apiKeys();
        List<ApiKeyMetadata> listed = store.list();
        // The active key depends on activation order, which metadata does not carry: ask the store, once per type.
        Map<String, Optional<ApiKeyMetadata>> active = new HashMap<>();
        for (ApiKeyMetadata key : listed) {
            active.computeIfAbsent(key.providerType(), store::findActive);
        }
        return new ApiKeySnapshot(listed, active);
    }

    private DocumentSnapshot loadDocuments() {
        ConfigStore store = tenantStores.documents();
        List<ConfigDocument> loaded = new ArrayList<>();
        for (String name : store.names()) {
            // A document deleted between the listing and its load is simply absent.
            store.load(name).ifPresent(loaded::add);
        }
        return new DocumentSnapshot(loaded);
    }

    /**
     * Collects the service's options; each setter validates its value at once, naming the option and the allowed
     * range. Not thread-safe; the service it builds is.
     */
    public static final class Builder {
        private final StoreSet stores;
        private Duration ttl = DEFAULT_TTL;
        private Duration usageFlushInterval = DEFAULT_USAGE_FLUSH_INTERVAL;
        private Clock clock = Clock.systemUTC();
        private String tenantId = TenantStores.DEFAULT_TENANT;

        private Builder(StoreSet stores) {
            this.stores = stores;
        }

        /**
         * How long a loaded snapshot is served at most without a change notification: the bound on staleness when a
         * notification is lost. 5 minutes by default.
         *
         * @throws ValidationException unless between {@link #MIN_TTL} and {@link #MAX_TTL}
         */
        public Builder ttl(Duration timeToLive) {
            this.ttl = Arguments.requireBetween("ttl", timeToLive, MIN_TTL, MAX_TTL);
            return this;
        }

        /**
         * How often buffered API key uses are written: also the most a crash can lose. 10 seconds by default.
         *
         * @throws ValidationException unless between {@link #MIN_USAGE_FLUSH_INTERVAL} and
         *     {@link #MAX_USAGE_FLUSH_INTERVAL}
         */
        public Builder usageFlushInterval(Duration interval) {
            this.usageFlushInterval = Arguments.requireBetween("usageFlushInterval", interval, MIN_USAGE_FLUSH_INTERVAL,
                    MAX_USAGE_FLUSH_INTERVAL);
            return this;
        }

        /**
         * The clock of the time-to-live and of recorded uses; the system UTC clock by default. Only
         * {@link Clock#millis()} is read on the read path. The background flush runs on real time.
         */
        public Builder clock(Clock timeSource) {
            this.clock = Arguments.requireNonNull("clock", timeSource);
            return this;
        }

        /** The tenant the service reads and writes; {@value TenantStores#DEFAULT_TENANT} by default. */
        public Builder tenant(String tenant) {
            this.tenantId = Arguments.requireTenantId(tenant);
            return this;
        }

        /**
         * Builds the service and subscribes it to the store set's change feed. Loads nothing yet: each section is
         * loaded on its first read.
         *
         * @throws StorageException when the store set is closed
         */
        public ConfigurationService build() {
            return new ConfigurationService(this);
        }

    }
}
