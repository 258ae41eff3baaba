/** The file backend ({@code FileStoreSet}, URL scheme {@code file:}), built on the in-memory engine's storage path. */
module io.configstore.file {
    requires transitive io.configstore.api;
    requires io.configstore.engine;
    requires io.configstore.memory;
    requires org.slf4j;

    exports io.configstore.file;

    provides io.configstore.spi.StoreSetProvider with io.configstore.file.FileStoreSetProvider;
}
