package io.configstore.service;

import io.configstore.change.Subscription;
import io.configstore.error.StoreUnavailableException;
import io.configstore.internal.Arguments;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's health: the state (UP, DEGRADED, DOWN) with since when and why, its transitions, logged once and
 * told to {@link HealthListener}s, and the timers that move it without anyone calling: the health check while UP,
 * the staleness timer that turns DEGRADED into DOWN past the maximum staleness, and the recovery probe, retried with
 * exponential backoff and jitter until the store answers.
 */
final class HealthMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    /** What the monitor asks of the service. */
    interface Actions {
        /** One cheap store call; throws {@link StoreUnavailableException} when the store is away. */
        void checkStore();

        /** Reads the store and, when it answers, returns the service to it; throws when it does not answer. */
        void recover();

        /** Drops every cached section, so that the next read goes where the state now says. */
        void dropSections();
    }

    private final String tenantId;
    private final Clock clock;
    private final Duration maxStaleness;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final MaintenanceTimers timers;
    private final SnapshotKeeper keeper;
    private final UsageBuffer usage;
    private final BooleanSupplier storeOpened;
    private final Actions actions;
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private final Object stateLock = new Object();
    private final AtomicBoolean stalenessScheduled = new AtomicBoolean();
    private final AtomicBoolean probeScheduled = new AtomicBoolean();
    private volatile ServiceHealth.State state = ServiceHealth.State.UP;
    private volatile Instant since;
    private volatile String reason = "the store answers";
    /** Serving the read-only fallback store: DEGRADED, but reads go to that store. */
    private volatile boolean readOnlyFallback;
    /** Failed probes since the outage began; only the maintenance thread touches it. */
    private int probeAttempts;

    HealthMonitor(String tenantId, Clock clock, Duration maxStaleness, Duration initialBackoff, Duration maxBackoff,
                  MaintenanceTimers timers, SnapshotKeeper keeper, UsageBuffer usage, BooleanSupplier storeOpened,
                  Actions actions) {
        this.tenantId = tenantId;
        this.clock = clock;
        this.maxStaleness = maxStaleness;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.timers = timers;
        this.keeper = keeper;
        this.usage = usage;
        this.storeOpened = storeOpened;
        this.actions = actions;
        this.since = clock.instant();
    }

    /** Starts the health check; when the service starts away from its store, the probe and the staleness timer. */
    void start(Duration healthCheckInterval) {
        timers.every(healthCheckInterval, this::checkHealth);
        if (state != ServiceHealth.State.UP) {
            scheduleProbe();
            scheduleStalenessCheck();
        }
    }

    /** The state at start, logged by the caller once: no transition (no one listens yet). */
    void startIn(ServiceHealth.State initial, String why, Instant at) {
        state = initial;
        reason = why;
        since = at;
    }

    /** Starts DEGRADED on the read-only fallback store. */
    void startOnFallback(String why, Instant at) {
        readOnlyFallback = true;
        startIn(ServiceHealth.State.DEGRADED, why, at);
    }

    /** The state now. */
    ServiceHealth.State state() {
        return state;
    }

    /** Since when the state holds. */
    Instant since() {
        return since;
    }

    /** UP on the service's own store: writes go through, and what is loaded is the last-known-good. */
    boolean servingStore() {
        return state == ServiceHealth.State.UP && !readOnlyFallback;
    }

    /** Reads go to a store (the service's own, or the read-only fallback), not to the last-known-good. */
    boolean readingStore() {
        return state == ServiceHealth.State.UP || readOnlyFallback;
    }

    /** Serving the read-only fallback store. */
    boolean onFallback() {
        return readOnlyFallback;
    }

    /** Fails at once while the store is away (nothing is written or queued). */
    void checkWritable() {
        if (!servingStore()) {
            throw new StoreUnavailableException("the configuration service of tenant '" + tenantId + "' is "
                    + state + " since " + since + " (" + reason + "); writes, rotations and units of work"
                    + " fail at once while the store is away: nothing was written and nothing is queued; retry"
                    + " once health() is UP", since);
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
            actions.dropSections();
            scheduleStalenessCheck();
            scheduleProbe();
        }
        return new StoreUnavailableException("the store of the configuration service of tenant '" + tenantId
                + "' is away since " + since + ": " + cause.getMessage() + "; nothing is queued for replay:"
                + " check the outcome once health() is UP", since, cause);
    }

    /** The store answers again: the outage (and the fallback) is over; the caller then turns UP. */
    void leaveOutage() {
        readOnlyFallback = false;
        probeAttempts = 0;
    }

    /**
     * The health now: UP, DEGRADED or DOWN, since when and why, the last successful sync, the snapshot's age and
     * revisions, the change feed's state and the buffered usage.
     */
    ServiceHealth health() {
        Instant now = clock.instant();
        Instant synced = keeper.lastSync();
        ServiceHealth.State current = state;
        String feedState = !storeOpened.getAsBoolean() ? "NONE"
                : current == ServiceHealth.State.UP || readOnlyFallback ? "LISTENING" : "INTERRUPTED";
        String revisions = keeper.writtenRevisions();
        return new ServiceHealth(current, since, reason, synced, keeper.file(), keeper.writtenAt(),
                synced == null ? null : Duration.between(synced, now), revisions, feedState, usage.pendingCount(),
                usage.droppedCount());
    }

    /** Tells {@code listener} of every transition from now on. */
    Subscription onHealthChange(HealthListener listener) {
        Arguments.requireNonNull("listener", listener);
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Forgets every listener (the service closes). */
    void clearListeners() {
        listeners.clear();
    }

    /** Moves to {@code to}; a transition is logged once and told to the listeners. */
    void setState(ServiceHealth.State to, String why, Instant at) {
        ServiceHealth previous;
        ServiceHealth current;
        synchronized (stateLock) {
            if (state == to && why.equals(reason)) {
                return;
            }
            previous = health();
            boolean transition = state != to;
            state = to;
            reason = why;
            if (transition) {
                since = at;
            }
            current = health();
            if (!transition) {
                return;
            }
        }
        if (to == ServiceHealth.State.UP) {
            LOG.info("configuration service of tenant {}: {} -> UP at {}: {}", tenantId, previous.state(), at, why);
        } else {
            LOG.warn("configuration service of tenant {}: {} -> {} at {}: {}", tenantId, previous.state(), to, at,
                    why);
        }
        for (HealthListener listener : listeners) {
            try {
                listener.onHealthChange(previous, current);
            } catch (RuntimeException e) {
                LOG.warn("a health listener of the configuration service of tenant {} failed", tenantId, e);
            }
        }
    }

    /** True when what is kept is older than the maximum staleness. */
    boolean staleBeyondLimit() {
        Instant synced = keeper.lastSync();
        return maxStaleness != null && synced != null
                && Duration.between(synced, clock.instant()).compareTo(maxStaleness) > 0;
    }

    /** Why the configuration kept is not served: it is older than the maximum staleness. */
    String tooOld() {
        return "is older than the maximum staleness " + maxStaleness;
    }

    /** DEGRADED to DOWN, checked and done under the state lock, so that a recovery at the same moment wins. */
    void turnDownIfStale() {
        synchronized (stateLock) {
            if (state == ServiceHealth.State.DEGRADED && !readOnlyFallback && staleBeyondLimit()) {
                setState(ServiceHealth.State.DOWN, "the store is away and the last-known-good configuration of "
                        + keeper.lastSync() + " " + tooOld(), clock.instant());
            }
        }
    }

    /**
     * With a maximum staleness, the timer that turns a DEGRADED service DOWN when what it serves becomes too old,
     * whether or not anyone reads: due at the clock's deadline ({@code lastSync + maxStaleness}).
     */
    private void scheduleStalenessCheck() {
        Instant synced = keeper.lastSync();
        if (maxStaleness == null || synced == null || timers.stopped()
                || !stalenessScheduled.compareAndSet(false, true)) {
            return;
        }
        if (!timers.at(synced.plus(maxStaleness).toEpochMilli() + 1, this::checkStaleness)) {
            stalenessScheduled.set(false);
        }
    }

    private void checkStaleness() {
        stalenessScheduled.set(false);
        if (timers.stopped() || state != ServiceHealth.State.DEGRADED || readOnlyFallback) {
            // UP again (the next outage starts a new timer), already DOWN, or serving a fallback store.
            return;
        }
        if (!staleBeyondLimit()) {
            scheduleStalenessCheck();
            return;
        }
        turnDownIfStale();
        // Sections loaded are dropped, so that the next read fails instead of answering from them.
        actions.dropSections();
    }

    /** While UP, notices an outage even when no one calls. */
    private void checkHealth() {
        if (timers.stopped() || !servingStore()) {
            return;
        }
        try {
            actions.checkStore();
        } catch (StoreUnavailableException e) {
            storeLost(e);
        } catch (RuntimeException e) {
            LOG.debug("configuration service of tenant {}: the health check failed", tenantId, e);
        }
    }

    private void scheduleProbe() {
        if (timers.stopped() || !probeScheduled.compareAndSet(false, true)) {
            return;
        }
        long base = initialBackoff.toMillis();
        long max = maxBackoff.toMillis();
        int shift = Math.min(probeAttempts, 30);
        long bound = Math.min(max, base << shift);
        // Full range between half and all of the bound: instances that lost the store together do not retry together.
        long wait = bound / 2 + ThreadLocalRandom.current().nextLong(bound / 2 + 1);
        if (!timers.after(wait, this::probe)) {
            probeScheduled.set(false);
        }
    }

    /** The recovery probe: try the store; when it fails, wait longer and try again. */
    private void probe() {
        probeScheduled.set(false);
        if (timers.stopped() || servingStore()) {
            return;
        }
        try {
            actions.recover();
        } catch (RuntimeException e) {
            probeAttempts++;
            LOG.debug("configuration service of tenant {}: recovery probe {} failed: {}", tenantId, probeAttempts,
                    e.getMessage());
            scheduleProbe();
        }
    }
}
