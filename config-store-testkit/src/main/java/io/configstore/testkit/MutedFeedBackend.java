package io.configstore.testkit;

import io.configstore.model.ConfigDocument;
import io.configstore.store.StoreSet;

/**
 * A {@link ServiceBackend} for a backend whose feed never loses a notification nor sends RESYNC by itself (the
 * in-memory and file backends): the store sets it opens are wrapped in a {@link FeedControlledStoreSet}, a lost
 * notification is a write by another store set while the watched one's feed is muted, and a RESYNC is sent when the
 * feed resumes. A subclass supplies only how a plain store set opens on its location, and how the location goes.
 */
public abstract class MutedFeedBackend implements ServiceBackend {
    /** A plain store set on this location; whoever calls it closes it. */
    protected abstract StoreSet openDirect() throws Exception;

    @Override
    public final StoreSet open() throws Exception {
        return new FeedControlledStoreSet(openDirect());
    }

    @Override
    public final void editUnannounced(StoreSet watched, String name, String value) throws Exception {
        FeedControlledStoreSet feed = (FeedControlledStoreSet) watched;
        feed.mute();
        int droppedBefore = feed.dropped();
        try (StoreSet writer = openDirect()) {
            ConfigDocument stored = writer.documents().load(name).orElseThrow();
            writer.documents().save(name, ConfigurationServiceContract.json("edited", value), stored.formatVersion(),
                    stored.revision(), ConfigurationServiceContract.CHANGE);
        }
        // Returns only once the watched store set has heard of the write, so that nothing it hears later is about it.
        Await.until("the edit's event dropped", () -> feed.dropped() > droppedBefore);
    }

    @Override
    public final void triggerResync(StoreSet watched) {
        ((FeedControlledStoreSet) watched).resumeWithResync();
    }
}
