package io.configstore.bench;

import io.configstore.crypto.Secret;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stores' operations, uncached, per backend: what {@link FloorBenchmark} does in raw JDBC, method for method,
 * done through the library (validation, pool, transaction, JSON, change feed, encryption).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StoreOperationsBenchmark {
    private static final ChangeContext CHANGE = ChangeContext.by("bench");

    @Param({"memory", "sqlite", "file", "postgres"})
    public String backend;

    private BenchBackend opened;
    private StoreSet stores;
    private String providerId;
    private String keyId;
    private long created;

    /** Opens the backend and writes one provider, one key and the documents the writes update. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        opened = BenchBackend.open(backend);
        stores = opened.stores();
        providerId = stores.providers().create(NewProviderConfig.of("openai", "main",
                Json.object().put("url", "https://api.openai.com")), CHANGE).id();
        keyId = stores.apiKeys().store("openai", "main", Secret.of("sk-" + "x".repeat(48)), CHANGE).id();
        for (String name : new String[] {"counter", "a", "b", "c"}) {
            stores.documents().save(name, Json.object().put("count", 0), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
    }

    /** Closes the store and deletes its files or schema. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        opened.close();
    }

    /** A provider by id, read from storage. */
    @Benchmark
    public Optional<ProviderConfig> readById() {
        return stores.providers().get(providerId);
    }

    /** A new provider (the store grows by one per call). */
    @Benchmark
    public ProviderConfig create() {
        return stores.providers().create(NewProviderConfig.of("openai", "bench-" + created++,
                Json.object().put("url", "https://bench.example")), CHANGE);
    }

    /** A counter document incremented by a function (read, apply, compare-and-set). */
    @Benchmark
    public ConfigDocument updateWithFunction() {
        return stores.documents().update("counter", doc -> doc.put("count", doc.path("count").asInt() + 1), CHANGE);
    }

    /** Three such updates in one unit of work. */
    @Benchmark
    public Object unitOfWork() {
        return stores.inUnitOfWork(tx -> {
            for (String name : new String[] {"a", "b", "c"}) {
                tx.documents().update(name, doc -> doc.put("count", doc.path("count").asInt() + 1), CHANGE);
            }
            return null;
        });
    }

    /** A key revealed: its row read and decrypted. */
    @Benchmark
    public Secret reveal() {
        return stores.apiKeys().reveal(keyId);
    }

    /** A use of a key recorded, straight to storage (the service coalesces these; this is the store's cost). */
    @Benchmark
    public void recordUsage() {
        stores.apiKeys().recordUsage(keyId);
    }
}
