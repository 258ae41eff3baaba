package io.configstore.service;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One cached section of the service (provider configurations, API keys or documents): an immutable snapshot loaded
 * from the store, dropped on a change and reloaded on the next read.
 *
 * <p><b>No lost invalidation.</b> The state is one immutable value swapped atomically; every invalidation replaces it
 * with a new, empty state of the next generation. A reload publishes its result only with a compare-and-set against
 * the exact state it saw before it started reading, so a snapshot read before (or while) a write committed is never
 * published once that write's invalidation has happened.
 *
 * <p><b>Hot path.</b> A hit is one volatile read, one clock read ({@link Clock#millis()}) and one counter increment:
 * no allocation, no lock, no store call.
 */
final class CachedSection<S> {
    /** What is served now: a snapshot and when its load started, or nothing ({@code value == null}). */
    private record State<S>(long generation, S value, long loadedAtMillis) {
    }

    private final Supplier<S> loader;
    private final Clock clock;
    private final long ttlMillis;
    private final ServiceCounters counters;
    private final BooleanSupplier insideUnitOfWork;
    private final AtomicReference<State<S>> state = new AtomicReference<>(new State<>(0, null, 0));
    /** One reload at a time: readers that miss together wait for it instead of each querying the store. */
    private final ReentrantLock reloading = new ReentrantLock();

    CachedSection(Supplier<S> loader, Clock clock, long ttlMillis, ServiceCounters counters,
                  BooleanSupplier insideUnitOfWork) {
        this.loader = loader;
        this.clock = clock;
        this.ttlMillis = ttlMillis;
        this.counters = counters;
        this.insideUnitOfWork = insideUnitOfWork;
    }

    /** The current snapshot, loading it when it was dropped or is past its time-to-live; counts a hit or a miss. */
    S read() {
        State<S> current = state.get();
        if (current.value != null && clock.millis() - current.loadedAtMillis < ttlMillis) {
            counters.hits.increment();
            return current.value;
        }
        counters.misses.increment();
        return reload();
    }

    /** Like {@link #read()}, without counting: for reads the service makes on its own behalf. */
    S readUncounted() {
        State<S> current = state.get();
        if (current.value != null && clock.millis() - current.loadedAtMillis < ttlMillis) {
            return current.value;
        }
        return reload();
    }

    /** The snapshot served now, or null when none is; never loads. */
    S loaded() {
        return state.get().value;
    }

    /** How many times this section was dropped since the service started. */
    long generation() {
        return state.get().generation;
    }

    private S reload() {
        if (insideUnitOfWork.getAsBoolean()) {
            // A load on a thread running a unit of work would see the unit's uncommitted writes: hand it to this
            // caller only, never publish it for other threads.
            counters.reloads.increment();
            return loader.get();
        }
        reloading.lock();
        try {
            State<S> seen = state.get();
            long now = clock.millis();
            if (seen.value != null) {
                if (now - seen.loadedAtMillis < ttlMillis) {
                    return seen.value;
                }
                counters.expirations.increment();
            }
            S fresh = loader.get();
            counters.reloads.increment();
            // Fails when an invalidation happened since 'seen': the load may predate that change, so it is handed
            // to this reader (whose read overlapped the write) but not kept; the next read loads again.
            state.compareAndSet(seen, new State<>(seen.generation, fresh, now));
            return fresh;
        } finally {
            reloading.unlock();
        }
    }

    /** Drops the snapshot, and makes any reload already running unable to publish what it read. */
    void invalidate() {
        State<S> seen;
        do {
            seen = state.get();
        } while (!state.compareAndSet(seen, new State<>(seen.generation + 1, null, 0)));
        counters.invalidations.increment();
    }
}
