/**
 * The in-memory backend: {@code io.configstore.memory} is its API ({@code InMemoryStoreSet}, {@code InMemoryStorage}),
 * {@code io.configstore.memory.spi} the storage author path the file backend is built on.
 */
module io.configstore.memory {
    requires transitive io.configstore.api;
    // StorageRows, in the SPI, carries the engine's StoredKey.
    requires transitive io.configstore.engine;

    exports io.configstore.memory;
    exports io.configstore.memory.spi;

    provides io.configstore.spi.StoreSetProvider with io.configstore.memory.InMemoryStoreSetProvider;
}
