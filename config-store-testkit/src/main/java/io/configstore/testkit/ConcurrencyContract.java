package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.DEADLINE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.crypto.Secret;
import io.configstore.error.DuplicateException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Concurrency: no lost update and exactly one default under threads and second instances. */
public interface ConcurrencyContract extends StoreContract {
    /** Threads each concurrency test runs. */
    int THREADS = 8;

    @Test
    default void concurrent_updates_of_one_document_lose_nothing(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        int perThread = 50;

        List<Integer> failures = runTogether(THREADS, thread -> () -> {
            for (int i = 0; i < perThread; i++) {
                stores.documents().update("counter", doc -> doc.put("count", doc.path("count").asInt() + 1), CHANGE);
            }
            return 0;
        });

        assertThat(failures).containsOnly(0);
        ConfigDocument counter = stores.documents().load("counter").orElseThrow();
        assertThat(counter.content().get("count").asInt()).isEqualTo(THREADS * perThread);
        assertThat(counter.revision()).isEqualTo(THREADS * perThread);
    }

    @Test
    default void two_store_sets_on_one_location_updating_one_document_lose_nothing(StoreUnderTest store)
            throws Exception {
        StoreSet first = store.stores();
        StoreSet second = store.openAnother();
        int perThread = 25;

        runTogether(THREADS, thread -> () -> {
            StoreSet mine = thread % 2 == 0 ? first : second;
            for (int i = 0; i < perThread; i++) {
                mine.documents().update("counter", doc -> doc.put("count", doc.path("count").asInt() + 1), CHANGE);
            }
            return 0;
        });

        int expected = THREADS * perThread;
        assertThat(first.documents().load("counter").orElseThrow().content().get("count").asInt())
                .isEqualTo(expected);
        assertThat(second.documents().load("counter").orElseThrow().content().get("count").asInt())
                .isEqualTo(expected);
    }

    @Test
    default void concurrent_setDefault_calls_leave_exactly_one_default(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        List<ProviderConfig> candidates = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            candidates.add(stores.providers().create(provider("openai", "p" + i), CHANGE));
        }
        ProviderConfig otherType = stores.providers().create(provider("anthropic", "main"), CHANGE);

        runTogether(THREADS, thread -> () -> {
            for (int round = 0; round < 20; round++) {
                ProviderConfig made = stores.providers()
                        .setDefault(candidates.get((thread + round) % THREADS).id(), CHANGE);
                assertThat(made.isDefault()).isTrue();
            }
            return 0;
        });

        List<ProviderConfig> openai = stores.providers().listByType("openai");
        assertThat(openai).hasSize(THREADS).filteredOn(ProviderConfig::isDefault).hasSize(1);
        assertThat(stores.providers().getDefault("openai")).isPresent();
        assertThat(stores.providers().get(otherType.id())).contains(otherType);
    }

    @Test
    default void concurrent_creates_of_one_name_store_exactly_one(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();

        List<String> outcomes = runTogether(THREADS, thread -> () -> {
            try {
                stores.providers().create(provider("openai", "contended").asDefault(), CHANGE);
                stores.apiKeys().store("openai", "contended", Secret.of("s" + thread), CHANGE);
                return "created";
            } catch (DuplicateException e) {
                return "duplicate";
            }
        });

        assertThat(outcomes).containsOnlyOnce("created");
        assertThat(outcomes).filteredOn("duplicate"::equals).hasSize(THREADS - 1);
        assertThat(stores.providers().list()).hasSize(1).allMatch(ProviderConfig::isDefault);
        assertThat(stores.apiKeys().list()).hasSize(1);
    }

    @Test
    default void concurrent_units_of_work_each_commit_completely(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        int perThread = 10;

        runTogether(THREADS, thread -> () -> {
            for (int i = 0; i < perThread; i++) {
                String name = "t" + thread + "-" + i;
                stores.inUnitOfWork(tx -> {
                    tx.documents().save(name, json("name", name), 1, ConfigDocument.NO_REVISION, CHANGE);
                    tx.documents().update("total", doc -> doc.put("count", doc.path("count").asInt() + 1), CHANGE);
                    return null;
                });
            }
            return 0;
        });

        assertThat(stores.documents().names()).hasSize(THREADS * perThread + 1);
        assertThat(stores.documents().load("total").orElseThrow().content().get("count").asInt())
                .isEqualTo(THREADS * perThread);
    }

    /**
     * Runs one task per thread, released together by a barrier, and returns their results in thread order; a task's
     * exception fails the test. Bounded by the kit's deadline.
     */
    private static <T> List<T> runTogether(int threads, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<T> body = task.apply(t);
                futures.add(executor.submit(() -> {
                    start.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                    return body.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a concurrent task failed: " + e.getCause(), e.getCause());
                }
            }
            return results;
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
