package io.configstore.mariadb;

import static io.configstore.mariadb.MariaDbTestStores.builder;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.testkit.MariaDbTestServer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A writer outside the store (a plain connection, which the store's write lock does not hold back) changes a row
 * between the engine's read and its write: the SQL rows report it ({@code INSERT IGNORE} inserts nothing, the
 * versioned UPDATE changes nothing), the update runs again on a fresh read, which READ COMMITTED lets it see (under
 * MariaDB's default REPEATABLE READ the retry would read the same old snapshot), and the transaction stays usable.
 * And store sets writing at once take turns on the write lock: no increment is lost.
 */
class MariaDbWriterRaceTest {
    private static final ChangeContext CHANGE = ChangeContext.by("race-test");

    private String database;
    private StoreSet store;

    @BeforeEach
    void open() {
        database = MariaDbTestServer.newDatabaseName();
        store = builder(database).open();
    }

    @AfterEach
    void close() throws SQLException {
        store.close();
        MariaDbTestServer.dropDatabase(database);
    }

    /** Writes as another writer would, outside the store, committed at once. */
    private void otherWriter(String sql) {
        try {
            MariaDbTestServer.execute(sql.replace("{schema}", "`" + database + "`"));
        } catch (SQLException e) {
            throw new AssertionError("the other writer's statement failed", e);
        }
    }

    @Test
    void a_document_another_writer_creates_during_an_update_is_updated_on_the_next_attempt_in_the_same_unit() {
        AtomicInteger attempts = new AtomicInteger();
        ConfigDocument other = store.inUnitOfWork(stores -> {
            ConfigDocument updated = stores.documents().update("app", content -> {
                if (attempts.incrementAndGet() == 1) {
                    otherWriter("INSERT INTO {schema}.config_documents (tenant_id, name, content, format_version,"
                            + " revision, updated_at, changed_by) VALUES ('default', 'app', '{\"a\": 1}', 1, 1,"
                            + " NOW(3), 'other')");
                }
                content.put("b", 2);
                return content;
            }, CHANGE);
            assertThat(updated.revision()).isEqualTo(2);
            // The unit goes on after the refused insert: its transaction was not aborted.
            return stores.documents().save("other", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
        });

        assertThat(attempts).hasValue(2);
        ConfigDocument app = store.documents().load("app").orElseThrow();
        assertThat(app.revision()).isEqualTo(2);
        assertThat(Json.write(app.content())).isEqualTo("{\"a\":1,\"b\":2}");
        assertThat(other.revision()).isEqualTo(1);
        assertThat(store.documents().load("other")).isPresent();
    }

    @Test
    void a_document_another_writer_changes_during_an_update_is_updated_again_from_its_new_revision() {
        store.documents().save("app", Json.parseObject("content", "{\"a\": 1}"), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        AtomicInteger attempts = new AtomicInteger();

        ConfigDocument updated = store.documents().update("app", content -> {
            if (attempts.incrementAndGet() == 1) {
                otherWriter("UPDATE {schema}.config_documents SET content = '{\"a\": 5}', revision = 2"
                        + " WHERE tenant_id = 'default' AND name = 'app'");
            }
            content.put("b", content.get("a").asInt() + 1);
            return content;
        }, CHANGE);

        assertThat(attempts).hasValue(2);
        assertThat(updated.revision()).isEqualTo(3);
        assertThat(Json.write(store.documents().load("app").orElseThrow().content())).isEqualTo("{\"a\":5,\"b\":6}");
    }

    @Test
    void store_sets_updating_one_document_at_once_take_turns_and_lose_no_increment() throws Exception {
        store.documents().save("counter", Json.object().put("n", 0), 1, ConfigDocument.NO_REVISION, CHANGE);
        int threads = 4;
        int increments = 10;
        List<StoreSet> others = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                StoreSet writer = builder(database).open();
                others.add(writer);
                done.add(executor.submit(() -> {
                    for (int i = 0; i < increments; i++) {
                        writer.documents().update("counter",
                                content -> content.put("n", content.get("n").asInt() + 1), CHANGE);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
            others.forEach(StoreSet::close);
        }
        ConfigDocument counter = store.documents().load("counter").orElseThrow();
        assertThat(counter.content().get("n").asInt()).isEqualTo(threads * increments);
        assertThat(counter.revision()).isEqualTo(1 + threads * increments);
    }
}
