package io.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.error.StorageException;
import io.configstore.error.StoreUnavailableException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import io.configstore.testkit.PostgresTestServer;
import io.configstore.testkit.internal.TcpProxy;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server goes away and comes back, played by a TCP proxy between the store and the test server that the test
 * cuts: calls fail with a StorageException saying the database is unreachable, then the same store set works again.
 */
class PostgresOutageTest {
    private static final ChangeContext CHANGE = ChangeContext.by("outage-test");

    private String schema;
    private TcpProxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        PostgresTestServer.admin().close();
        schema = PostgresTestServer.newSchemaName();
        proxy = TcpProxy.toPostgresTestServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        PostgresTestServer.dropSchema(schema);
    }

    private String proxiedUrl() {
        return proxy.postgresUrl();
    }

    @Test
    void calls_fail_as_unreachable_during_an_outage_and_the_same_store_works_after_it() throws Exception {
        try (StoreSet stores = PostgresTestStores.builder(schema).url(proxiedUrl())
                .connectionTimeout(Duration.ofSeconds(1)).validationTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofSeconds(5)).lockTimeout(Duration.ofSeconds(2))
                .maxReconnectDelay(Duration.ofMillis(200)).open()) {
            ConfigDocument saved = stores.documents().save("app", Json.object().put("v", 1), 1,
                    ConfigDocument.NO_REVISION, CHANGE);
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);

            proxy.cut();

            assertThatThrownBy(() -> stores.documents().load("app"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("is unreachable")
                    .hasMessageContaining("check that the database server is running")
                    .hasMessageContaining("schema " + schema);
            assertThatThrownBy(() -> stores.documents().save("app", Json.object().put("v", 2), 1,
                    saved.revision(), CHANGE))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("is unreachable");

            proxy.restore();

            ConfigDocument after = awaitSuccess(() -> stores.documents().save("app", Json.object().put("v", 2), 1,
                    saved.revision(), CHANGE));
            assertThat(after.revision()).isEqualTo(saved.revision() + 1);
            assertThat(stores.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(2);
            assertThat(awaitResync(events).origin()).isEqualTo(io.configstore.change.ChangeOrigin.REMOTE);
        }
    }

    @Test
    void a_commit_that_loses_its_connection_is_unavailable_and_says_its_outcome_is_unknown() throws Exception {
        try (StoreSet stores = PostgresTestStores.builder(schema).url(proxiedUrl())
                .connectionTimeout(Duration.ofSeconds(1)).validationTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofSeconds(5)).lockTimeout(Duration.ofSeconds(2))
                .maxReconnectDelay(Duration.ofMillis(200)).open()) {
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);

            // The unit's last statement has run; the connection goes before its COMMIT reaches the server.
            assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
                tx.documents().load("app");
                proxy.cut();
                return null;
            })).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("committing a unit of work failed")
                    .hasMessageContaining("whether it took effect is unknown")
                    .hasMessageContaining("read the data")
                    .hasMessageContaining("schema " + schema)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("I/O error"));
        }
    }

    @Test
    void after_a_lost_connection_a_call_checks_the_server_with_its_own_connection_instead_of_waiting_on_the_pool() throws Exception {
        // A long pool timeout: a call that waited on the pool would fail with HikariCP's timeout, not the driver's.
        try (StoreSet stores = PostgresTestStores.builder(schema).url(proxiedUrl())
                .connectionTimeout(Duration.ofSeconds(5)).validationTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofSeconds(5)).lockTimeout(Duration.ofSeconds(2))
                .maxReconnectDelay(Duration.ofMillis(200)).open()) {
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);

            proxy.cut();
            assertThatThrownBy(() -> stores.documents().load("app")).isInstanceOf(StoreUnavailableException.class);

            Throwable again = org.assertj.core.api.Assertions.catchThrowable(() -> stores.documents().load("app"));
            assertThat(again).isInstanceOf(StoreUnavailableException.class);
            assertThat(again.getCause()).isInstanceOf(org.postgresql.util.PSQLException.class)
                    .isNotInstanceOf(java.sql.SQLTransientConnectionException.class);
            assertThat(((java.sql.SQLException) again.getCause()).getSQLState()).startsWith("08");

            proxy.restore();
            assertThat(awaitSuccess(() -> stores.documents().load("app")).orElseThrow().content().get("v").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void opening_against_an_unreachable_server_fails_within_the_connection_timeout() {
        proxy.cut();
        assertThatThrownBy(() -> PostgresTestStores.builder(schema).url(proxiedUrl())
                .connectionTimeout(Duration.ofSeconds(1)).validationTimeout(Duration.ofMillis(500)).open())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is unreachable")
                .hasMessageContaining("127.0.0.1:" + proxy.port());
    }

    /** The first call that succeeds after the outage; failures meanwhile (a dead pooled connection) are retried. */
    private static <T> T awaitSuccess(java.util.function.Supplier<T> call) {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        Await.until("the store working again", () -> {
            try {
                result.set(call.get());
                return true;
            } catch (StorageException e) {
                assertThat(e).hasMessageContaining("unreachable");
                return false;
            }
        });
        return result.get();
    }

    private static ChangeEvent awaitResync(BlockingQueue<ChangeEvent> events) throws InterruptedException {
        return Await.next(events, "a RESYNC after the listener reconnected", e -> e.kind() == ChangeKind.RESYNC);
    }
}
