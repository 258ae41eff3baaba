package io.configstore.service;

import io.configstore.error.StoreUnavailableException;
import java.util.function.Supplier;

/**
 * The service's write path, written once for every write method of its three stores: refuse at once while the store
 * is away, run the store's own write, turn DEGRADED when it finds the store away, and drop the section the write
 * touches before returning, also when the write fails, so that a read that starts afterwards sees the write or
 * something later.
 */
final class WriteThrough {
    private final ConfigurationService service;
    private final CachedSection<?> section;

    WriteThrough(ConfigurationService service, CachedSection<?> section) {
        this.service = service;
        this.section = section;
    }

    /** Runs {@code write} through to the store and returns what it returned. */
    <T> T call(Supplier<T> write) {
        service.checkWritable();
        try {
            return write.get();
        } catch (StoreUnavailableException e) {
            throw service.storeLost(e);
        } finally {
            section.invalidate();
        }
    }

    /** Runs {@code write}, which returns nothing, through to the store. */
    void run(Runnable write) {
        call(() -> {
            write.run();
            return null;
        });
    }
}
