package io.configstore.service;

import io.configstore.memory.InMemoryStorage;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.ConfigurationServiceContract;
import io.configstore.testkit.MutedFeedBackend;
import io.configstore.testkit.ServiceBackend;
import io.configstore.testkit.TestKeys;

/**
 * The service's guarantees on the in-memory backend: store sets share one {@link InMemoryStorage}, and a notification
 * is lost by muting the watched store set's feed while another writes ({@link MutedFeedBackend}).
 */
class InMemoryConfigurationServiceTest extends ConfigurationServiceContract {
    @Override
    protected ServiceBackend newBackend() {
        InMemoryStorage storage = new InMemoryStorage();
        return new MutedFeedBackend() {
            @Override
            protected StoreSet openDirect() {
                return InMemoryStoreSet.builder().storage(storage).cipher(TestKeys.cipher()).open();
            }

            @Override
            public void close() {
                // Nothing to delete: the storage is garbage once no store set refers to it.
            }
        };
    }
}
