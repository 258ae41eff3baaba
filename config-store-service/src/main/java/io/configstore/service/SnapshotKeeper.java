package io.configstore.service;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import io.configstore.model.ApiKeyMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last-known-good configuration: what the service last loaded from the store (or read from its snapshot file at
 * a degraded start), served while the store is away, and its copy in the snapshot file, written atomically by
 * {@link SnapshotFile} at most once per interval, off the caller's thread, and only when the revisions changed.
 */
final class SnapshotKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotKeeper.class);

    private final String tenantId;
    private final Clock clock;
    private final Path file;
    private final Duration interval;
    private final MaintenanceTimers timers;
    /** True while the service is UP on its own store: only then is what it loaded worth writing. */
    private final BooleanSupplier servingStore;
    private final Supplier<String> storeIdentity;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile ProviderSnapshot providers;
    private volatile ApiKeySnapshot keys;
    private volatile DocumentSnapshot documents;
    private volatile Instant lastSync;
    private volatile Instant writtenAt;
    private volatile String writtenRevisions;
    /** When the snapshot file was last written, by {@link #clock}. */
    private volatile long lastWriteMillis;

    SnapshotKeeper(String tenantId, Clock clock, Path file, Duration interval, MaintenanceTimers timers,
                   BooleanSupplier servingStore, Supplier<String> storeIdentity) {
        this.tenantId = tenantId;
        this.clock = clock;
        this.file = file;
        this.interval = interval;
        this.timers = timers;
        this.servingStore = servingStore;
        this.storeIdentity = storeIdentity;
    }

    ProviderSnapshot providers() {
        return providers;
    }

    ApiKeySnapshot keys() {
        return keys;
    }

    DocumentSnapshot documents() {
        return documents;
    }

    /** Keeps provider configurations just loaded from the store, synced now. */
    void keepProviders(ProviderSnapshot loaded) {
        providers = loaded;
        synced();
    }

    /** Keeps API keys just loaded from the store, synced now. */
    void keepKeys(ApiKeySnapshot loaded) {
        keys = loaded;
        synced();
    }

    /** Keeps documents just loaded from the store, synced now. */
    void keepDocuments(DocumentSnapshot loaded) {
        documents = loaded;
        synced();
    }

    private void synced() {
        lastSync = clock.instant();
        requestWrite();
    }

    /** Keeps every section, read from the store together at {@code at}; writes nothing yet. */
    void keepAll(ProviderSnapshot p, ApiKeySnapshot k, DocumentSnapshot d, Instant at) {
        providers = p;
        keys = k;
        documents = d;
        lastSync = at;
    }

    /** Starts from a snapshot read from the file: what it holds is what was served, and what the file holds. */
    void seed(LastKnownGood snapshot) {
        Map<String, Optional<ApiKeyMetadata>> active = new HashMap<>();
        Map<String, ApiKeyMetadata> byId = new HashMap<>();
        snapshot.apiKeys().forEach(key -> byId.put(key.id(), key));
        for (ApiKeyMetadata key : snapshot.apiKeys()) {
            String activeId = snapshot.activeKeyIds().get(key.providerType());
            active.put(key.providerType(), Optional.ofNullable(activeId == null ? null : byId.get(activeId)));
        }
        providers = ProviderSnapshot.of(snapshot.providers());
        keys = new ApiKeySnapshot(snapshot.apiKeys(), active, snapshot.sealed());
        documents = new DocumentSnapshot(snapshot.documents());
        lastSync = snapshot.syncedAt();
        writtenAt = snapshot.syncedAt();
        writtenRevisions = snapshot.revisions();
    }

    /** True once every section is kept. */
    boolean holdsAll() {
        return providers != null;
    }

    /** When what is kept was last read from the store; null before the first load. */
    Instant lastSync() {
        return lastSync;
    }

    /** The snapshot file, or null when none is kept. */
    Path file() {
        return file;
    }

    /** When the snapshot file was last written (or the sync time of the snapshot started from). */
    Instant writtenAt() {
        return writtenAt;
    }

    /** The revisions fingerprint of the snapshot file last written. */
    String writtenRevisions() {
        return writtenRevisions;
    }

    /** Writes the snapshot file soon (at most once per interval), off the caller's thread. */
    void requestWrite() {
        if (file == null || timers.stopped() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        long last = Math.min(lastWriteMillis, clock.millis());
        if (!timers.at(last + interval.toMillis(), this::write)) {
            scheduled.set(false);
        }
    }

    private void write() {
        scheduled.set(false);
        long sinceLast = clock.millis() - lastWriteMillis;
        if (sinceLast >= 0 && sinceLast < interval.toMillis()) {
            // Woken to read the clock again (see MaintenanceTimers), not yet due. A clock set back does not stall it.
            requestWrite();
            return;
        }
        ProviderSnapshot p = providers;
        ApiKeySnapshot k = keys;
        DocumentSnapshot d = documents;
        Instant synced = lastSync;
        if (!servingStore.getAsBoolean() || p == null || k == null || d == null || synced == null) {
            return;
        }
        LastKnownGood snapshot = new LastKnownGood(storeIdentity.get(), tenantId, synced, p.all(), k.all(),
                k.activeIds(), k.sealedById(), d.all());
        String revisions = snapshot.revisions();
        if (revisions.equals(writtenRevisions) && writtenAt != null) {
            return;
        }
        try {
            SnapshotFile.write(file, snapshot);
            writtenRevisions = revisions;
            writtenAt = clock.instant();
            lastWriteMillis = clock.millis();
            LOG.debug("configuration service of tenant {} wrote its snapshot {} (revisions {})", tenantId, file,
                    revisions);
        } catch (RuntimeException e) {
            LOG.warn("configuration service of tenant {}: writing the snapshot failed; the previous one stays",
                    tenantId, e);
        }
    }
}
