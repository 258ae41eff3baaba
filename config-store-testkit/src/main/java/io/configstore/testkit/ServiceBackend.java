package io.configstore.testkit;

import io.configstore.store.StoreSet;

/**
 * One storage location of a real backend for the service tests: store sets opened on it share its data, as
 * instances of an application sharing a database do. Implemented once per backend, returned by
 * {@link ConfigurationServiceContract#newBackend()}.
 */
public interface ServiceBackend extends AutoCloseable {
    /** Opens another store set on this location. The test closes it. */
    StoreSet open() throws Exception;

    /**
     * Changes document {@code name} of the default tenant so that no change event about it reaches {@code watched}
     * (as when a notification is lost): its content becomes {@code {"edited": value}} and its revision grows by one.
     * Returns once {@code watched} can no longer learn of it through its feed.
     */
    void editUnannounced(StoreSet watched, String name, String value) throws Exception;

    /** Makes the backend's own feed send {@code RESYNC} to {@code watched}. */
    void triggerResync(StoreSet watched) throws Exception;

    /** Deletes the location. Called after every store set on it was closed. */
    @Override
    void close() throws Exception;
}
