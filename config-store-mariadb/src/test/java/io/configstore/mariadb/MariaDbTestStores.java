package io.configstore.mariadb;

import io.configstore.testkit.MariaDbTestServer;
import io.configstore.testkit.TestKeys;
import java.time.Duration;

/**
 * Store sets on the MariaDB test server ({@link MariaDbTestServer}), in a database the test named with
 * {@link MariaDbTestServer#newDatabaseName()} and drops with {@link MariaDbTestServer#dropDatabase(String)}.
 */
public final class MariaDbTestStores {
    private MariaDbTestStores() {
    }

    /** A builder on the test server and {@code database}, with the suite's fixed key and short timeouts. */
    public static MariaDbStoreSet.Builder builder(String database) {
        return MariaDbStoreSet.builder().url(MariaDbTestServer.URL).user(MariaDbTestServer.USER)
                .password(MariaDbTestServer.PASSWORD).database(database).cipher(TestKeys.cipher())
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30))
                .validationTimeout(Duration.ofSeconds(2)).poolSize(4);
    }
}
