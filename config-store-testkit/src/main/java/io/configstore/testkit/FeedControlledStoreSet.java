package io.configstore.testkit;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.migration.SchemaMigrator;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.ConfigStore;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.SecretMaintenance;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store set whose change feed a test can interrupt and resume with a RESYNC: the in-memory and file backends
 * never lose a notification nor send RESYNC by themselves, so this is how their tests lose one. Storage calls go
 * straight to the real store set; only the feed passes through here.
 */
public final class FeedControlledStoreSet implements StoreSet {
    private final StoreSet real;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile boolean muted;

    /** Wraps {@code real}, which it closes when closed. */
    public FeedControlledStoreSet(StoreSet real) {
        this.real = real;
        real.subscribe(this::deliver);
    }

    private void deliver(ChangeEvent event) {
        if (muted) {
            dropped.incrementAndGet();
            return;
        }
        for (ChangeListener listener : listeners) {
            listener.onChange(event);
        }
    }

    /** Drops every event from now on, as a lost notification connection would. */
    public void mute() {
        muted = true;
    }

    /** Events dropped so far. */
    public int dropped() {
        return dropped.get();
    }

    /** Delivers events again, starting with a RESYNC, as a reconnected feed does. */
    public void resumeWithResync() {
        muted = false;
        deliver(ChangeEvent.resync(io.configstore.change.ChangeOrigin.REMOTE));
    }

    @Override
    public Subscription subscribe(ChangeListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public <T, X extends Exception> T inUnitOfWork(UnitOfWork<T, X> work) throws X {
        return real.inUnitOfWork(work);
    }

    @Override
    public List<String> tenantIds() {
        return real.tenantIds();
    }

    @Override
    public SecretMaintenance secrets() {
        return real.secrets();
    }

    @Override
    public SchemaMigrator schema() {
        return real.schema();
    }

    @Override
    public void close() {
        real.close();
    }

    @Override
    public String tenantId() {
        return real.tenantId();
    }

    @Override
    public ProviderConfigStore providers() {
        return real.providers();
    }

    @Override
    public ApiKeyStore apiKeys() {
        return real.apiKeys();
    }

    @Override
    public ConfigStore documents() {
        return real.documents();
    }

    @Override
    public TenantStores forTenant(String tenantId) {
        return real.forTenant(tenantId);
    }
}
