package io.configstore.service;

import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store set the service uses now (none when it never opened), its subscription to that store set's change feed,
 * the name the store is known by in the snapshot, and the store sets the service opened itself and so closes.
 */
final class CurrentStore {
    private static final Logger LOG = LoggerFactory.getLogger(CurrentStore.class);

    private final String tenantId;
    private final boolean explicitIdentity;
    /** The store sets this service opened, and so closes. */
    private final List<StoreSet> owned = new CopyOnWriteArrayList<>();
    private volatile StoreSet stores;
    private volatile TenantStores tenantStores;
    private volatile String identity;
    private volatile Subscription feed;

    CurrentStore(String tenantId, String identity) {
        this.tenantId = tenantId;
        this.identity = identity;
        this.explicitIdentity = identity != null;
    }

    /** Uses {@code set} from now on. */
    void use(StoreSet set) {
        this.stores = set;
        this.tenantStores = set.forTenant(tenantId);
        if (!explicitIdentity) {
            // Without a name from the host, a store is known by how it describes itself (its file or its server,
            // database and schema); never a password.
            identity = set.toString().replace(", closed]", "]");
        }
    }

    /** Uses {@code set}, which the service opened, and closes it with the service. */
    void useOwned(StoreSet set) {
        owned.add(set);
        use(set);
    }

    /** Listens to the current store set's change feed. */
    void listen(ChangeListener listener) {
        this.feed = stores.subscribe(listener);
    }

    /**
     * After an outage: stops listening to the old feed, uses {@code target} (closing the store sets opened before
     * when the probe opened {@code target}) and listens to its feed.
     */
    void switchTo(StoreSet target, boolean newlyOpened, ChangeListener listener) {
        Subscription old = feed;
        if (old != null) {
            old.close();
        }
        if (newlyOpened) {
            List<StoreSet> before = List.copyOf(owned);
            owned.clear();
            owned.add(target);
            for (StoreSet set : before) {
                try {
                    set.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing the fallback store set of tenant {} failed", tenantId, e);
                }
            }
            use(target);
        }
        // Listen again: notifications sent while the store was away are lost, the recovery diff stands for them.
        feed = target.subscribe(listener);
    }

    /** The store set in use, or null when none ever opened. */
    StoreSet stores() {
        return stores;
    }

    /** This tenant's stores of the store set in use. */
    TenantStores tenantStores() {
        return tenantStores;
    }

    /** The name written into the snapshot and checked against it; null when neither named nor ever opened. */
    String identity() {
        return identity;
    }

    /** Stops listening to the change feed. */
    void stopListening() {
        Subscription current = feed;
        if (current != null) {
            current.close();
        }
    }

    /** Closes the store sets the service opened. */
    void closeOwned() {
        for (StoreSet set : owned) {
            try {
                set.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a store set of the configuration service of tenant {} failed", tenantId, e);
            }
        }
        owned.clear();
    }
}
