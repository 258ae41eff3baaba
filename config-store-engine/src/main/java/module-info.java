/**
 * The engine every backend runs: the store rules written once. Exported to backend authors (SPI); host applications
 * do not use it.
 */
module io.configstore.engine {
    requires transitive io.configstore.api;
    requires org.slf4j;

    exports io.configstore.engine;
}
