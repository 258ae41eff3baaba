/**
 * The contract kit every backend passes ({@code io.configstore.testkit}). Open, since JUnit reflects on the kit's
 * test classes. {@code io.configstore.testkit.internal} holds helpers of configstore's own tests, exported to its
 * modules alone.
 */
// Qualified exports name modules the build compiles later: "module not found" is expected here.
@SuppressWarnings("module")
open module io.configstore.testkit {
    requires transitive io.configstore.api;
    requires transitive io.configstore.service;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires transitive org.assertj.core;
    requires java.sql;

    exports io.configstore.testkit;
    exports io.configstore.testkit.internal to io.configstore.sqlite, io.configstore.postgres, io.configstore.file;
}
