package io.configstore.service;

import java.util.concurrent.atomic.LongAdder;

/** The service's counters: adders, so that readers on many threads do not contend on one cache line. */
final class ServiceCounters {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder reloads = new LongAdder();
    final LongAdder invalidations = new LongAdder();
    final LongAdder expirations = new LongAdder();
    final LongAdder resyncs = new LongAdder();
    final LongAdder usagesRecorded = new LongAdder();
    final LongAdder usageWrites = new LongAdder();
}
