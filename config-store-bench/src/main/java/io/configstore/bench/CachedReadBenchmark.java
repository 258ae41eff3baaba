package io.configstore.bench;

import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.service.ConfigurationService;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.util.List;
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
 * Reads through {@link ConfigurationService} once its snapshot is loaded (the default provider of a type, the
 * effective configuration of a document), against the same read made on the store directly. Run with
 * {@code -prof gc} to see the allocation per operation of a cached read (expected: none).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CachedReadBenchmark {
    @Param({"memory", "sqlite", "file", "postgres"})
    public String backend;

    private BenchBackend opened;
    private StoreSet stores;
    private ConfigurationService service;
    private EffectiveConfigLoader loader;

    /** Opens the backend, stores two providers of a type and a document, and loads the service's snapshot. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        opened = BenchBackend.open(backend);
        stores = opened.stores();
        ChangeContext change = ChangeContext.by("bench");
        stores.providers().create(NewProviderConfig.of("openai", "primary",
                Json.parseObject("settings", "{\"url\":\"https://api.openai.com\",\"model\":\"gpt-4o\"}")), change);
        stores.providers().create(NewProviderConfig.of("openai", "backup",
                Json.parseObject("settings", "{\"url\":\"https://backup.example\"}")), change);
        stores.documents().save("app", Json.parseObject("app", "{\"server\":{\"port\":8080,\"host\":\"0.0.0.0\"},"
                + "\"maxConnections\":20,\"features\":[\"a\",\"b\"]}"), 1, ConfigDocument.NO_REVISION, change);
        service = ConfigurationService.builder(stores).build();
        loader = EffectiveConfigLoader.builder("app").commandLine(List.of("--server.port=9090")).build();
        service.providers().getDefault("openai");
        service.effective(loader);
    }

    /** Closes the service and the store, and deletes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        service.close();
        opened.close();
    }

    /** The default provider of a type, from the service's snapshot. */
    @Benchmark
    public Optional<ProviderConfig> cachedDefaultProvider() {
        return service.providers().getDefault("openai");
    }

    /** The effective configuration of a document, from the service's snapshot. */
    @Benchmark
    public EffectiveConfig cachedEffectiveDocument() {
        return service.effective(loader);
    }

    /** The same default provider, read from the store (the cost the cache saves). */
    @Benchmark
    public Optional<ProviderConfig> storeDefaultProvider() {
        return stores.providers().getDefault("openai");
    }

    /** The same effective configuration, built from the store on every call. */
    @Benchmark
    public EffectiveConfig storeEffectiveDocument() {
        return loader.loadEffective(stores.documents());
    }
}
