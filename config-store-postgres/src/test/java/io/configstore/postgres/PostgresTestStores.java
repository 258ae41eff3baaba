package io.configstore.postgres;

import io.configstore.testkit.PostgresTestServer;
import io.configstore.testkit.TestKeys;
import java.time.Duration;

/**
 * Store sets on the PostgreSQL test server ({@link PostgresTestServer}), in a schema the test made with
 * {@link PostgresTestServer#newSchemaName()} and drops with {@link PostgresTestServer#dropSchema(String)}.
 */
public final class PostgresTestStores {
    private PostgresTestStores() {
    }

    /**
     * A builder on the test server and {@code schema}, with the suite's fixed key (so that another instance or a child
     * process can read the secrets) and short timeouts, so that failing tests fail fast.
     */
    public static PostgresStoreSet.Builder builder(String schema) {
        return PostgresStoreSet.builder().url(PostgresTestServer.URL).user(PostgresTestServer.USER).schema(schema)
                .cipher(TestKeys.cipher()).connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30)).validationTimeout(Duration.ofSeconds(2)).poolSize(4);
    }
}
