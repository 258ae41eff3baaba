package io.configstore.service;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import io.configstore.error.NotFoundException;
import io.configstore.store.StoreSet;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API key uses not yet written: the latest use per key, held in memory and written by {@link #flush()} in one
 * transaction, at most one {@code lastUsedAt} write per key however many uses were recorded.
 *
 * <p>Bounded by the number of keys of the tenant (only ids present in the service's snapshot are accepted) and by
 * the service's {@code usageBufferLimit}: past it, uses of keys not yet buffered are dropped.
 */
final class UsageBuffer {
    private static final Logger LOG = LoggerFactory.getLogger(UsageBuffer.class);

    private final Supplier<StoreSet> stores;
    private final int limit;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean overflowing;
    private final String tenantId;
    private final Clock clock;
    private final ServiceCounters counters;
    private final Runnable afterWrite;
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();

    UsageBuffer(Supplier<StoreSet> stores, String tenantId, Clock clock, ServiceCounters counters, Runnable afterWrite,
                int limit) {
        this.stores = stores;
        this.limit = limit;
        this.tenantId = tenantId;
        this.clock = clock;
        this.counters = counters;
        this.afterWrite = afterWrite;
    }

    /** Notes a use of key {@code id} now; a later use of the same key replaces an earlier one. */
    void record(String id) {
        // Bounded while the store is away: a key already buffered only moves its time; a new key past the limit is
        // dropped (its lastUsedAt stays older), counted, and logged once per overflow.
        if (pending.size() >= limit && !pending.containsKey(id)) {
            dropped.incrementAndGet();
            if (!overflowing) {
                overflowing = true;
                LOG.warn("the API key usage buffer of tenant {} is full ({} keys waiting for the store); uses of"
                        + " other keys are dropped until it is flushed", tenantId, limit);
            }
            return;
        }
        pending.merge(id, clock.instant(), UsageBuffer::later);
        counters.usagesRecorded.increment();
    }

    /** Uses dropped since start because the buffer was full. */
    long droppedCount() {
        return dropped.get();
    }

    /** Keys whose latest use is not written yet. */
    int pendingCount() {
        return pending.size();
    }

    /** The latest buffered use of key {@code id}, or null when none is buffered. */
    Instant pendingUse(String id) {
        return pending.get(id);
    }

    /**
     * Writes every buffered use in one transaction (a key deleted meanwhile is skipped), and puts them back when the
     * store fails, so that the next flush tries again.
     *
     * @return how many keys' {@code lastUsedAt} were written
     */
    synchronized int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        StoreSet stores = this.stores.get();
        Map<String, Instant> batch = new LinkedHashMap<>();
        for (String id : pending.keySet()) {
            Instant at = pending.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        int written;
        try {
            written = stores.inUnitOfWork(tx -> {
                int count = 0;
                for (String id : batch.keySet()) {
                    try {
                        // A savepoint per key: a key deleted since its use was recorded must not undo the others.
                        stores.inUnitOfWork(inner -> {
                            inner.forTenant(tenantId).apiKeys().recordUsage(id);
                            return null;
                        });
                        count++;
                    } catch (NotFoundException deleted) {
                        LOG.debug("API key {} of tenant {} was deleted before its use was written; skipped", id,
                                tenantId);
                    }
                }
                return count;
            });
        } catch (RuntimeException e) {
            batch.forEach((id, at) -> pending.merge(id, at, UsageBuffer::later));
            throw e;
        }
        counters.usageWrites.add(written);
        overflowing = false;
        if (written > 0) {
            afterWrite.run();
        }
        return written;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
