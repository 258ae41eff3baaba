package io.configstore.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.error.StoreUnavailableException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import io.configstore.testkit.Plaintext;
import io.configstore.testkit.TestClock;
import io.configstore.testkit.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on SQLite whose database file cannot be read at start-up (replaced by garbage, or its directory
 * removed): with degraded start it serves the snapshot; by default it fails fast. The read-only fallback to a file
 * store is proven in the reliability suite, which has both backends. (chmod 000 is not tried: the tests run as root,
 * whom permissions do not stop.) The service's timers (maximum staleness, snapshot pacing) follow its injected
 * clock: a {@link TestClock} moved by the test, with a short health-check interval so that each timer reads the
 * clock again soon after it moved.
 */
class SqliteDegradedStartTest {
    private static final ChangeContext CHANGE = ChangeContext.by("sqlite-outage-test");
    private static final String SECRET = "sk-sqlite-plaintext-91c2";

    @TempDir
    Path directory;
    private final List<Path> snapshots = new ArrayList<>();

    @AfterEach
    void noPlaintextInAnySnapshot() throws IOException {
        Plaintext.assertAbsent(snapshots, SECRET);
    }

    private StoreSet open(Path db) {
        return SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open();
    }

    /** Fills a database and lets a service write its snapshot; returns the key stored. */
    private ApiKeyMetadata serveOnce(Path db, Path snapshot) throws Exception {
        snapshots.add(snapshot);
        ApiKeyMetadata key;
        try (StoreSet stores = open(db)) {
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
            key = stores.apiKeys().store("openai", "prod", Secret.of(SECRET), CHANGE);
        }
        try (ConfigurationService service = ConfigurationService.opening(() -> open(db)).snapshotFile(snapshot)
                .snapshotInterval(Duration.ofMillis(10)).storeIdentity("sqlite-test").degradedStart(true).build()) {
            Await.until("the snapshot", () -> Files.exists(snapshot));
        }
        return key;
    }

