package io.configstore.service;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeListener;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * One attempt of the recovery probe: open or read the store; when it answers, switch to it, reload every section,
 * tell subscribers what changed while it was away ({@link RecoveryDiff}), listen to its feed again and be UP.
 */
final class Recovery {
    private final String tenantId;
    private final Clock clock;
    private final StoreOpener opener;
    private final CurrentStore store;
    private final SectionLoader loader;
    private final SnapshotKeeper keeper;
    private final HealthMonitor health;
    /** The service's own listener on the store's change feed. */
    private final ChangeListener feed;
    /** Tells the service's subscribers of one change. */
    private final ChangeListener tell;
    private final Runnable dropSections;
    /** Writes the API key uses buffered during the outage, off the probe's thread. */
    private final Runnable flushUsageSoon;

    Recovery(String tenantId, Clock clock, StoreOpener opener, CurrentStore store, SectionLoader loader,
             SnapshotKeeper keeper, HealthMonitor health, ChangeListener feed, ChangeListener tell,
             Runnable dropSections, Runnable flushUsageSoon) {
        this.tenantId = tenantId;
        this.clock = clock;
        this.opener = opener;
        this.store = store;
        this.loader = loader;
        this.keeper = keeper;
        this.health = health;
        this.feed = feed;
        this.tell = tell;
        this.dropSections = dropSections;
        this.flushUsageSoon = flushUsageSoon;
    }

    /**
     * Tries the store once.
     *
     * @throws RuntimeException when the store does not answer; a store set this attempt opened is closed again
     */
    void attempt() {
        StoreSet opened = null;
        try {
            StoreSet target = store.stores();
            if (target == null || health.onFallback()) {
                opened = opener.open();
                target = opened;
            }
            TenantStores from = target.forTenant(tenantId);
            ProviderSnapshot p = SectionLoader.readProviders(from);
            ApiKeySnapshot k = loader.readApiKeys(from);
            DocumentSnapshot d = SectionLoader.readDocuments(from);
            recovered(target, opened != null, p, k, d);
        } catch (RuntimeException e) {
            if (opened != null) {
                try {
                    opened.close();
                } catch (RuntimeException ignored) {
                    // Closing a store set that never answered: the probe's failure is what matters.
                }
            }
            throw e;
        }
    }

    private void recovered(StoreSet target, boolean newlyOpened, ProviderSnapshot p, ApiKeySnapshot k,
                           DocumentSnapshot d) {
        List<ChangeEvent> changes = RecoveryDiff.between(tenantId, keeper.providers(), keeper.keys(),
                keeper.documents(), p, k, d);
        Instant now = clock.instant();
        store.switchTo(target, newlyOpened, feed);
        keeper.keepAll(p, k, d, now);
        health.leaveOutage();
        dropSections.run();
        health.setState(ServiceHealth.State.UP, "the store answers again; " + changes.size() + " change(s) made"
                + " while it was away", now);
        for (ChangeEvent change : changes) {
            tell.onChange(change);
        }
        keeper.requestWrite();
        flushUsageSoon.run();
    }
}
