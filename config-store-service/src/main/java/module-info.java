/** The configuration service: caching, last-known-good snapshots, health, recovery, over any backend. */
module io.configstore.service {
    requires transitive io.configstore.api;
    requires org.slf4j;

    exports io.configstore.service;
}
