package io.configstore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.crypto.Secret;
import io.configstore.error.StoreUnavailableException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.postgres.PostgresStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import io.configstore.testkit.Plaintext;
import io.configstore.testkit.PostgresTestServer;
import io.configstore.testkit.TestKeys;
import io.configstore.testkit.internal.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on PostgreSQL whose connections are cut by a TCP proxy between it and the server (the shared server
 * itself keeps running): it keeps serving the last values, fails writes with the typed error, and comes back UP
 * without a restart, telling subscribers what another instance changed meanwhile. Cold starts with the server
 * unreachable start from the snapshot, or fail clearly without a usable one.
 */
class PostgresDegradedModeTest {
    private static final ChangeContext CHANGE = ChangeContext.by("outage-test");
    private static final String SECRET = "sk-outage-plaintext-7f3a";
    private static final String IDENTITY = "postgres-outage-test";

    @TempDir
    Path directory;
    private String schema;
    private TcpProxy proxy;
    private final List<StoreSet> opened = new ArrayList<>();
    private final List<Path> snapshots = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        PostgresTestServer.admin().close();
        schema = PostgresTestServer.newSchemaName();
        proxy = TcpProxy.toPostgresTestServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (StoreSet set : opened) {
            set.close();
        }
        proxy.close();
        Plaintext.assertAbsent(snapshots, SECRET);
        PostgresTestServer.dropSchema(schema);
    }

    private StoreSet direct() {
        StoreSet set = PostgresStoreSet.builder().url(PostgresTestServer.URL)
                .user(PostgresTestServer.USER).schema(schema).cipher(TestKeys.cipher()).open();
        opened.add(set);
        return set;
    }

    private StoreSet proxied() {
        return PostgresStoreSet.builder().url(proxy.postgresUrl())
                .user(PostgresTestServer.USER).schema(schema).cipher(TestKeys.cipher())
                .connectionTimeout(Duration.ofSeconds(1)).validationTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofSeconds(3)).lockTimeout(Duration.ofSeconds(2))
                .maxReconnectDelay(Duration.ofMillis(200)).open();
    }

    private ConfigurationServiceBuilder outageReady(ConfigurationServiceBuilder builder, Path snapshot) {
        snapshots.add(snapshot);
        return builder.snapshotFile(snapshot).snapshotInterval(Duration.ofMillis(10)).storeIdentity(IDENTITY)
                .healthCheckInterval(Duration.ofMillis(100)).recoveryBackoff(Duration.ofMillis(50),
                        Duration.ofMillis(500));
    }

    @Test
    void a_running_service_serves_its_last_values_fails_writes_typed_and_comes_back_up_telling_what_changed_meanwhile()
            throws Exception {
        StoreSet other = direct();
        ConfigDocument app = other.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        other.providers().create(NewProviderConfig.of("openai", "prod", Json.object().put("model", "gpt")), CHANGE);
        ApiKeyMetadata key = other.apiKeys().store("openai", "prod", Secret.of(SECRET), CHANGE);
        Path snapshot = directory.resolve("service.snapshot");
        StoreSet serviceStores = proxied();
        opened.add(serviceStores);
        List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        List<String> transitions = new CopyOnWriteArrayList<>();
        try (ConfigurationService service = outageReady(ConfigurationService.builder(serviceStores), snapshot)
                .degradedStart(true).build()) {
            service.subscribe(events::add);
            service.onHealthChange((before, after) -> transitions.add(before.state() + "->" + after.state()));
            assertThat(service.health().state()).isEqualTo(ServiceHealth.State.UP);
            Await.until("the snapshot file", () -> Files.exists(snapshot));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot))).isEqualTo("rw-------");

            proxy.cut();
            Await.until("DEGRADED", () -> service.health().state() == ServiceHealth.State.DEGRADED);

            assertThat(service.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(1);
            assertThat(service.providers().list()).extracting(p -> p.name()).containsExactly("prod");
            assertThat(service.apiKeys().findActive("openai")).contains(key);
            assertThat(service.apiKeys().reveal(key.id()).reveal()).isEqualTo(SECRET);
            assertThatThrownBy(() -> service.documents().save("app", Json.object().put("v", 9), 1, app.revision(),
                    CHANGE)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("nothing was written").hasMessageContaining("since");
            assertThatThrownBy(() -> service.apiKeys().rotate(key.id(), Secret.of("new"), CHANGE))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> service.inUnitOfWork(tx -> null)).isInstanceOf(StoreUnavailableException.class);
            service.apiKeys().recordUsage(key.id());
            ServiceHealth degraded = service.health();
            assertThat(degraded.bufferedUsage()).isEqualTo(1);
            assertThat(degraded.changeFeed()).isEqualTo("INTERRUPTED");
            assertThat(((StoreUnavailableException) catchThrown(() -> service.flushUsage())).since())
                    .isEqualTo(degraded.since());

            // Another instance writes while this one is away.
            other.documents().save("app", Json.object().put("v", 2), 1, app.revision(), CHANGE);

            proxy.restore();
            long restored = System.nanoTime();
            Await.until("UP again", () -> service.health().state() == ServiceHealth.State.UP);
            System.out.printf("measured: running service, server back to UP %d ms (probe backoff 50 to 500 ms)%n",
                    (System.nanoTime() - restored) / 1_000_000);

            assertThat(events).anySatisfy(event -> {
                assertThat(event.kind()).isEqualTo(ChangeKind.CHANGED);
                assertThat(event.entity()).isEqualTo(EntityKind.CONFIG_DOCUMENT);
                assertThat(event.key()).isEqualTo("app");
                assertThat(event.version()).isEqualTo(app.revision() + 1);
                assertThat(event.origin()).isEqualTo(ChangeOrigin.REMOTE);
            });
            assertThat(service.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(2);
            ConfigDocument written = service.documents().save("app", Json.object().put("v", 3), 1,
                    app.revision() + 1, CHANGE);
            assertThat(other.documents().load("app").orElseThrow().revision()).isEqualTo(written.revision());
            Await.until("the buffered use written", () -> other.apiKeys().get(key.id()).orElseThrow()
                    .lastUsedAt() != null);
            // Listeners are told after the state changed: wait for the telling too.
            Await.until("UP told", () -> transitions.contains("DEGRADED->UP"));
            assertThat(transitions).containsExactly("UP->DEGRADED", "DEGRADED->UP");
            // The next load of the section (a read after the write) refreshes the snapshot.
            assertThat(service.documents().load("app").orElseThrow().revision()).isEqualTo(written.revision());
            Await.until("the snapshot rewritten with the new revision", () -> {
                try {
                    return SnapshotFile.read(snapshot).documents().get(0).revision() == written.revision();
                } catch (RuntimeException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void a_commit_that_loses_its_connection_turns_the_service_degraded_at_once() throws Exception {
        direct().documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
        StoreSet serviceStores = proxied();
        opened.add(serviceStores);
        // No health check in this test's time: only the failed commit can tell the service the store is away.
        try (ConfigurationService service = outageReady(ConfigurationService.builder(serviceStores),
                directory.resolve("commit.snapshot")).healthCheckInterval(Duration.ofHours(1)).build()) {
            assertThat(service.documents().load("app")).isPresent();

            assertThatThrownBy(() -> service.inUnitOfWork(tx -> {
                tx.documents().load("app");
                proxy.cut();
                return null;
            })).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("is unknown");

            assertThat(service.health().state()).isEqualTo(ServiceHealth.State.DEGRADED);
            assertThat(service.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(1);
        }
    }

    @Test
    void a_cold_start_with_the_server_unreachable_starts_degraded_from_the_snapshot_and_heals_when_it_returns() throws Exception {
        StoreSet other = direct();
        other.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
        ApiKeyMetadata key = other.apiKeys().store("openai", "prod", Secret.of(SECRET), CHANGE);
        Path snapshot = directory.resolve("cold.snapshot");
        try (ConfigurationService first = outageReady(ConfigurationService.opening(this::proxied), snapshot)
                .degradedStart(true).build()) {
            Await.until("the snapshot file", () -> Files.exists(snapshot));
        }

        proxy.cut();
        List<String> transitions = new CopyOnWriteArrayList<>();
        long buildStarted = System.nanoTime();
        try (ConfigurationService service = outageReady(ConfigurationService.opening(this::proxied), snapshot)
                .degradedStart(true).snapshotCipher(TestKeys.cipher()).build()) {
            // Measured, not asserted (README, "Running while the database is away").
            System.out.printf("measured: degraded cold start (server refusing) %d ms%n",
                    (System.nanoTime() - buildStarted) / 1_000_000);
            service.onHealthChange((before, after) -> transitions.add(before.state() + "->" + after.state()));
            ServiceHealth health = service.health();
            assertThat(health.state()).isEqualTo(ServiceHealth.State.DEGRADED);
            assertThat(health.reason()).contains("serving the snapshot").contains("revisions");
            assertThat(health.changeFeed()).isEqualTo("NONE");
            assertThat(service.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(1);
            assertThat(service.apiKeys().reveal(key.id()).reveal()).isEqualTo(SECRET);
            assertThatThrownBy(() -> service.providers().create(NewProviderConfig.of("openai", "x", Json.object()),
                    CHANGE)).isInstanceOf(StoreUnavailableException.class);

            other.documents().save("app", Json.object().put("v", 2), 1, 1, CHANGE);
            proxy.restore();
            long restored = System.nanoTime();

            Await.until("UP after the server returns", () -> service.health().state() == ServiceHealth.State.UP);
            System.out.printf("measured: server back to UP %d ms (probe backoff 50 to 500 ms)%n",
                    (System.nanoTime() - restored) / 1_000_000);
            assertThat(service.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(2);
            assertThat(service.health().changeFeed()).isEqualTo("LISTENING");
            // Listeners are told after the state changed: wait for the telling too.
            Await.until("UP told", () -> transitions.contains("DEGRADED->UP"));
            assertThat(transitions).containsExactly("DEGRADED->UP");
        }
    }

    @Test
    void a_cold_start_with_the_server_unreachable_fails_clearly_without_a_usable_snapshot() throws Exception {
        direct().documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
        Path good = directory.resolve("good.snapshot");
        try (ConfigurationService first = outageReady(ConfigurationService.opening(this::proxied), good)
                .degradedStart(true).build()) {
            Await.until("the snapshot file", () -> Files.exists(good));
        }
        proxy.cut();

        assertThatThrownBy(() -> outageReady(ConfigurationService.opening(this::proxied), good).build())
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("fails fast by default")
                .hasMessageContaining("degradedStart");
        assertThatThrownBy(() -> outageReady(ConfigurationService.opening(this::proxied),
                directory.resolve("missing.snapshot")).degradedStart(true).build())
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("no usable snapshot")
                .hasMessageContaining("there is no snapshot at");

        byte[] bytes = Files.readAllBytes(good);
        Path truncated = directory.resolve("truncated.snapshot");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> outageReady(ConfigurationService.opening(this::proxied), truncated)
                .degradedStart(true).build()).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("damaged");

        Path tampered = directory.resolve("tampered.snapshot");
        Files.writeString(tampered, new String(bytes, StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":7"));
        assertThatThrownBy(() -> outageReady(ConfigurationService.opening(this::proxied), tampered)
                .degradedStart(true).build()).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("does not match its checksum");

        assertThatThrownBy(() -> outageReady(ConfigurationService.opening(this::proxied), good)
                .storeIdentity("another-store").degradedStart(true).build())
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("was written for store '"
                        + IDENTITY + "'");
        assertThatThrownBy(() -> outageReady(ConfigurationService.opening(this::proxied), good)
                .tenant("acme").degradedStart(true).build())
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("tenant 'default', not");
    }

    private static Throwable catchThrown(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
