/**
 * Runnable examples of the README's quick start and effective configuration, and the storage-path example backend
 * ({@code io.configstore.examples.dirstore}, a JSON file a row, opened by {@code dir:} URLs).
 */
module io.configstore.examples {
    requires io.configstore.sqlite;
    requires io.configstore.memory;

    exports io.configstore.examples;
    exports io.configstore.examples.dirstore;

    provides io.configstore.spi.StoreSetProvider with io.configstore.examples.dirstore.DirectoryStoreSet;
}
