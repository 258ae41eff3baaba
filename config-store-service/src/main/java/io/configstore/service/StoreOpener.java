package io.configstore.service;

import io.configstore.store.StoreSet;

/**
 * Opens the store set a configuration service works on, so that the service can start while the store is away and
 * open it later, when its recovery probe finds it back: {@code () -> SqliteStoreSet.builder()...open()}. A service
 * built this way owns the store set and closes it.
 */
@FunctionalInterface
public interface StoreOpener {
    /**
     * Opens the store set.
     *
     * @throws io.configstore.error.ConfigStoreException when it cannot be opened
     */
    StoreSet open();
}
