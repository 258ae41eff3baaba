package io.configstore.service;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.SealedSecret;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.NotFoundException;
import io.configstore.error.StorageException;
import io.configstore.error.StoreUnavailableException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.spi.StoreSets;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
 * <h2>When the store is away</h2>
 * <ul>
 *   <li><b>Last-known-good snapshot.</b> Once every section has been loaded, the service writes what it serves
 *       (provider configurations, API key metadata and ciphertexts, documents, with their revisions, the store's
 *       identity and the sync time) to its {@linkplain Builder#snapshotFile snapshot file}, atomically, owner-only,
 *       with a checksum ({@link SnapshotFile}), at most once per {@linkplain Builder#snapshotInterval interval}, on
 *       a background thread, and only when the revisions changed.</li>
 *   <li><b>Degraded mode.</b> When a store call fails with {@link StoreUnavailableException} (a lost connection, an
 *       unreachable server, an unreadable database), the service turns {@link ServiceHealth.State#DEGRADED}: reads
 *       answer from the last configuration it loaded (no store call), {@code reveal} opens the kept ciphertext with
 *       the store's cipher, and writes, rotations, units of work and {@link #flushUsage()} fail at once with
 *       {@link StoreUnavailableException} saying since when; nothing is queued for replay. API key uses stay buffered
 *       in memory, at most {@linkplain Builder#usageBufferLimit usageBufferLimit} keys (10,000 by default; uses of
 *       further keys are dropped and counted in {@link ServiceHealth#droppedUsage()}), and are written on
 *       recovery. With a {@linkplain Builder#maxStaleness maximum staleness}, the service turns DOWN when the
 *       configuration served becomes older than that, on its own timer whether or not anyone reads (a degraded start
 *       from a snapshot already older starts DOWN), and reads fail.</li>
 *   <li><b>Recovery.</b> A background probe retries the store with exponential backoff and jitter
 *       ({@linkplain Builder#recoveryBackoff bounded}); when the store answers, the service reloads every section,
 *       tells subscribers of every entity whose revision differs from what it served (changes made meanwhile by
 *       other instances included, as REMOTE events), subscribes to the store's change feed again and is UP, without
 *       a restart. While UP, a {@linkplain Builder#healthCheckInterval health check} notices an outage even when no
 *       one calls.</li>
 *   <li><b>Start-up.</b> By default a store that cannot be opened or read fails {@link Builder#build()} with
 *       {@link StoreUnavailableException}. With {@link Builder#degradedStart}, the service starts DEGRADED from its
 *       snapshot instead, with one warning naming the snapshot's age and revisions; a snapshot that is missing,
 *       damaged, or from another store or tenant is refused and the start fails. With a
 *       {@linkplain Builder#fallbackToFile read-only fallback}, a database store that cannot be opened (for instance
 *       while its migration fails) is replaced by a file store, read-only, with a warning.</li>
 *   <li><b>Health.</b> {@link #health()} reports the state; each transition is logged once and published to
 *       {@link #onHealthChange} listeners.</li>
 * </ul>
 *
 * <p>A service built on a {@link StoreSet} does not own it: {@link #close()} flushes usage and stops listening, and
 * the host closes the store set afterwards. A service built on a {@link StoreOpener} owns and closes the store sets
 * it opened.
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

    private volatile StoreSet stores;
    private volatile TenantStores tenantStores;
    private final StoreOpener opener;
    private final StoreOpener fallbackOpener;
    /** The store sets this service opened, and so closes. */
    private final List<StoreSet> owned = new CopyOnWriteArrayList<>();
    private volatile boolean readOnlyFallback;
    private final Clock clock;
    private final Path snapshotFile;
    private final Duration snapshotInterval;
    private final Duration maxStaleness;
    private final Duration recoveryInitialBackoff;
    private final Duration recoveryMaxBackoff;
    private final SecretCipher snapshotCipher;
    private volatile String storeIdentity;
    private final boolean explicitIdentity;
    private final List<HealthListener> healthListeners = new CopyOnWriteArrayList<>();
    private final Object stateLock = new Object();
    private volatile ServiceHealth.State state = ServiceHealth.State.UP;
    private volatile Instant stateSince;
    private volatile String stateReason = "the store answers";
    private volatile Instant lastSync;
    private volatile Instant snapshotWrittenAt;
    private volatile String writtenRevisions;
    /** When the snapshot file was last written, by {@link #clock}. */
    private volatile long lastSnapshotWriteMillis;
    private final AtomicBoolean snapshotScheduled = new AtomicBoolean();
    private final AtomicBoolean stalenessScheduled = new AtomicBoolean();
    /** The longest a timer sleeps before it reads the clock again (the health-check interval). */
    private final long recheckMillis;
    private final AtomicBoolean probeScheduled = new AtomicBoolean();
    private int probeAttempts;
    /** What the service last loaded from the store (or read from its snapshot file): served while the store is away. */
    private volatile ProviderSnapshot goodProviders;
    private volatile ApiKeySnapshot goodKeys;
    private volatile DocumentSnapshot goodDocuments;
    private final ScheduledExecutorService maintenance;
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
    private volatile Subscription feed;
    private volatile boolean closed;

    private ConfigurationService(Builder builder) {
        this.opener = builder.opener;
        this.fallbackOpener = builder.fallbackOpener;
        this.tenantId = builder.tenantId;
        this.ttl = builder.ttl;
        this.usageFlushInterval = builder.usageFlushInterval;
        this.clock = builder.clock;
        this.snapshotFile = builder.snapshotFile != null ? builder.snapshotFile
                : builder.noSnapshotFile ? null : Builder.defaultSnapshotFile(tenantId);
        this.snapshotInterval = builder.snapshotInterval;
        this.maxStaleness = builder.maxStaleness;
        this.recoveryInitialBackoff = builder.recoveryInitialBackoff;
        this.recoveryMaxBackoff = builder.recoveryMaxBackoff;
        this.snapshotCipher = builder.snapshotCipher;
        this.storeIdentity = builder.storeIdentity;
        this.explicitIdentity = builder.storeIdentity != null;
        this.stateSince = clock.instant();
        this.recheckMillis = builder.healthCheckInterval.toMillis();
        long ttlMillis = ttl.toMillis();
        this.providerSection = new CachedSection<>(this::loadProviders, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.apiKeySection = new CachedSection<>(this::loadApiKeys, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.documentSection = new CachedSection<>(this::loadDocuments, clock, ttlMillis, counters,
                this::isInsideUnitOfWork);
        this.usage = new UsageBuffer(() -> stores, tenantId, clock, counters, apiKeySection::invalidate,
                builder.usageBufferLimit);
        this.providers = new CachedProviderConfigStore(this, () -> tenantStores.providers(), providerSection);
        this.apiKeys = new CachedApiKeyStore(this, () -> tenantStores.apiKeys(), apiKeySection, usage);
        this.documents = new CachedConfigStore(this, () -> tenantStores.documents(), documentSection, true);
        this.documentsForLoaders = new CachedConfigStore(this, () -> tenantStores.documents(), documentSection, false);

        RuntimeException openFailure = null;
        if (builder.stores != null) {
            use(builder.stores);
        } else {
            try {
                use(opener.open());
                owned.add(stores);
            } catch (RuntimeException e) {
                openFailure = e;
            }
        }
        try {
            if (stores != null) {
                // Listen before the first load, so that no change committed after that load can be missed.
                this.feed = stores.subscribe(this::onStoreChange);
            }
            if (stores != null && builder.degradedStart) {
                // Load every section now: a store that opened but cannot be read is found at start, and the
                // snapshot file is written as soon as possible.
                try {
                    goodProviders = ProviderSnapshot.of(tenantStores.providers().list());
                    goodKeys = readApiKeys(tenantStores);
                    goodDocuments = readDocuments(tenantStores);
                    lastSync = clock.instant();
                } catch (StoreUnavailableException e) {
                    openFailure = e;
                }
            }
            if (openFailure != null) {
                startWithoutStore(builder, openFailure);
            }
        } catch (RuntimeException e) {
            closeOwned();
            throw e;
        }
        this.usageFlusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "configstore-usage-flush-" + tenantId);
            thread.setDaemon(true);
            return thread;
        });
        long every = usageFlushInterval.toMillis();
        usageFlusher.scheduleWithFixedDelay(this::flushInBackground, every, every, TimeUnit.MILLISECONDS);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "configstore-maintenance-" + tenantId);
            thread.setDaemon(true);
            return thread;
        });
        long check = builder.healthCheckInterval.toMillis();
        maintenance.scheduleWithFixedDelay(this::checkHealth, check, check, TimeUnit.MILLISECONDS);
        if (state != ServiceHealth.State.UP) {
            scheduleProbe();
            scheduleStalenessCheck();
        } else if (goodProviders != null) {
            requestSnapshot();
        }
    }

    /** The store could not be opened or read at start: fall back, start degraded, or fail fast. */
    private void startWithoutStore(Builder builder, RuntimeException failure) {
        Instant now = clock.instant();
        if (fallbackOpener != null && stores == null) {
            StoreSet fallback;
            try {
                fallback = fallbackOpener.open();
            } catch (RuntimeException e) {
                e.addSuppressed(failure);
                throw new StoreUnavailableException("opening the store failed (" + failure.getMessage() + "), and"
                        + " so did opening the read-only fallback store (" + e.getMessage() + "); fix either", now, e);
            }
            owned.add(fallback);
            use(fallback);
            readOnlyFallback = true;
            this.feed = fallback.subscribe(this::onStoreChange);
            String reason = "serving the read-only fallback store " + fallback + " because the store could not be"
                    + " opened: " + failure.getMessage();
            LOG.warn("configuration service of tenant {} starts DEGRADED: {}; writes fail until the store opens",
                    tenantId, reason);
            startIn(ServiceHealth.State.DEGRADED, reason, now);
            return;
        }
        String hint = "; the service fails fast by default: fix the store, or opt in to starting from the"
                + " last-known-good snapshot with ConfigurationService.Builder.degradedStart(true)";
        if (!builder.degradedStart) {
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened or read (" + failure.getMessage() + ")" + hint, now,
                    failure);
        }
        if (snapshotFile == null) {
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened or read (" + failure.getMessage() + "), and degraded"
                    + " start needs a snapshot file but none is configured; set Builder.snapshotFile", now, failure);
        }
        String identity = identity();
        if (identity == null) {
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened (" + failure.getMessage() + "), and without it the"
                    + " service cannot tell whether the snapshot " + snapshotFile + " came from it; name the store"
                    + " with Builder.storeIdentity", now, failure);
        }
        LastKnownGood snapshot;
        try {
            snapshot = SnapshotFile.read(snapshotFile);
        } catch (SnapshotFile.SnapshotRejectedException e) {
            LOG.warn("configuration service of tenant {}: the snapshot is refused: {}", tenantId, e.getMessage());
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened or read (" + failure.getMessage() + "), and there is"
                    + " no usable snapshot to start from: " + e.getMessage(), now, failure);
        }
        if (!snapshot.storeIdentity().equals(identity) || !snapshot.tenantId().equals(tenantId)) {
            String why = "the snapshot " + snapshotFile + " was written for store '" + snapshot.storeIdentity()
                    + "', tenant '" + snapshot.tenantId() + "', not for store '" + identity + "', tenant '" + tenantId
                    + "'";
            LOG.warn("configuration service of tenant {}: the snapshot is refused: {}", tenantId, why);
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened or read (" + failure.getMessage() + "), and there is"
                    + " no usable snapshot to start from: " + why + "; it is never served", now, failure);
        }
        seed(snapshot);
        Duration age = Duration.between(snapshot.syncedAt(), now);
        if (staleBeyondLimit()) {
            // Nothing fit to serve: DOWN from the start, as it would be had the service run since the snapshot.
            String reason = "the store cannot be opened or read (" + failure.getMessage() + "), and the snapshot "
                    + snapshotFile + " of " + snapshot.syncedAt() + " (age " + age + ") " + tooOld();
            LOG.warn("configuration service of tenant {} starts DOWN: {}", tenantId, reason);
            startIn(ServiceHealth.State.DOWN, reason, now);
            return;
        }
        String reason = "the store cannot be opened or read (" + failure.getMessage() + "); serving the snapshot "
                + snapshotFile + " of " + snapshot.syncedAt() + " (age " + age + ", revisions "
                + snapshot.revisions() + ") read-only";
        LOG.warn("configuration service of tenant {} starts DEGRADED: {}", tenantId, reason);
        startIn(ServiceHealth.State.DEGRADED, reason, now);
    }

    /** The state at start, logged by the caller once: no transition (no one listens yet). */
    private void startIn(ServiceHealth.State initial, String reason, Instant at) {
        state = initial;
        stateReason = reason;
        stateSince = at;
    }

    private void use(StoreSet set) {
        this.stores = set;
        this.tenantStores = set.forTenant(tenantId);
        if (!explicitIdentity) {
            // Without a name from the host, a store is known by how it describes itself (its file or its server,
            // database and schema); never a password.
            storeIdentity = set.toString().replace(", closed]", "]");
        }
    }

    private String identity() {
        return storeIdentity;
    }

    private void seed(LastKnownGood snapshot) {
        Map<String, Optional<ApiKeyMetadata>> active = new HashMap<>();
        Map<String, ApiKeyMetadata> byId = new HashMap<>();
        snapshot.apiKeys().forEach(key -> byId.put(key.id(), key));
        for (ApiKeyMetadata key : snapshot.apiKeys()) {
            String activeId = snapshot.activeKeyIds().get(key.providerType());
            active.put(key.providerType(), Optional.ofNullable(activeId == null ? null : byId.get(activeId)));
        }
        goodProviders = ProviderSnapshot.of(snapshot.providers());
        goodKeys = new ApiKeySnapshot(snapshot.apiKeys(), active, snapshot.sealed());
        goodDocuments = new DocumentSnapshot(snapshot.documents());
        lastSync = snapshot.syncedAt();
        snapshotWrittenAt = snapshot.syncedAt();
        writtenRevisions = snapshot.revisions();
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

    /**
     * Starts a service that opens its own store set with {@code opener} when it is built, and again when its
     * recovery probe finds the store back; it closes the store sets it opened. What makes
     * {@link Builder#degradedStart} and {@link Builder#fallbackToFile} possible for a store that cannot be opened.
     *
     * @throws ValidationException when {@code opener} is null
     */
    public static Builder opening(StoreOpener opener) {
        return new Builder(Arguments.requireNonNull("opener", opener));
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
            return stores.inUnitOfWork(tx -> work.run(tx.forTenant(tenantId)));
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
        maintenance.shutdownNow();
        usageFlusher.shutdown();
        try {
            if (!usageFlusher.awaitTermination(30, TimeUnit.SECONDS)) {
                usageFlusher.shutdownNow();
            }
            maintenance.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            usageFlusher.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (state != ServiceHealth.State.UP || readOnlyFallback) {
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
        Subscription current = feed;
        if (current != null) {
            current.close();
        }
        listeners.clear();
        healthListeners.clear();
        closeOwned();
    }

    private void closeOwned() {
        for (StoreSet set : owned) {
            try {
                set.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a store set of the configuration service of tenant {} failed", tenantId, e);
            }
        }
        owned.clear();
    }

    /**
     * The service's health now: UP, DEGRADED or DOWN, since when and why, the last successful sync, the snapshot's
     * age and revisions, the change feed's state and the buffered usage.
     */
    public ServiceHealth health() {
        Instant now = clock.instant();
        Instant synced = lastSync;
        ServiceHealth.State current = state;
        String feedState = stores == null ? "NONE"
                : current == ServiceHealth.State.UP || readOnlyFallback ? "LISTENING" : "INTERRUPTED";
        String revisions = writtenRevisions;
        return new ServiceHealth(current, stateSince, stateReason, synced, snapshotFile, snapshotWrittenAt,
                synced == null ? null : Duration.between(synced, now), revisions, feedState, usage.pendingCount(),
                usage.droppedCount());
    }

    /**
     * Tells {@code listener} of every health transition from now on, once per transition (see
     * {@link HealthListener}).
     *
     * @return close it to stop listening
     */
    public Subscription onHealthChange(HealthListener listener) {
        checkOpen();
        Arguments.requireNonNull("listener", listener);
        healthListeners.add(listener);
        return () -> healthListeners.remove(listener);
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
        if (state != ServiceHealth.State.UP || readOnlyFallback) {
            throw new StoreUnavailableException("the configuration service of tenant '" + tenantId + "' is "
                    + state + " since " + stateSince + " (" + stateReason + "); writes, rotations and units of work"
                    + " fail at once while the store is away: nothing was written and nothing is queued; retry"
                    + " once health() is UP", stateSince);
        }
    }

    /**
     * A store call failed because the store is away: turn DEGRADED (serving the last-known-good configuration) and
     * start the recovery probe.
     *
     * @return the exception for the caller, naming since when the store is away
     */
    StoreUnavailableException storeLost(StoreUnavailableException cause) {
        if (readOnlyFallback) {
            return cause;
        }
        Instant now = clock.instant();
        boolean entered = false;
        synchronized (stateLock) {
            if (state == ServiceHealth.State.UP) {
                setState(ServiceHealth.State.DEGRADED, "the store is away: " + cause.getMessage(), now);
                entered = true;
            }
        }
        if (entered) {
            // Sections dropped now are answered from the last-known-good configuration, with no store call.
            invalidateAll();
            scheduleStalenessCheck();
            scheduleProbe();
        }
        return new StoreUnavailableException("the store of the configuration service of tenant '" + tenantId
                + "' is away since " + stateSince + ": " + cause.getMessage() + "; nothing is queued for replay:"
                + " check the outcome once health() is UP", stateSince, cause);
    }

    /** The secret of key {@code id}: from the store, or while it is away from the kept ciphertext. */
    Secret reveal(String id) {
        if (state == ServiceHealth.State.UP || readOnlyFallback) {
            try {
                return tenantStores.apiKeys().reveal(id);
            } catch (StoreUnavailableException e) {
                storeLost(e);
            }
        }
        ApiKeySnapshot keys = apiKeySection.read();
        SealedSecret sealed = keys.sealed(id);
        if (sealed == null) {
            if (keys.byId(id) == null) {
                throw new NotFoundException("API key", tenantId, id);
            }
            throw new StoreUnavailableException("the store of tenant '" + tenantId + "' is away since " + stateSince
                    + " and the last-known-good snapshot holds no ciphertext of API key " + id + "; it can be"
                    + " revealed once the store is back", stateSince);
        }
        StoreSet current = stores;
        if (current != null) {
            return current.secrets().open(sealed);
        }
        if (snapshotCipher != null) {
            return snapshotCipher.decrypt(sealed.ciphertext(), sealed.binding());
        }
        throw new StoreUnavailableException("the store of tenant '" + tenantId + "' is away since " + stateSince
                + " and was never opened, so its cipher is unknown; give the service the store's cipher with"
                + " Builder.snapshotCipher to reveal keys from the snapshot", stateSince);
    }

    private void setState(ServiceHealth.State to, String reason, Instant at) {
        ServiceHealth previous;
        ServiceHealth current;
        synchronized (stateLock) {
            if (state == to && reason.equals(stateReason)) {
                return;
            }
            previous = health();
            boolean transition = state != to;
            state = to;
            stateReason = reason;
            if (transition) {
                stateSince = at;
            }
            current = health();
            if (!transition) {
                return;
            }
        }
        if (to == ServiceHealth.State.UP) {
            LOG.info("configuration service of tenant {}: {} -> UP at {}: {}", tenantId, previous.state(), at, reason);
        } else {
            LOG.warn("configuration service of tenant {}: {} -> {} at {}: {}", tenantId, previous.state(), to, at,
                    reason);
        }
        for (HealthListener listener : healthListeners) {
            try {
                listener.onHealthChange(previous, current);
            } catch (RuntimeException e) {
                LOG.warn("a health listener of the configuration service of tenant {} failed", tenantId, e);
            }
        }
    }

    private boolean staleBeyondLimit() {
        Instant synced = lastSync;
        return maxStaleness != null && synced != null
                && Duration.between(synced, clock.instant()).compareTo(maxStaleness) > 0;
    }

    /** Why the configuration kept is not served: it is older than the maximum staleness. */
    private String tooOld() {
        return "is older than the maximum staleness " + maxStaleness;
    }

    /**
     * With a maximum staleness, the timer that turns a DEGRADED service DOWN when what it serves becomes too old,
     * whether or not anyone reads: due at the clock's deadline ({@code lastSync + maxStaleness}).
     */
    private void scheduleStalenessCheck() {
        Instant synced = lastSync;
        if (maxStaleness == null || synced == null || closed || !stalenessScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            maintenance.schedule(this::checkStaleness, delayUntil(synced.plus(maxStaleness).toEpochMilli() + 1),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stalenessScheduled.set(false);
        }
    }

    private void checkStaleness() {
        stalenessScheduled.set(false);
        if (closed || state != ServiceHealth.State.DEGRADED || readOnlyFallback) {
            // UP again (the next outage starts a new timer), already DOWN, or serving a fallback store.
            return;
        }
        if (!staleBeyondLimit()) {
            scheduleStalenessCheck();
            return;
        }
        turnDownIfStale();
        // Sections loaded are dropped, so that the next read fails instead of answering from them.
        invalidateAll();
    }

    /** DEGRADED to DOWN, checked and done under the state lock, so that a recovery at the same moment wins. */
    private void turnDownIfStale() {
        synchronized (stateLock) {
            if (state == ServiceHealth.State.DEGRADED && !readOnlyFallback && staleBeyondLimit()) {
                setState(ServiceHealth.State.DOWN, "the store is away and the last-known-good configuration of "
                        + lastSync + " " + tooOld(), clock.instant());
            }
        }
    }

    /**
     * The scheduler's delay until {@code dueMillis} on the injected clock. The scheduler counts the machine's
     * elapsed time and the clock need not follow it (a host's own clock, a clock stepped by NTP or by a test), so a
     * timer sleeps at most {@link #recheckMillis} and reads the clock again.
     */
    private long delayUntil(long dueMillis) {
        return Math.max(0, Math.min(recheckMillis, dueMillis - clock.millis()));
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
        if (state != ServiceHealth.State.UP || readOnlyFallback) {
            return;
        }
        try {
            usage.flush();
        } catch (StoreUnavailableException e) {
            storeLost(e);
        } catch (RuntimeException e) {
            LOG.warn("writing the buffered API key uses of tenant {} failed; they stay buffered for the next flush",
                    tenantId, e);
        }
    }

    private ProviderSnapshot loadProviders() {
        return load(ts -> ProviderSnapshot.of(ts.providers().list()), () -> goodProviders, p -> goodProviders = p);
    }

    private ApiKeySnapshot loadApiKeys() {
        return load(this::readApiKeys, () -> goodKeys, k -> goodKeys = k);
    }

    private DocumentSnapshot loadDocuments() {
        return load(ConfigurationService::readDocuments, () -> goodDocuments, d -> goodDocuments = d);
    }

    /**
     * A section's load: from the store while it answers (remembering the result as last-known-good), else from
     * what was remembered.
     */
    private <S> S load(Function<TenantStores, S> fromStore, Supplier<S> remembered, Consumer<S> remember) {
        if (state != ServiceHealth.State.UP && !readOnlyFallback) {
            return fromMemory(remembered);
        }
        try {
            S fresh = fromStore.apply(tenantStores);
            if (!isInsideUnitOfWork() && !readOnlyFallback) {
                remember.accept(fresh);
                lastSync = clock.instant();
                requestSnapshot();
            }
            return fresh;
        } catch (StoreUnavailableException e) {
            if (readOnlyFallback) {
                throw e;
            }
            storeLost(e);
            return fromMemory(remembered);
        }
    }

    private <S> S fromMemory(Supplier<S> remembered) {
        S value = remembered.get();
        if (value == null) {
            throw new StoreUnavailableException("the store of the configuration service of tenant '" + tenantId
                    + "' is away since " + stateSince + " and this part of the configuration was never loaded, so"
                    + " there is nothing to serve; it is served again once the store is back", stateSince);
        }
        if (staleBeyondLimit()) {
            turnDownIfStale();
            throw new StoreUnavailableException("the store of the configuration service of tenant '" + tenantId
                    + "' is away since " + stateSince + " and the configuration last read from it (" + lastSync
                    + ") " + tooOld() + ", so it is not served", stateSince);
        }
        return value;
    }

    private ApiKeySnapshot readApiKeys(TenantStores from) {
        ApiKeyStore store = from.apiKeys();
        List<ApiKeyMetadata> listed = store.list();
        // The active key depends on activation order, which metadata does not carry: ask the store, once per type.
        Map<String, Optional<ApiKeyMetadata>> active = new HashMap<>();
        for (ApiKeyMetadata key : listed) {
            active.computeIfAbsent(key.providerType(), store::findActive);
        }
        if (snapshotFile == null) {
            return new ApiKeySnapshot(listed, active);
        }
        // Ciphertexts only, for the snapshot file: the service never holds a plaintext secret.
        Map<String, SealedSecret> sealed = new HashMap<>();
        for (ApiKeyMetadata key : listed) {
            try {
                sealed.put(key.id(), store.sealed(key.id()));
            } catch (NotFoundException deleted) {
                // Deleted since the listing: the next load will not list it either.
            }
        }
        return new ApiKeySnapshot(listed, active, sealed);
    }

    private static DocumentSnapshot readDocuments(TenantStores from) {
        ConfigStore store = from.documents();
        List<ConfigDocument> loaded = new ArrayList<>();
        for (String name : store.names()) {
            // A document deleted between the listing and its load is simply absent.
            store.load(name).ifPresent(loaded::add);
        }
        return new DocumentSnapshot(loaded);
    }

    /** Writes the snapshot file soon (at most once per interval), off the caller's thread. */
    private void requestSnapshot() {
        if (snapshotFile == null || closed || maintenance == null || !snapshotScheduled.compareAndSet(false, true)) {
            return;
        }
        long last = Math.min(lastSnapshotWriteMillis, clock.millis());
        long wait = delayUntil(last + snapshotInterval.toMillis());
        try {
            maintenance.schedule(this::writeSnapshot, wait, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            snapshotScheduled.set(false);
        }
    }

    private void writeSnapshot() {
        snapshotScheduled.set(false);
        long sinceLast = clock.millis() - lastSnapshotWriteMillis;
        if (sinceLast >= 0 && sinceLast < snapshotInterval.toMillis()) {
            // Woken to read the clock again (see delayUntil), not yet due. A clock set back does not stall it.
            requestSnapshot();
            return;
        }
        ProviderSnapshot p = goodProviders;
        ApiKeySnapshot k = goodKeys;
        DocumentSnapshot d = goodDocuments;
        Instant synced = lastSync;
        if (state != ServiceHealth.State.UP || readOnlyFallback || p == null || k == null || d == null
                || synced == null) {
            return;
        }
        LastKnownGood snapshot = new LastKnownGood(identity(), tenantId, synced, p.all(), k.all(), k.activeIds(),
                k.sealedById(), d.all());
        String revisions = snapshot.revisions();
        if (revisions.equals(writtenRevisions) && snapshotWrittenAt != null) {
            return;
        }
        try {
            SnapshotFile.write(snapshotFile, snapshot);
            writtenRevisions = revisions;
            snapshotWrittenAt = clock.instant();
            lastSnapshotWriteMillis = clock.millis();
            LOG.debug("configuration service of tenant {} wrote its snapshot {} (revisions {})", tenantId,
                    snapshotFile, revisions);
        } catch (RuntimeException e) {
            LOG.warn("configuration service of tenant {}: writing the snapshot failed; the previous one stays",
                    tenantId, e);
        }
    }

    /** While UP, notices an outage even when no one calls. */
    private void checkHealth() {
        if (closed || state != ServiceHealth.State.UP || readOnlyFallback) {
            return;
        }
        try {
            stores.tenantIds();
            requestSnapshot();
        } catch (StoreUnavailableException e) {
            storeLost(e);
        } catch (RuntimeException e) {
            LOG.debug("configuration service of tenant {}: the health check failed", tenantId, e);
        }
    }

    private void scheduleProbe() {
        if (closed || maintenance == null || !probeScheduled.compareAndSet(false, true)) {
            return;
        }
        long base = recoveryInitialBackoff.toMillis();
        long max = recoveryMaxBackoff.toMillis();
        int shift = Math.min(probeAttempts, 30);
        long bound = Math.min(max, base << shift);
        // Full range between half and all of the bound: instances that lost the store together do not retry together.
        long wait = bound / 2 + ThreadLocalRandom.current().nextLong(bound / 2 + 1);
        try {
            maintenance.schedule(this::probe, wait, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            probeScheduled.set(false);
        }
    }

    /** The recovery probe: open or read the store; when it answers, reload, tell what changed, and be UP. */
    private void probe() {
        probeScheduled.set(false);
        if (closed || (state == ServiceHealth.State.UP && !readOnlyFallback)) {
            return;
        }
        StoreSet opened = null;
        try {
            StoreSet target = stores;
            if (target == null || readOnlyFallback) {
                opened = opener.open();
                target = opened;
            }
            TenantStores from = target.forTenant(tenantId);
            ProviderSnapshot p = ProviderSnapshot.of(from.providers().list());
            ApiKeySnapshot k = readApiKeys(from);
            DocumentSnapshot d = readDocuments(from);
            recovered(target, opened != null, p, k, d);
        } catch (RuntimeException e) {
            if (opened != null) {
                try {
                    opened.close();
                } catch (RuntimeException ignored) {
                    // Closing a store set that never answered: the probe's failure is what matters.
                }
            }
            probeAttempts++;
            LOG.debug("configuration service of tenant {}: recovery probe {} failed: {}", tenantId, probeAttempts,
                    e.getMessage());
            scheduleProbe();
        }
    }

    private void recovered(StoreSet target, boolean newlyOpened, ProviderSnapshot p, ApiKeySnapshot k,
                           DocumentSnapshot d) {
        List<ChangeEvent> changes = diff(goodProviders, goodKeys, goodDocuments, p, k, d);
        Instant now = clock.instant();
        Subscription old = feed;
        if (old != null) {
            old.close();
        }
        if (newlyOpened) {
            List<StoreSet> before = List.copyOf(owned);
            owned.clear();
            owned.add(target);
            for (StoreSet set : before) {
                try {
                    set.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing the fallback store set of tenant {} failed", tenantId, e);
                }
            }
            use(target);
        }
        // Listen again: notifications sent while the store was away are lost, the diff below stands for them.
        feed = target.subscribe(this::onStoreChange);
        goodProviders = p;
        goodKeys = k;
        goodDocuments = d;
        lastSync = now;
        readOnlyFallback = false;
        probeAttempts = 0;
        invalidateAll();
        setState(ServiceHealth.State.UP, "the store answers again; " + changes.size() + " change(s) made while it"
                + " was away", now);
        for (ChangeEvent change : changes) {
            tell(change);
        }
        requestSnapshot();
        if (usage.pendingCount() > 0) {
            usageFlusher.execute(this::flushInBackground);
        }
    }

    /** What differs between what was served and what the store holds now, as REMOTE change events. */
    private List<ChangeEvent> diff(ProviderSnapshot oldP, ApiKeySnapshot oldK, DocumentSnapshot oldD,
                                   ProviderSnapshot p, ApiKeySnapshot k, DocumentSnapshot d) {
        if (oldP == null || oldK == null || oldD == null) {
            return List.of(ChangeEvent.resync(ChangeOrigin.REMOTE));
        }
        List<ChangeEvent> events = new ArrayList<>();
        Map<String, Long> before = new LinkedHashMap<>();
        oldP.all().forEach(c -> before.put(c.id(), c.version()));
        for (ProviderConfig c : p.all()) {
            Long was = before.remove(c.id());
            if (was == null || was != c.version()) {
                events.add(ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, tenantId, c.id(), c.version(),
                        ChangeOrigin.REMOTE));
            }
        }
        before.forEach((id, version) -> events.add(ChangeEvent.deleted(EntityKind.PROVIDER_CONFIG, tenantId, id,
                version, ChangeOrigin.REMOTE)));
        before.clear();
        oldK.all().forEach(key -> before.put(key.id(), key.version()));
        for (ApiKeyMetadata key : k.all()) {
            Long was = before.remove(key.id());
            if (was == null || was != key.version()) {
                events.add(ChangeEvent.changed(EntityKind.API_KEY, tenantId, key.id(), key.version(),
                        ChangeOrigin.REMOTE));
            }
        }
        before.forEach((id, version) -> events.add(ChangeEvent.deleted(EntityKind.API_KEY, tenantId, id, version,
                ChangeOrigin.REMOTE)));
        before.clear();
        oldD.all().forEach(doc -> before.put(doc.name(), doc.revision()));
        for (ConfigDocument doc : d.all()) {
            Long was = before.remove(doc.name());
            if (was == null || was != doc.revision()) {
                events.add(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, tenantId, doc.name(), doc.revision(),
                        ChangeOrigin.REMOTE));
            }
        }
        before.forEach((name, revision) -> events.add(ChangeEvent.deleted(EntityKind.CONFIG_DOCUMENT, tenantId,
                name, revision, ChangeOrigin.REMOTE)));
        return events;
    }

    /**
     * Collects the service's options; each setter validates its value at once, naming the option and the allowed
     * range. Not thread-safe; the service it builds is.
     */
    public static final class Builder {
        private final StoreSet stores;
        private final StoreOpener opener;
        private StoreOpener fallbackOpener;
        private Duration ttl = DEFAULT_TTL;
        private Duration usageFlushInterval = DEFAULT_USAGE_FLUSH_INTERVAL;
        private Clock clock = Clock.systemUTC();
        private String tenantId = TenantStores.DEFAULT_TENANT;
        private Path snapshotFile;
        private boolean noSnapshotFile;
        private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
        private boolean degradedStart;
        private Duration maxStaleness;
        private Duration recoveryInitialBackoff = DEFAULT_RECOVERY_INITIAL_BACKOFF;
        private Duration recoveryMaxBackoff = DEFAULT_RECOVERY_MAX_BACKOFF;
        private Duration healthCheckInterval = DEFAULT_HEALTH_CHECK_INTERVAL;
        private int usageBufferLimit = DEFAULT_USAGE_BUFFER_LIMIT;
        private String storeIdentity;
        private SecretCipher snapshotCipher;

        private Builder(StoreSet stores) {
            this.stores = stores;
            this.opener = () -> stores;
        }

        private Builder(StoreOpener opener) {
            this.stores = null;
            this.opener = opener;
        }

        /** {@code data/configstore.snapshot} (beside the SQLite default), or {@code data/configstore-<tenant>.snapshot}. */
        static Path defaultSnapshotFile(String tenant) {
            return Path.of("data", TenantStores.DEFAULT_TENANT.equals(tenant) ? "configstore.snapshot"
                    : "configstore-" + tenant + ".snapshot");
        }

        /**
         * Where the last-known-good snapshot is kept; by default {@code data/configstore.snapshot} in the working
         * directory ({@code data/configstore-<tenant>.snapshot} for another tenant).
         *
         * @throws ValidationException when {@code file} is null
         */
        public Builder snapshotFile(Path file) {
            this.snapshotFile = Arguments.requireNonNull("snapshotFile", file);
            this.noSnapshotFile = false;
            return this;
        }

        /** Keeps no snapshot file (and then no ciphertext in memory either); degraded start is impossible. */
        public Builder noSnapshotFile() {
            this.snapshotFile = null;
            this.noSnapshotFile = true;
            return this;
        }

        /**
         * How often the snapshot file is rewritten at most; 10 seconds by default.
         *
         * @throws ValidationException unless between 10 milliseconds and 1 hour
         */
        public Builder snapshotInterval(Duration interval) {
            this.snapshotInterval = Arguments.requireBetween("snapshotInterval", interval, Duration.ofMillis(10),
                    Duration.ofHours(1));
            return this;
        }

        /**
         * Whether {@link #build()} starts from the snapshot file, DEGRADED and read-only, when the store cannot be
         * opened or read; false (fail fast) by default. With it, {@link #build()} also loads every section at once.
         */
        public Builder degradedStart(boolean enabled) {
            this.degradedStart = enabled;
            return this;
        }

        /**
         * How old the configuration served while the store is away may be; past it the service turns DOWN (on its own
         * timer, told to {@link #onHealthChange} listeners, with or without reads) and reads fail with
         * {@link StoreUnavailableException}. Unlimited by default.
         *
         * @throws ValidationException unless between 1 second and 365 days
         */
        public Builder maxStaleness(Duration limit) {
            this.maxStaleness = Arguments.requireBetween("maxStaleness", limit, Duration.ofSeconds(1),
                    Duration.ofDays(365));
            return this;
        }

        /**
         * The recovery probe's waits: the first, doubled after each failure up to the longest, each drawn between
         * half and all of that bound (jitter). 500 milliseconds and 30 seconds by default.
         *
         * @throws ValidationException unless 10 ms &lt;= initial &lt;= max &lt;= 1 hour
         */
        public Builder recoveryBackoff(Duration initial, Duration max) {
            Duration first = Arguments.requireBetween("recoveryBackoff initial", initial, Duration.ofMillis(10),
                    Duration.ofHours(1));
            this.recoveryMaxBackoff = Arguments.requireBetween("recoveryBackoff max", max, first, Duration.ofHours(1));
            this.recoveryInitialBackoff = first;
            return this;
        }

        /**
         * How often a service that is UP checks that its store answers (one cheap query); 5 seconds by default.
         *
         * @throws ValidationException unless between 10 milliseconds and 1 hour
         */
        public Builder healthCheckInterval(Duration interval) {
            this.healthCheckInterval = Arguments.requireBetween("healthCheckInterval", interval,
                    Duration.ofMillis(10), Duration.ofHours(1));
            return this;
        }

        /**
         * How many keys' uses are buffered at most (one entry per key); uses of further keys are dropped while the
         * buffer is full. 10,000 by default.
         *
         * @throws ValidationException unless between 1 and 1,000,000
         */
        public Builder usageBufferLimit(int limit) {
            if (limit < 1 || limit > 1_000_000) {
                throw new ValidationException("usageBufferLimit must be between 1 and 1000000, got " + limit);
            }
            this.usageBufferLimit = limit;
            return this;
        }

        /**
         * The name of the store, written into the snapshot and checked when the snapshot is read at start, so that
         * a snapshot of another store is never served. By default, how the store set describes itself when it
         * opens; required for a degraded start of a service built on a {@link StoreOpener}, whose store may not open.
         *
         * @throws ValidationException when blank or longer than 500 characters
         */
        public Builder storeIdentity(String identity) {
            Arguments.requireNonNull("storeIdentity", identity);
            if (identity.isBlank() || identity.length() > 500) {
                throw new ValidationException("storeIdentity must be 1 to 500 characters and not blank");
            }
            this.storeIdentity = identity;
            return this;
        }

        /**
         * The store's cipher, to reveal API keys from the snapshot when the service started without ever opening
         * the store. Not needed otherwise: the open store set's cipher is used.
         */
        public Builder snapshotCipher(SecretCipher cipher) {
            this.snapshotCipher = Arguments.requireNonNull("snapshotCipher", cipher);
            return this;
        }

        /**
         * When the store cannot be opened (for instance its migration fails), start on the file store in
         * {@code directory} instead, read-only (writes fail with {@link StoreUnavailableException}), DEGRADED, with a
         * warning; the recovery probe keeps trying the store and switches to it once it opens. Only for a service
         * built on a {@link StoreOpener}; needs config-store-file on the class path.
         *
         * @throws ValidationException when an argument is null
         */
        public Builder fallbackToFile(Path directory, CipherSource cipher) {
            Arguments.requireNonNull("directory", directory);
            Arguments.requireNonNull("cipher", cipher);
            this.fallbackOpener = () -> StoreSets.open("file:" + directory, cipher);
            return this;
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
         * The clock of the time-to-live, of recorded uses, of health times and of the deadlines of the maximum
         * staleness and the snapshot interval; the system UTC clock by default. Only {@link Clock#millis()} is read
         * on the read path. Timers wake at their deadline on this clock, or after one health-check interval at most
         * to read it again; the background flush and the probe's backoff wait real time.
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
         * @throws StoreUnavailableException when the store cannot be opened or read and neither a degraded start
         *     from a valid snapshot nor a fallback was possible; the message says why
         * @throws ValidationException when a fallback is set on a service built on a store set
         */
        public ConfigurationService build() {
            if (fallbackOpener != null && stores != null) {
                throw new ValidationException("fallbackToFile needs a service built on a StoreOpener"
                        + " (ConfigurationService.opening(() -> ...open())), so that a store that fails to open can"
                        + " be replaced");
            }
            return new ConfigurationService(this);
        }

    }
}
