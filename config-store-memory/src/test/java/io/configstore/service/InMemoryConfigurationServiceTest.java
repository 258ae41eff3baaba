package io.configstore.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.testkit.TestKeys;
import io.configstore.testkit.Await;
import io.configstore.testkit.ConfigurationServiceContract;
import io.configstore.testkit.ServiceBackend;
import io.configstore.testkit.FeedControlledStoreSet;
import io.configstore.memory.InMemoryStorage;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.model.ConfigDocument;
import io.configstore.store.StoreSet;

/** The service's guarantees on the in-memory backend: store sets share one {@link InMemoryStorage}. */
class InMemoryConfigurationServiceTest extends ConfigurationServiceContract {
    @Override
    protected ServiceBackend newBackend() {
        InMemoryStorage storage = new InMemoryStorage();
        return new ServiceBackend() {
            @Override
            public StoreSet open() {
                return new FeedControlledStoreSet(InMemoryStoreSet.open(storage, TestKeys.cipher()));
            }

            @Override
            public void editUnannounced(StoreSet watched, String name, String value) {
                FeedControlledStoreSet feed = (FeedControlledStoreSet) watched;
                feed.mute();
                int droppedBefore = feed.dropped();
                try (StoreSet writer = InMemoryStoreSet.open(storage, TestKeys.cipher())) {
                    ConfigDocument stored = writer.documents().load(name).orElseThrow();
                    writer.documents().save(name, json("edited", value), stored.formatVersion(), stored.revision(),
                            CHANGE);
                }
                Await.until("the edit's event dropped", () -> feed.dropped() > droppedBefore);
                assertThat(feed.dropped()).isGreaterThan(droppedBefore);
            }

            @Override
            public void triggerResync(StoreSet watched) {
                ((FeedControlledStoreSet) watched).resumeWithResync();
            }

            @Override
            public void close() {
                // Nothing to delete: the storage is garbage once no store set refers to it.
            }
        };
    }
}
