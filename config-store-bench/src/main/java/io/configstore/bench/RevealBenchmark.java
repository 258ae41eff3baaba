package io.configstore.bench;

import io.configstore.crypto.Secret;
import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import java.io.IOException;
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
 * {@code ApiKeyStore.reveal} end to end, per backend: read the row, decrypt it, hand back a {@link Secret}. The
 * in-memory backend shows the library's own cost; SQLite adds one indexed read of a file in WAL mode.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RevealBenchmark {
    @Param({"memory", "sqlite"})
    public String backend;

    private BenchBackend opened;
    private StoreSet stores;
    private String keyId;

    /** Opens the backend once (deriving nothing per operation) and stores one key. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        opened = BenchBackend.open(backend);
        stores = opened.stores();
        keyId = stores.apiKeys().store("openai", "production", Secret.of("sk-proj-" + "x".repeat(156)),
                ChangeContext.by("bench")).id();
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        opened.close();
    }

    /** Reveals the stored key by id. */
    @Benchmark
    public Secret reveal() {
        return stores.apiKeys().reveal(keyId);
    }
}
