package io.configstore.postgres;

import static io.configstore.postgres.PostgresTestStores.builder;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import io.configstore.testkit.PostgresTestServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed between store sets on one PostgreSQL schema: NOTIFY on commit, a dedicated listening connection,
 * reconnection with RESYNC, isolation between schemas, and the latency from a write to the other set's subscriber.
 */
class PostgresChangeFeedTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ChangeContext CHANGE = ChangeContext.by("feed-test");

    private final List<String> schemas = new ArrayList<>();
    private final List<StoreSet> opened = new ArrayList<>();
    private String schema;

    @BeforeEach
    void freshSchema() {
        PostgresTestServer.admin();
        schema = newSchema();
    }

    @AfterEach
    void cleanUp() throws SQLException {
        opened.forEach(StoreSet::close);
        for (String name : schemas) {
            PostgresTestServer.dropSchema(name);
        }
    }

    private String newSchema() {
        String name = PostgresTestServer.newSchemaName();
        schemas.add(name);
        return name;
    }

    private StoreSet open(String inSchema) {
        StoreSet stores = builder(inSchema).maxReconnectDelay(Duration.ofMillis(200)).open();
        opened.add(stores);
        return stores;
    }

    private static BlockingQueue<ChangeEvent> subscribe(StoreSet stores) {
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        stores.subscribe(events::add);
        return events;
    }

    private static ChangeEvent next(BlockingQueue<ChangeEvent> events) throws InterruptedException {
        ChangeEvent event = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("a change event within " + DEADLINE).isNotNull();
        return event;
    }

    @Test
    void two_store_sets_see_each_others_writes_as_remote() throws Exception {
        StoreSet first = open(schema);
        StoreSet second = open(schema);
        BlockingQueue<ChangeEvent> atFirst = subscribe(first);
        BlockingQueue<ChangeEvent> atSecond = subscribe(second);

        first.documents().save("from-first", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
        assertThat(next(atFirst)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default",
                "from-first", 1, ChangeOrigin.LOCAL));
        assertThat(next(atSecond)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default",
                "from-first", 1, ChangeOrigin.REMOTE));

        second.forTenant("acme").documents().save("from-second", Json.object(), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        assertThat(next(atSecond)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "acme",
                "from-second", 1, ChangeOrigin.LOCAL));
        assertThat(next(atFirst)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "acme",
                "from-second", 1, ChangeOrigin.REMOTE));
        assertThat(atFirst).isEmpty();
        assertThat(atSecond).isEmpty();
    }

    @Test
    void a_rolled_back_unit_of_work_notifies_nobody() throws Exception {
        StoreSet first = open(schema);
        StoreSet second = open(schema);
        BlockingQueue<ChangeEvent> atSecond = subscribe(second);

        try {
            first.inUnitOfWork(tx -> {
                tx.documents().save("rolled-back", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
                throw new IllegalStateException("roll it back");
            });
        } catch (IllegalStateException expected) {
            // rolled back: PostgreSQL drops the transaction's notifications with it
        }
        first.documents().save("marker", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(next(atSecond).key()).isEqualTo("marker");
    }

    @Test
    void store_sets_in_another_schema_of_the_same_database_hear_nothing() throws Exception {
        StoreSet here = open(schema);
        StoreSet elsewhere = open(newSchema());
        BlockingQueue<ChangeEvent> atElsewhere = subscribe(elsewhere);
        BlockingQueue<ChangeEvent> atHere = subscribe(here);

        here.documents().save("app", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
        assertThat(next(atHere).key()).isEqualTo("app");
        elsewhere.documents().save("marker", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(next(atElsewhere)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default",
                "marker", 1, ChangeOrigin.LOCAL));
        assertThat(atElsewhere).isEmpty();
        assertThat(elsewhere.documents().load("app")).isEmpty();
        assertThat(here.documents().load("marker")).isEmpty();
    }

    @Test
    void a_dropped_listening_connection_reconnects_and_asks_subscribers_to_resync() throws Exception {
        StoreSet first = open(schema);
        StoreSet second = open(schema);
        BlockingQueue<ChangeEvent> atSecond = subscribe(second);
        String listen = "LISTEN \"" + ChangeNotification.channel(schema) + "\"";

        // Both sets listen; end every listening connection of this schema, as a server restart would.
        int terminated = PostgresTestServer.terminateBackends("query = ?", listen);
        assertThat(terminated).isEqualTo(2);

        ChangeEvent resync = next(atSecond);
        assertThat(resync.kind()).isEqualTo(ChangeKind.RESYNC);
        assertThat(resync.origin()).isEqualTo(ChangeOrigin.REMOTE);
        awaitListeners(listen, 2);

        first.documents().save("after-reconnect", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
        assertThat(next(atSecond)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default",
                "after-reconnect", 1, ChangeOrigin.REMOTE));
    }

    @Test
    void closing_a_store_set_releases_its_listening_connection() throws Exception {
        StoreSet stores = builder(schema).open();
        String listen = "LISTEN \"" + ChangeNotification.channel(schema) + "\"";
        assertThat(PostgresTestServer.query("SELECT pid FROM pg_stat_activity WHERE query = ?", listen)).hasSize(1);

        stores.close();

        Await.until("the listening connection closed",
                () -> PostgresTestServer.query("SELECT pid FROM pg_stat_activity WHERE query = ?", listen).isEmpty());
    }

    /** Waits until {@code count} connections have run {@code listen}, that is until the listeners are back. */
    private static void awaitListeners(String listen, int count) throws Exception {
        Await.until(count + " listeners back", () -> PostgresTestServer.query(
                "SELECT pid FROM pg_stat_activity WHERE query = ?", listen).size() >= count);
    }

    /**
     * Measures the time from a committed write on one store set to the other set's subscriber, over 200 writes, and
     * prints the median and the 99th percentile. Asserts only that every write arrived, never a time.
     */
    @Test
    void cross_instance_latency_is_measured_over_200_writes() throws Exception {
        StoreSet writer = open(schema);
        StoreSet reader = open(schema);
        Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
        BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
        reader.subscribe(event -> {
            if (event.kind() == ChangeKind.CHANGED) {
                arrivedAt.put(event.key(), System.nanoTime());
                arrivals.add(event.key());
            }
        });
        int writes = 200;
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            String name = "w" + i;
            long before = System.nanoTime();
            writer.documents().save(name, Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
            String arrived = arrivals.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(arrived).as("write " + name + " reached the other store set").isEqualTo(name);
            micros.add(TimeUnit.NANOSECONDS.toMicros(arrivedAt.get(name) - before));
        }
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.printf("cross-instance change feed latency over %d writes (write call start -> other set's"
                        + " subscriber): median %.2f ms, p99 %.2f ms, max %.2f ms%n", writes,
                sorted.get(writes / 2) / 1000.0, sorted.get((int) Math.ceil(writes * 0.99) - 1) / 1000.0,
                sorted.get(writes - 1) / 1000.0);
        assertThat(micros).hasSize(writes);
    }
}
