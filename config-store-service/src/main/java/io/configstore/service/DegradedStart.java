package io.configstore.service;

import io.configstore.change.ChangeListener;
import io.configstore.error.StoreUnavailableException;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a service whose store cannot be opened or read: on the read-only fallback store when one is set,
 * else DEGRADED (or DOWN, past the maximum staleness) from the last-known-good snapshot when
 * {@link ConfigurationServiceBuilder#degradedStart} allows it and the snapshot is usable, else a fast failure that
 * says why.
 */
final class DegradedStart {
    private static final Logger LOG = LoggerFactory.getLogger(DegradedStart.class);

    private final String tenantId;
    private final Clock clock;
    private final boolean enabled;
    private final StoreOpener fallbackOpener;
    private final CurrentStore store;
    private final HealthMonitor health;
    private final SnapshotKeeper keeper;
    private final SectionLoader loader;
    private final ChangeListener feed;

    DegradedStart(String tenantId, Clock clock, boolean enabled, StoreOpener fallbackOpener, CurrentStore store,
                  HealthMonitor health, SnapshotKeeper keeper, SectionLoader loader, ChangeListener feed) {
        this.tenantId = tenantId;
        this.clock = clock;
        this.enabled = enabled;
        this.fallbackOpener = fallbackOpener;
        this.store = store;
        this.health = health;
        this.keeper = keeper;
        this.loader = loader;
        this.feed = feed;
    }

    /**
     * With a degraded start, loads every section of the store that opened: a store that opened but cannot be read
     * is found at start, and the snapshot file is written as soon as possible.
     *
     * @return the failure to start without the store from, or null when the store answered or no load was made
     */
    StoreUnavailableException preload() {
        if (!enabled) {
            return null;
        }
        try {
            TenantStores from = store.tenantStores();
            ProviderSnapshot p = SectionLoader.readProviders(from);
            ApiKeySnapshot k = loader.readApiKeys(from);
            DocumentSnapshot d = SectionLoader.readDocuments(from);
            keeper.keepAll(p, k, d, clock.instant());
            return null;
        } catch (StoreUnavailableException e) {
            return e;
        }
    }

    /** The store could not be opened or read at start: fall back, start degraded, or fail fast. */
    void startWithoutStore(RuntimeException failure) {
        Instant now = clock.instant();
        if (fallbackOpener != null && store.stores() == null) {
            startOnFallback(failure, now);
            return;
        }
        String hint = "; the service fails fast by default: fix the store, or opt in to starting from the"
                + " last-known-good snapshot with ConfigurationServiceBuilder.degradedStart(true)";
        if (!enabled) {
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened or read (" + Failures.describe(failure) + ")" + hint, now,
                    failure);
        }
        Path snapshotFile = keeper.file();
        if (snapshotFile == null) {
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened or read (" + Failures.describe(failure) + "), and degraded"
                    + " start needs a snapshot file but none is configured; set ConfigurationServiceBuilder"
                    + ".snapshotFile", now, failure);
        }
        String identity = store.identity();
        if (identity == null) {
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened (" + Failures.describe(failure) + "), and without it the"
                    + " service cannot tell whether the snapshot " + snapshotFile + " came from it; name the store"
                    + " with ConfigurationServiceBuilder.storeIdentity", now, failure);
        }
        LastKnownGood snapshot = usableSnapshot(snapshotFile, identity, failure, now);
        keeper.seed(snapshot);
        Duration age = Duration.between(snapshot.syncedAt(), now);
        if (health.staleBeyondLimit()) {
            // Nothing fit to serve: DOWN from the start, as it would be had the service run since the snapshot.
            String reason = "the store cannot be opened or read (" + Failures.describe(failure) + "), and the snapshot "
                    + snapshotFile + " of " + snapshot.syncedAt() + " (age " + age + ") " + health.tooOld();
            LOG.warn("configuration service of tenant {} starts DOWN: {}", tenantId, reason);
            health.startIn(ServiceHealth.State.DOWN, reason, now);
            return;
        }
        String reason = "the store cannot be opened or read (" + Failures.describe(failure) + "); serving the snapshot "
                + snapshotFile + " of " + snapshot.syncedAt() + " (age " + age + ", revisions "
                + snapshot.revisions() + ") read-only";
        LOG.warn("configuration service of tenant {} starts DEGRADED: {}", tenantId, reason);
        health.startIn(ServiceHealth.State.DEGRADED, reason, now);
    }

    private void startOnFallback(RuntimeException failure, Instant now) {
        StoreSet fallback;
        try {
            fallback = fallbackOpener.open();
        } catch (RuntimeException e) {
            e.addSuppressed(failure);
            throw new StoreUnavailableException("opening the store failed (" + Failures.describe(failure) + "), and"
                    + " so did opening the read-only fallback store (" + Failures.describe(e) + "); fix either", now, e);
        }
        store.useOwned(fallback);
        String reason = "serving the read-only fallback store " + fallback + " because the store could not be"
                + " opened: " + Failures.describe(failure);
        health.startOnFallback(reason, now);
        store.listen(feed);
        LOG.warn("configuration service of tenant {} starts DEGRADED: {}; writes fail until the store opens",
                tenantId, reason);
    }

    /** The snapshot file, read and checked: refused (and the start failed) unless it is whole and ours. */
    private LastKnownGood usableSnapshot(Path snapshotFile, String identity, RuntimeException failure, Instant now) {
        LastKnownGood snapshot;
        try {
            snapshot = SnapshotFile.read(snapshotFile);
        } catch (SnapshotFile.SnapshotRejectedException e) {
            LOG.warn("configuration service of tenant {}: the snapshot is refused: {}", tenantId, e.getMessage());
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened or read (" + Failures.describe(failure) + "), and there is"
                    + " no usable snapshot to start from: " + e.getMessage(), now, failure);
        }
        if (!snapshot.storeIdentity().equals(identity) || !snapshot.tenantId().equals(tenantId)) {
            String why = "the snapshot " + snapshotFile + " was written for store '" + snapshot.storeIdentity()
                    + "', tenant '" + snapshot.tenantId() + "', not for store '" + identity + "', tenant '" + tenantId
                    + "'";
            LOG.warn("configuration service of tenant {}: the snapshot is refused: {}", tenantId, why);
            throw new StoreUnavailableException("starting the configuration service of tenant '" + tenantId
                    + "' failed: the store cannot be opened or read (" + Failures.describe(failure) + "), and there is"
                    + " no usable snapshot to start from: " + why + "; it is never served", now, failure);
        }
        return snapshot;
    }
}
