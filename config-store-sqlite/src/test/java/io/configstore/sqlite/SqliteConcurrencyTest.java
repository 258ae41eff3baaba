package io.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.StorageException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import io.configstore.testkit.internal.ChildJvms;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several store sets, threads and processes on one SQLite file. */
class SqliteConcurrencyTest {
    private static final ChangeContext CHANGE = ChangeContext.by("test");

    @TempDir
    Path dir;

    @Test
    void two_store_sets_on_one_file_see_each_others_writes() {
        Path db = dir.resolve("shared.db");
        try (StoreSet first = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open();
             StoreSet second = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open()) {
            first.providers().create(NewProviderConfig.of("openai", "prod", Json.object()), CHANGE);
            assertThat(second.providers().getDefault("openai")).get()
                    .extracting(p -> p.name()).isEqualTo("prod");

            second.documents().update("app", doc -> doc.put("from", "second"), CHANGE);
            assertThat(first.documents().load("app")).get()
                    .extracting(d -> d.content().get("from").asText()).isEqualTo("second");
        }
    }

    @Test
    void concurrent_updates_from_threads_and_two_store_sets_lose_nothing() throws Exception {
        Path db = dir.resolve("threads.db");
        int threads = 8;
        int perThread = 25;
        try (StoreSet first = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open();
             StoreSet second = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open()) {
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    StoreSet stores = t % 2 == 0 ? first : second;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            stores.documents().update("counter",
                                    doc -> doc.put("value", doc.path("value").asInt() + 1), CHANGE);
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            } finally {
                pool.shutdownNow();
            }
            ConfigDocument counter = first.documents().load("counter").orElseThrow();
            assertThat(counter.content().get("value").asInt()).isEqualTo(threads * perThread);
            assertThat(counter.revision()).isEqualTo(threads * perThread);
        }
    }

    @Test
    void concurrent_updates_from_two_processes_lose_nothing_and_never_see_busy() throws Exception {
        Path db = dir.resolve("processes.db");
        // Migrate first, so that both children only increment.
        SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open().close();
        int perProcess = 40;
        ChildJvms children = ChildJvms.start(SqliteChildProcess.class, dir, 2, "increment", db.toString(),
                Integer.toString(perProcess));
        try {
            children.releaseAndAwaitSuccess();
        } finally {
            children.destroy();
        }
        try (StoreSet stores = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open()) {
            ConfigDocument counter = stores.documents().load("counter").orElseThrow();
            assertThat(counter.content().get("value").asInt()).isEqualTo(2 * perProcess);
            assertThat(counter.revision()).isEqualTo(2 * perProcess);
        }
    }

    @Test
    void a_lock_held_longer_than_the_busy_timeout_gives_a_clear_storage_error() throws Exception {
        Path db = dir.resolve("locked.db");
        try (StoreSet stores = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher())
                .busyTimeout(Duration.ofMillis(100)).open();
             Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = holder.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                assertThatThrownBy(() -> stores.documents().update("app", d -> d.put("x", 1), CHANGE))
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining("stayed locked by another connection or process")
                        .hasMessageContaining("the busy timeout (100 ms)")
                        .hasMessageContaining(db.toString());
            } finally {
                statement.execute("ROLLBACK");
            }
            // Once the other writer is gone, writes go through and no connection was left inside a transaction.
            for (int i = 0; i < 6; i++) {
                stores.documents().update("app", d -> d.put("x", d.path("x").asInt() + 1), CHANGE);
            }
            assertThat(stores.documents().load("app").orElseThrow().content().get("x").asInt()).isEqualTo(6);
        }
    }
}
