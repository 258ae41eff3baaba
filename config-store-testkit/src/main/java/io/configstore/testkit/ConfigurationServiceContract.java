package io.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.change.Subscription;
import io.configstore.crypto.Secret;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.service.CacheStatistics;
import io.configstore.service.ConfigurationService;
import io.configstore.store.StoreSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The guarantees of {@link ConfigurationService}, proven on a real backend: a backend module runs them with a class
 * that supplies only the backend, as it runs the store contracts with {@link StoreContractKit}.
 *
 * <pre>{@code
 * class SqliteConfigurationServiceTest extends ConfigurationServiceContract {
 *     protected ServiceBackend newBackend() { return ...; }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh location of the backend and closes every store set and service it opened. Test methods
 * are named as sentences about behaviour; reports show them with spaces.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ConfigurationServiceContract {
    private static final Duration DEADLINE = Await.DEADLINE;
    /** Who and why of every write the contract makes. */
    protected static final ChangeContext CHANGE = ChangeContext.by("service-test", "testing the service");

    private final List<AutoCloseable> opened = new ArrayList<>();
    private ServiceBackend backend;
    /** The store set the test's services are built on, opened before each test. */
    protected StoreSet stores;

    /** A fresh, empty location of the backend under test. */
    protected abstract ServiceBackend newBackend() throws Exception;

    @BeforeEach
    void openBackend() throws Exception {
        backend = newBackend();
        stores = open();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        backend.close();
    }

    /** Another store set on the test's location, closed after the test. */
    protected StoreSet open() throws Exception {
        StoreSet set = backend.open();
        opened.add(set);
        return set;
    }

    /** Closes {@code service} after the test. */
    protected ConfigurationService service(ConfigurationService service) {
        opened.add(service);
        return service;
    }

    /** A service with the default options on {@link #stores}, closed after the test. */
    protected ConfigurationService service() {
        return service(ConfigurationService.builder(stores).build());
    }

    /** A JSON object of one string field. */
    protected static ObjectNode json(String key, String value) {
        ObjectNode node = Json.object();
        node.put(key, value);
        return node;
    }

    /** Subscribes to the service, collecting its events. */
    protected static BlockingQueue<ChangeEvent> subscribe(ConfigurationService service) {
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        service.subscribe(events::add);
        return events;
    }

    /** The first event that matches, failing the test when none arrives within the deadline. */
    protected static ChangeEvent awaitEvent(BlockingQueue<ChangeEvent> events, String what,
                                            Predicate<ChangeEvent> matches) throws InterruptedException {
        return Await.next(events, what, matches);
    }

    /**
     * Creates document {@code name} through the service and waits for its own change event, so that no event of
     * the setup can arrive later and drop a snapshot the test relies on.
     */
    protected static void createAndSettle(ConfigurationService service, String name) throws InterruptedException {
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        try (Subscription subscription = service.subscribe(events::add)) {
            service.documents().save(name, json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
            awaitEvent(events, "the setup's own event", e -> name.equals(e.key()));
        }
    }

    @Test
    void cached_reads_hit_after_the_first_load_and_hand_out_the_same_records() throws Exception {
        ProviderConfig provider = stores.providers().create(NewProviderConfig.of("openai", "main",
                json("url", "https://main.example")), CHANGE);
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), CHANGE);
        stores.documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        ConfigurationService service = service();
        createAndSettle(service, "settled");
        service.refresh();
        CacheStatistics before = service.statistics();

        Optional<ProviderConfig> resolved = service.providers().resolve("openai");
        Optional<ApiKeyMetadata> active = service.apiKeys().findActive("openai");
        Optional<ConfigDocument> app = service.documents().load("app");
        CacheStatistics afterFirst = service.statistics();

        assertThat(resolved.orElseThrow().id()).isEqualTo(provider.id());
        assertThat(active.orElseThrow().id()).isEqualTo(key.id());
        assertThat(app.orElseThrow().revision()).isEqualTo(1);
        assertThat(afterFirst.misses() - before.misses()).isEqualTo(3);
        assertThat(afterFirst.reloads() - before.reloads()).isEqualTo(3);
        assertThat(afterFirst.hits() - before.hits()).isZero();
        for (int i = 0; i < 1_000; i++) {
            assertThat(service.providers().resolve("openai")).isSameAs(resolved);
            assertThat(service.apiKeys().findActive("openai")).isSameAs(active);
            assertThat(service.documents().load("app")).isSameAs(app);
        }
        assertThat(service.providers().get(provider.id()).orElseThrow()).isSameAs(resolved.get());
        assertThat(service.providers().getDefault("openai").orElseThrow()).isSameAs(resolved.get());
        assertThat(service.providers().listByType("openai")).containsExactly(resolved.get());
        assertThat(service.apiKeys().get(key.id()).orElseThrow()).isSameAs(active.get());
        assertThat(service.documents().names()).containsExactly("app", "settled");
        assertThat(service.providers().get("no-such-id")).isEmpty();
        CacheStatistics afterMany = service.statistics();
        assertThat(afterMany.reloads()).as("no store call after the first load").isEqualTo(afterFirst.reloads());
        assertThat(afterMany.misses()).isEqualTo(afterFirst.misses());
        assertThat(afterMany.hits() - afterFirst.hits()).isEqualTo(3_000 + 6);
    }

    @Test
    void a_write_through_the_service_is_visible_to_the_next_read_at_once() {
        ConfigurationService service = service();
        ProviderConfig first = service.providers().create(NewProviderConfig.of("openai", "first",
                json("url", "https://first.example")), CHANGE);
        ApiKeyMetadata key = service.apiKeys().store("openai", "prod", Secret.of("sk-1"), CHANGE);
        ConfigDocument saved = service.documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        assertThat(service.providers().resolve("openai").orElseThrow().id()).isEqualTo(first.id());
        assertThat(service.apiKeys().findActive("openai").orElseThrow().id()).isEqualTo(key.id());
        assertThat(service.documents().load("app").orElseThrow().revision()).isEqualTo(1);

        ProviderConfig second = service.providers().create(NewProviderConfig.of("openai", "second",
                json("url", "https://second.example")).asDefault(), CHANGE);
        service.apiKeys().deactivate(key.id(), CHANGE);
        service.documents().save("app", json("a", "2"), 1, saved.revision(), CHANGE);

        assertThat(service.providers().resolve("openai").orElseThrow().id()).isEqualTo(second.id());
        assertThat(service.providers().list()).hasSize(2);
        assertThat(service.apiKeys().findActive("openai")).isEmpty();
        assertThat(service.documents().load("app").orElseThrow().content().get("a").asText()).isEqualTo("2");

        service.documents().update("app", doc -> doc.put("a", "3"), CHANGE);
        assertThat(service.documents().load("app").orElseThrow().revision()).isEqualTo(3);
        service.documents().delete("app", 3, CHANGE);
        assertThat(service.documents().load("app")).isEmpty();
    }

    @Test
    void a_write_through_another_store_set_becomes_visible_through_the_feed() throws Exception {
        ConfigDocument saved = stores.documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        ConfigurationService service = service();
        BlockingQueue<ChangeEvent> events = subscribe(service);
        assertThat(service.documents().load("app").orElseThrow().revision()).isEqualTo(1);
        assertThat(service.providers().resolve("anthropic")).isEmpty();
        StoreSet other = open();

        other.documents().save("app", json("a", "2"), 1, saved.revision(), CHANGE);
        ProviderConfig created = other.providers().create(NewProviderConfig.of("anthropic", "remote",
                json("url", "https://remote.example")), CHANGE);

        ChangeEvent told = awaitEvent(events, "the remote provider's event", e -> e.kind() == ChangeKind.CHANGED
                && e.entity() == EntityKind.PROVIDER_CONFIG);
        assertThat(told).isEqualTo(ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "default", created.id(), 1,
                ChangeOrigin.REMOTE));
        // Told after the service dropped what the events made stale: the very next reads see both changes.
        assertThat(service.documents().load("app").orElseThrow().content().get("a").asText()).isEqualTo("2");
        assertThat(service.providers().resolve("anthropic").orElseThrow().id()).isEqualTo(created.id());
    }

    @Test
    void a_resync_drops_every_section_and_the_next_reads_reload_from_the_store() throws Exception {
        ConfigurationService service = service();
        createAndSettle(service, "app");
        BlockingQueue<ChangeEvent> events = subscribe(service);
        service.providers().list();
        service.apiKeys().list();
        assertThat(service.documents().load("app").orElseThrow().revision()).isEqualTo(1);

        backend.editUnannounced(stores, "app", "behind the feed");
        // Nothing told the service: it still serves its snapshot (the TTL is five minutes).
        assertThat(service.documents().load("app").orElseThrow().revision()).isEqualTo(1);
        long reloadsBefore = service.statistics().reloads();

        backend.triggerResync(stores);
        awaitEvent(events, "a RESYNC", e -> e.kind() == ChangeKind.RESYNC);

        assertThat(service.statistics().resyncs()).isGreaterThanOrEqualTo(1);
        ConfigDocument reloaded = service.documents().load("app").orElseThrow();
        assertThat(reloaded.revision()).isEqualTo(2);
        assertThat(reloaded.content().get("edited").asText()).isEqualTo("behind the feed");
        service.providers().list();
        service.apiKeys().list();
        assertThat(service.statistics().reloads()).isEqualTo(reloadsBefore + 3);
    }

    @Test
    void the_ttl_bounds_staleness_when_a_notification_is_lost() throws Exception {
        TestClock clock = new TestClock();
        ConfigurationService service = service(ConfigurationService.builder(stores).clock(clock)
                .ttl(Duration.ofMinutes(5)).build());
        createAndSettle(service, "app");
        long reloadsBefore = service.statistics().reloads();
        assertThat(service.documents().load("app").orElseThrow().revision()).isEqualTo(1);

        backend.editUnannounced(stores, "app", "lost notification");
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(service.documents().load("app").orElseThrow().revision()).as("still within the TTL")
                .isEqualTo(1);
        assertThat(service.statistics().expirations()).isZero();

        clock.advance(Duration.ofMillis(1));
        ConfigDocument reloaded = service.documents().load("app").orElseThrow();

        assertThat(reloaded.revision()).isEqualTo(2);
        assertThat(reloaded.content().get("edited").asText()).isEqualTo("lost notification");
        assertThat(service.statistics().expirations()).isEqualTo(1);
        assertThat(service.statistics().reloads()).isEqualTo(reloadsBefore + 2);
    }

    @Test
    void subscribers_are_told_after_commit_and_never_of_rolled_back_work_or_other_tenants() throws Exception {
        ConfigurationService service = service();
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        List<String> notVisibleOnArrival = new CopyOnWriteArrayList<>();
        service.subscribe(event -> {
            if (event.entity() == EntityKind.CONFIG_DOCUMENT && event.kind() == ChangeKind.CHANGED) {
                long inStore = stores.documents().load(event.key()).map(ConfigDocument::revision).orElse(0L);
                long inService = service.documents().load(event.key()).map(ConfigDocument::revision).orElse(0L);
                if (inStore < event.version() || inService < event.version()) {
                    notVisibleOnArrival.add(event + " store " + inStore + " service " + inService);
                }
            }
            if (event.kind() != ChangeKind.RESYNC) {
                events.add(event);
            }
        });

        service.documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        assertThatThrownBy(() -> service.inUnitOfWork(tx -> {
            tx.documents().save("rolled-back", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
            throw new IllegalStateException("roll it back");
        })).isInstanceOf(IllegalStateException.class);
        stores.forTenant("acme").documents().save("other-tenant", json("a", "1"), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        service.documents().save("marker", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);

        List<ChangeEvent> told = new ArrayList<>();
        ChangeEvent event;
        do {
            event = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(event).as("the marker's event within " + DEADLINE + "; told so far: " + told).isNotNull();
            told.add(event);
        } while (!"marker".equals(event.key()));
        assertThat(told).containsExactly(
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1, ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "marker", 1, ChangeOrigin.LOCAL));
        assertThat(notVisibleOnArrival).isEmpty();
    }

    @Test
    void many_uses_are_coalesced_into_one_stored_last_used_at_written_by_a_flush() throws Exception {
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), CHANGE);
        ConfigurationService service = service(ConfigurationService.builder(stores)
                .usageFlushInterval(Duration.ofHours(1)).build());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        service.apiKeys().recordUsage(key.id());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(stores.apiKeys().get(key.id()).orElseThrow().lastUsedAt()).as("no write per use").isNull();
        assertThat(service.statistics().usagesRecorded()).isEqualTo(1_000);
        assertThat(service.statistics().pendingUsages()).isEqualTo(1);

        assertThat(service.flushUsage()).isEqualTo(1);

        assertThat(stores.apiKeys().get(key.id()).orElseThrow().lastUsedAt()).isNotNull();
        assertThat(service.apiKeys().get(key.id()).orElseThrow().lastUsedAt()).as("the service shows it too")
                .isNotNull();
        assertThat(service.statistics().usageWrites()).isEqualTo(1);
        assertThat(service.statistics().pendingUsages()).isZero();
        assertThat(service.flushUsage()).as("nothing left to write").isZero();
    }

    @Test
    void buffered_uses_are_written_when_the_service_closes() {
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), CHANGE);
        ApiKeyMetadata deleted = stores.apiKeys().store("openai", "gone", Secret.of("sk-2"), CHANGE);
        ConfigurationService service = service(ConfigurationService.builder(stores)
                .usageFlushInterval(Duration.ofHours(1)).build());
        service.apiKeys().recordUsage(key.id());
        service.apiKeys().recordUsage(deleted.id());
        stores.apiKeys().delete(deleted.id(), CHANGE);
        assertThat(stores.apiKeys().get(key.id()).orElseThrow().lastUsedAt()).isNull();

        service.close();

        assertThat(stores.apiKeys().get(key.id()).orElseThrow().lastUsedAt()).isNotNull();
        assertThat(service.statistics().usageWrites()).as("the deleted key is skipped, not an error").isEqualTo(1);
    }

    @Test
    void the_background_flush_writes_buffered_uses_at_its_interval() {
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), CHANGE);
        ConfigurationService service = service(ConfigurationService.builder(stores)
                .usageFlushInterval(Duration.ofMillis(50)).build());

        service.apiKeys().recordUsage(key.id());
        Await.until("a background flush", () -> service.statistics().usageWrites() == 1);

        assertThat(stores.apiKeys().get(key.id()).orElseThrow().lastUsedAt()).isNotNull();
    }

    @Test
    void a_use_of_an_unknown_key_is_refused_and_buffers_nothing() {
        ConfigurationService service = service();

        assertThatThrownBy(() -> service.apiKeys().recordUsage("no-such-key")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-key");
        assertThatThrownBy(() -> service.apiKeys().recordUsage("bad id!")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> service.apiKeys().recordUsage(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> service.providers().get(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> service.providers().get("bad id!")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> service.documents().load(" padded ")).isInstanceOf(ValidationException.class);
        assertThat(service.statistics().pendingUsages()).isZero();
        assertThat(service.statistics().usagesRecorded()).isZero();
    }

    @Test
    void the_counters_change_as_documented() throws Exception {
        ConfigurationService service = service();
        assertThat(service.statistics()).isEqualTo(new CacheStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0));

        service.documents().names();
        assertThat(service.statistics()).isEqualTo(new CacheStatistics(0, 1, 1, 0, 0, 0, 0, 0, 0));
        service.documents().names();
        assertThat(service.statistics()).isEqualTo(new CacheStatistics(1, 1, 1, 0, 0, 0, 0, 0, 0));

        BlockingQueue<ChangeEvent> events = subscribe(service);
        service.documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        // Wait for the write's own LOCAL event, so that no late event changes the counts below.
        awaitEvent(events, "the write's event", e -> "app".equals(e.key()));
        CacheStatistics afterWrite = service.statistics();
        assertThat(afterWrite.invalidations()).as("the write dropped the documents section").isGreaterThanOrEqualTo(1);
        service.documents().names();
        assertThat(service.statistics().misses()).isEqualTo(2);
        assertThat(service.statistics().reloads()).isEqualTo(2);

        long invalidationsBefore = service.statistics().invalidations();
        service.refresh();
        assertThat(service.statistics().invalidations()).as("one per section").isEqualTo(invalidationsBefore + 3);
    }

    @Test
    void concurrent_readers_never_see_a_value_older_than_a_write_that_returned() throws Exception {
        service().documents().save("counter", json("n", "0"), 1, ConfigDocument.NO_REVISION, CHANGE);
        ConfigurationService service = service();
        AtomicLong lastReturned = new AtomicLong(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> stale = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        ConfigDocument written = service.documents().update("counter",
                                doc -> doc.put("n", doc.get("n").asInt() + 1), CHANGE);
                        lastReturned.accumulateAndGet(written.revision(), Math::max);
                        long seen = service.documents().load("counter").orElseThrow().revision();
                        if (seen < written.revision()) {
                            stale.add("writer saw " + seen + " after writing " + written.revision());
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(threads.submit(() -> {
                    start.await();
                    while (writing.get()) {
                        long returned = lastReturned.get();
                        long seen = service.documents().load("counter").orElseThrow().revision();
                        if (seen < returned) {
                            stale.add("reader saw " + seen + " after a write of " + returned + " returned");
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(stale).isEmpty();
        ConfigDocument last = service.documents().load("counter").orElseThrow();
        assertThat(last.revision()).isEqualTo(41);
        assertThat(last.content().get("n").asInt()).isEqualTo(40);
    }

    @Test
    void a_load_inside_a_unit_of_work_never_serves_its_uncommitted_writes_to_others() throws Exception {
        ConfigurationService service = service();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThatThrownBy(() -> service.inUnitOfWork(tx -> {
                tx.documents().save("uncommitted", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
                service.refresh();
                service.documents().names();
                Optional<ConfigDocument> seenElsewhere = other.submit(() -> service.documents().load("uncommitted"))
                        .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(seenElsewhere).as("another thread during the unit").isEmpty();
                throw new IllegalStateException("roll it back");
            })).isInstanceOf(IllegalStateException.class);
        } finally {
            other.shutdownNow();
        }
        assertThat(service.documents().load("uncommitted")).isEmpty();

        service.inUnitOfWork(tx -> tx.documents().save("committed", json("a", "1"), 1, ConfigDocument.NO_REVISION,
                CHANGE));
        assertThat(service.documents().load("committed")).isPresent();
    }

    @Test
    void the_effective_configuration_is_built_once_per_snapshot_and_again_after_a_change() throws Exception {
        stores.documents().save("app", json("port", "8080"), 1, ConfigDocument.NO_REVISION, CHANGE);
        ConfigurationService service = service();
        createAndSettle(service, "settled");
        EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app")
                .commandLine(List.of("--port=9090"))
                .build();

        EffectiveConfig first = service.effective(loader);
        assertThat(service.effective(loader)).isSameAs(first);
        assertThat(first.tree().get("port").asText()).isEqualTo("9090");
        assertThat(first.stored().orElseThrow().revision()).isEqualTo(1);

        service.documents().update("app", doc -> doc.put("host", "example.org"), CHANGE);
        EffectiveConfig second = service.effective(loader);

        assertThat(second).isNotSameAs(first);
        assertThat(second.stored().orElseThrow().revision()).isEqualTo(2);
        assertThat(second.tree().get("host").asText()).isEqualTo("example.org");
        assertThat(second.tree().get("port").asText()).isEqualTo("9090");
    }
}