    private ConfigurationServiceBuilder degraded(Path db, Path snapshot) {
        return ConfigurationService.opening(() -> open(db)).snapshotFile(snapshot).storeIdentity("sqlite-test")
                .degradedStart(true).snapshotCipher(TestKeys.cipher())
                .recoveryBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    @Test
    void a_database_replaced_by_garbage_starts_degraded_from_the_snapshot_or_fails_fast_by_default() throws Exception {
        Path db = directory.resolve("configstore.db");
        Path snapshot = directory.resolve("configstore.snapshot");
        ApiKeyMetadata key = serveOnce(db, snapshot);
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
        Files.write(db, "this is not a database, it is garbage".repeat(200).getBytes());

        assertThatThrownBy(() -> ConfigurationService.opening(() -> open(db)).snapshotFile(snapshot)
                .storeIdentity("sqlite-test").build()).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("fails fast by default");
        try (ConfigurationService service = degraded(db, snapshot).build()) {
            assertThat(service.health().state()).isEqualTo(ServiceHealth.State.DEGRADED);
            assertThat(service.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(1);
            assertThat(service.apiKeys().reveal(key.id()).reveal()).isEqualTo(SECRET);
            assertThatThrownBy(() -> service.documents().save("app", Json.object(), 1, 1, CHANGE))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("nothing was written");
        }
    }

    @Test
    void a_removed_database_directory_starts_degraded_and_heals_when_the_database_is_back() throws Exception {
        Path dataDir = directory.resolve("data");
        Path db = dataDir.resolve("configstore.db");
        Path snapshot = directory.resolve("configstore.snapshot");
        Files.createDirectories(dataDir);
        serveOnce(db, snapshot);
        Path moved = directory.resolve("moved");
        Files.move(dataDir, moved);
        // A file where the directory was: SQLite cannot create the database there.
        Files.writeString(dataDir, "not a directory");

        try (ConfigurationService service = degraded(db, snapshot).build()) {
            assertThat(service.health().state()).isEqualTo(ServiceHealth.State.DEGRADED);
            assertThat(service.documents().names()).containsExactly("app");

            Files.delete(dataDir);
            Files.move(moved, dataDir);
            Await.until("UP once the database is back", () -> service.health().state() == ServiceHealth.State.UP);
            assertThat(service.documents().save("app", Json.object().put("v", 2), 1, 1, CHANGE).revision())
                    .isEqualTo(2);
        }
    }

    @Test
    void past_the_maximum_staleness_reads_fail_and_the_service_is_down() throws Exception {
        Path db = directory.resolve("configstore.db");
        Path snapshot = directory.resolve("configstore.snapshot");
        serveOnce(db, snapshot);
        Files.delete(db);
        Files.write(db, "garbage".repeat(500).getBytes());
        TestClock clock = new TestClock();
        clock.advance(Duration.between(clock.instant(), java.time.Instant.now()));

        try (ConfigurationService service = degraded(db, snapshot).clock(clock).maxStaleness(Duration.ofHours(1))
                .build()) {
            assertThat(service.documents().names()).containsExactly("app");
            clock.advance(Duration.ofHours(2));
            service.refresh();

            assertThatThrownBy(() -> service.documents().names()).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("older than the maximum staleness PT1H");
            assertThat(service.health().state()).isEqualTo(ServiceHealth.State.DOWN);
        }
    }

    @Test
    void past_the_maximum_staleness_the_service_turns_down_on_its_own_timer_with_nobody_reading() throws Exception {
        Path db = directory.resolve("configstore.db");
        Path snapshot = directory.resolve("configstore.snapshot");
        serveOnce(db, snapshot);
        Files.delete(db);
        Files.write(db, "garbage".repeat(500).getBytes());
        TestClock clock = new TestClock();
        clock.advance(Duration.between(clock.instant(), java.time.Instant.now()));
        List<String> transitions = new CopyOnWriteArrayList<>();

        try (ConfigurationService service = degraded(db, snapshot).clock(clock).maxStaleness(Duration.ofHours(1))
                .healthCheckInterval(Duration.ofMillis(10)).build()) {
            service.onHealthChange((before, after) -> transitions.add(before.state() + "->" + after.state()));
            assertThat(service.health().state()).isEqualTo(ServiceHealth.State.DEGRADED);

            clock.advance(Duration.ofHours(2));

            Await.until("DOWN with no read", () -> service.health().state() == ServiceHealth.State.DOWN);
            // Listeners are told after the state changed, on the timer's thread: wait for the telling too.
            Await.until("DOWN told", () -> !transitions.isEmpty());
            assertThat(transitions).containsExactly("DEGRADED->DOWN");
            assertThat(service.health().reason()).contains("older than the maximum staleness PT1H");
            assertThatThrownBy(() -> service.documents().names()).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("older than the maximum staleness PT1H");
        }
    }

    @Test
    void a_degraded_start_from_a_snapshot_already_older_than_the_maximum_staleness_is_down_at_once() throws Exception {
        Path db = directory.resolve("configstore.db");
        Path snapshot = directory.resolve("configstore.snapshot");
        serveOnce(db, snapshot);
        Files.delete(db);
        Files.write(db, "garbage".repeat(500).getBytes());
        TestClock clock = new TestClock();
        clock.advance(Duration.between(clock.instant(), java.time.Instant.now().plus(Duration.ofHours(2))));

        try (ConfigurationService service = degraded(db, snapshot).clock(clock).maxStaleness(Duration.ofHours(1))
                .build()) {
            ServiceHealth health = service.health();
            assertThat(health.state()).isEqualTo(ServiceHealth.State.DOWN);
            assertThat(health.reason()).contains("older than the maximum staleness PT1H");
            assertThatThrownBy(() -> service.documents().names()).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("older than the maximum staleness PT1H");
        }
    }

    @Test
    void the_snapshot_interval_is_measured_on_the_injected_clock() throws Exception {
        Path db = directory.resolve("configstore.db");
        Path snapshot = directory.resolve("configstore.snapshot");
        snapshots.add(snapshot);
        TestClock clock = new TestClock();
        clock.advance(Duration.between(clock.instant(), java.time.Instant.now()));
        try (StoreSet stores = open(db);
             ConfigurationService service = ConfigurationService.builder(stores).snapshotFile(snapshot)
                     .storeIdentity("sqlite-test").degradedStart(true).clock(clock)
                     .snapshotInterval(Duration.ofHours(1)).healthCheckInterval(Duration.ofMillis(10)).build()) {
            Await.until("the first snapshot", () -> Files.exists(snapshot));
            ConfigDocument saved = service.documents().save("app", Json.object().put("v", 1), 1,
                    ConfigDocument.NO_REVISION, CHANGE);
            service.documents().names();

            clock.advance(Duration.ofHours(1).plusSeconds(1));

            Await.until("the snapshot rewritten one interval later by the injected clock", () -> {
                try {
                    return SnapshotFile.read(snapshot).documents().stream()
                            .anyMatch(d -> d.revision() == saved.revision());
                } catch (RuntimeException e) {
                    return false;
                }
            });
        }
    }
}
