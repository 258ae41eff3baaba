package io.configstore.bench;

import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * An import: 100,000 provider configurations created with one {@code createAll} on a fresh store, timed once per
 * invocation (the list is built inside the timing: it is part of an import). {@link ImportFloorBenchmark} inserts the
 * same rows, history rows and notices in raw JDBC batches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ImportBenchmark {
    @Param({"memory", "sqlite", "file", "postgres"})
    public String backend;

    /** How many providers one import creates. */
    @Param({"100000"})
    public int providers;

    private BenchBackend opened;

    /** A fresh, empty store for each import. */
    @Setup(Level.Invocation)
    public void setUp() throws IOException {
        opened = BenchBackend.open(backend);
    }

    /** Closes the store and deletes it. */
    @TearDown(Level.Invocation)
    public void tearDown() throws IOException {
        opened.close();
    }

    /**
     * Creates {@link #providers} providers of 100 types with one {@code createAll} (the library's import path: one
     * atomic write, batched); returns how many it created.
     */
    @Benchmark
    public int importProviders() {
        List<NewProviderConfig> configs = new ArrayList<>(providers);
        for (int i = 0; i < providers; i++) {
            configs.add(NewProviderConfig.of("type" + (i % 100), "provider-" + i,
                    Json.object().put("url", "https://p" + i + ".example")));
        }
        return opened.stores().providers().createAll(configs, ChangeContext.by("bench-import")).size();
    }
}
