package io.configstore.service;

/**
 * The counters of a {@link ConfigurationService}, read at one moment. Each counter only grows; subtract two readings
 * to see what happened between them. Counted per section (provider configurations, API keys, documents): one read
 * method call counts once in the section it reads.
 *
 * @param hits reads answered from the in-memory snapshot, without touching the store
 * @param misses reads that found their section dropped (by a change, a RESYNC, or never loaded) or past its
 *     time-to-live, and so waited for a load
 * @param reloads loads of a section from the store; lower than {@code misses} when readers that missed together
 *     shared one load
 * @param invalidations times a section was dropped: by a write through the service, a change event the snapshot did
 *     not reflect yet, a RESYNC, {@link ConfigurationService#refresh()}, a unit of work, or a usage flush that wrote
 * @param expirations reloads caused by the time-to-live rather than by a change
 * @param resyncs RESYNC events received from the store set's change feed
 * @param usagesRecorded calls of {@code apiKeys().recordUsage} accepted into the in-memory buffer
 * @param usageWrites {@code lastUsedAt} values written to the store by flushes (at most one per key per flush)
 * @param pendingUsages keys whose latest use is buffered and not yet written
 */
public record CacheStatistics(long hits, long misses, long reloads, long invalidations, long expirations,
                              long resyncs, long usagesRecorded, long usageWrites, int pendingUsages) {
}
