/**
 * configstore's API: what host applications call ({@code io.configstore} to open a store set by URL, and
 * {@code store}, {@code model}, {@code error}, {@code change}, {@code history}, {@code crypto}, {@code effective},
 * {@code migration}), and the SPI a backend implements ({@code io.configstore.spi}). {@code io.configstore.internal}
 * and {@code io.configstore.internal.snapshot} hold helpers of configstore's own modules and are exported to them
 * alone.
 */
// Qualified exports name modules the build compiles later: "module not found" is expected here.
@SuppressWarnings("module")
module io.configstore.api {
    // Content is Jackson's JsonNode/ObjectNode in the API's own signatures.
    requires transitive com.fasterxml.jackson.databind;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports io.configstore;
    exports io.configstore.change;
    exports io.configstore.crypto;
    exports io.configstore.effective;
    exports io.configstore.error;
    exports io.configstore.history;
    exports io.configstore.migration;
    exports io.configstore.model;
    exports io.configstore.store;
    exports io.configstore.spi;
    exports io.configstore.internal to io.configstore.engine, io.configstore.memory, io.configstore.jdbc,
            io.configstore.sqlite, io.configstore.postgres, io.configstore.mariadb, io.configstore.file,
            io.configstore.service, io.configstore.imports, io.configstore.cli, io.configstore.testkit;
    exports io.configstore.internal.snapshot to io.configstore.engine, io.configstore.memory, io.configstore.jdbc,
            io.configstore.sqlite, io.configstore.postgres, io.configstore.file, io.configstore.service,
            io.configstore.imports, io.configstore.cli, io.configstore.testkit;

    uses io.configstore.spi.StoreSetProvider;
}
