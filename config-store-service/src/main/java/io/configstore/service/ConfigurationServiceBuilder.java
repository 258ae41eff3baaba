package io.configstore.service;

import io.configstore.StoreSets;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.StorageException;
import io.configstore.error.StoreUnavailableException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Collects the options of a {@link ConfigurationService}, from {@link ConfigurationService#builder(StoreSet)} or
 * {@link ConfigurationService#opening(StoreOpener)}; each setter validates its value at once, naming the option and
 * the allowed range. Chained calls read as they did when this was {@code ConfigurationService.Builder}. Not
 * thread-safe; the service it builds is.
 */
public final class ConfigurationServiceBuilder {
    final StoreSet stores;
    final StoreOpener opener;
    StoreOpener fallbackOpener;
    Duration ttl = ConfigurationService.DEFAULT_TTL;
    Duration usageFlushInterval = ConfigurationService.DEFAULT_USAGE_FLUSH_INTERVAL;
    Clock clock = Clock.systemUTC();
    String tenantId = TenantStores.DEFAULT_TENANT;
    Path snapshotFile;
    boolean noSnapshotFile;
    Duration snapshotInterval = ConfigurationService.DEFAULT_SNAPSHOT_INTERVAL;
    boolean degradedStart;
    Duration maxStaleness;
    Duration recoveryInitialBackoff = ConfigurationService.DEFAULT_RECOVERY_INITIAL_BACKOFF;
    Duration recoveryMaxBackoff = ConfigurationService.DEFAULT_RECOVERY_MAX_BACKOFF;
    Duration healthCheckInterval = ConfigurationService.DEFAULT_HEALTH_CHECK_INTERVAL;
    int usageBufferLimit = ConfigurationService.DEFAULT_USAGE_BUFFER_LIMIT;
    String storeIdentity;
    SecretCipher snapshotCipher;

    ConfigurationServiceBuilder(StoreSet stores) {
        this.stores = stores;
        this.opener = () -> stores;
    }

    ConfigurationServiceBuilder(StoreOpener opener) {
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
    public ConfigurationServiceBuilder snapshotFile(Path file) {
        this.snapshotFile = Arguments.requireNonNull("snapshotFile", file);
        this.noSnapshotFile = false;
        return this;
    }

    /** Keeps no snapshot file (and then no ciphertext in memory either); degraded start is impossible. */
    public ConfigurationServiceBuilder noSnapshotFile() {
        this.snapshotFile = null;
        this.noSnapshotFile = true;
        return this;
    }

    /**
     * How often the snapshot file is rewritten at most; 10 seconds by default.
     *
     * @throws ValidationException unless between 10 milliseconds and 1 hour
     */
    public ConfigurationServiceBuilder snapshotInterval(Duration interval) {
        this.snapshotInterval = Arguments.requireBetween("snapshotInterval", interval, Duration.ofMillis(10),
                Duration.ofHours(1));
        return this;
    }

    /**
     * Whether {@link #build()} starts from the snapshot file, DEGRADED and read-only, when the store cannot be
     * opened or read; false (fail fast) by default. With it, {@link #build()} also loads every section at once.
     */
    public ConfigurationServiceBuilder degradedStart(boolean enabled) {
        this.degradedStart = enabled;
        return this;
    }

    /**
     * How old the configuration served while the store is away may be; past it the service turns DOWN (on its own
     * timer, told to {@link ConfigurationService#onHealthChange} listeners, with or without reads) and reads fail with
     * {@link StoreUnavailableException}. Unlimited by default.
     *
     * @throws ValidationException unless between 1 second and 365 days
     */
    public ConfigurationServiceBuilder maxStaleness(Duration limit) {
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
    public ConfigurationServiceBuilder recoveryBackoff(Duration initial, Duration max) {
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
    public ConfigurationServiceBuilder healthCheckInterval(Duration interval) {
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
    public ConfigurationServiceBuilder usageBufferLimit(int limit) {
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
    public ConfigurationServiceBuilder storeIdentity(String identity) {
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
    public ConfigurationServiceBuilder snapshotCipher(SecretCipher cipher) {
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
    public ConfigurationServiceBuilder fallbackToFile(Path directory, CipherSource cipher) {
        Arguments.requireNonNull("directory", directory);
        Arguments.requireNonNull("cipher", cipher);
        this.fallbackOpener = () -> StoreSets.open("file:" + directory, cipher);
        return this;
    }

    /**
     * How long a loaded snapshot is served at most without a change notification: the bound on staleness when a
     * notification is lost. 5 minutes by default.
     *
     * @throws ValidationException unless between {@link ConfigurationService#MIN_TTL} and
     *     {@link ConfigurationService#MAX_TTL}
     */
    public ConfigurationServiceBuilder ttl(Duration timeToLive) {
        this.ttl = Arguments.requireBetween("ttl", timeToLive, ConfigurationService.MIN_TTL,
                ConfigurationService.MAX_TTL);
        return this;
    }

    /**
     * How often buffered API key uses are written: also the most a crash can lose. 10 seconds by default.
     *
     * @throws ValidationException unless between {@link ConfigurationService#MIN_USAGE_FLUSH_INTERVAL} and
     *     {@link ConfigurationService#MAX_USAGE_FLUSH_INTERVAL}
     */
    public ConfigurationServiceBuilder usageFlushInterval(Duration interval) {
        this.usageFlushInterval = Arguments.requireBetween("usageFlushInterval", interval,
                ConfigurationService.MIN_USAGE_FLUSH_INTERVAL, ConfigurationService.MAX_USAGE_FLUSH_INTERVAL);
        return this;
    }

    /**
     * The clock of the time-to-live, of recorded uses, of health times and of the deadlines of the maximum
     * staleness and the snapshot interval; the system UTC clock by default. Only {@link Clock#millis()} is read
     * on the read path. Timers wake at their deadline on this clock, or after one health-check interval at most
     * to read it again; the background flush and the probe's backoff wait real time.
     */
    public ConfigurationServiceBuilder clock(Clock timeSource) {
        this.clock = Arguments.requireNonNull("clock", timeSource);
        return this;
    }

    /** The tenant the service reads and writes; {@value TenantStores#DEFAULT_TENANT} by default. */
    public ConfigurationServiceBuilder tenant(String tenant) {
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
