package io.configstore.bench;

import io.configstore.error.StoreUnavailableException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.service.ConfigurationService;
import io.configstore.service.ServiceHealth;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The service when its store goes away (SQLite behind a switch that makes every store call fail with
 * {@link StoreUnavailableException}, as a lost connection does): the time from the outage to DEGRADED (health check
 * every 50 ms), from the store's return to UP (recovery probe, backoff 50 ms to 200 ms), and the latency of a read
 * while DEGRADED, against the same read while UP (expected: the same, both from memory).
 */
@State(Scope.Benchmark)
@Fork(1)
public class OutageBenchmark {
    private BenchBackend opened;
    private Path snapshotDirectory;
    private volatile boolean away;
    private StoreSet switchable;
    private ConfigurationService service;

    /** Opens SQLite behind the switch, stores a provider and a document, and starts the service UP. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        opened = BenchBackend.open("sqlite");
        ChangeContext change = ChangeContext.by("bench");
        opened.stores().providers().create(NewProviderConfig.of("openai", "primary",
                Json.parseObject("settings", "{\"model\":\"gpt-4o\"}")), change);
        opened.stores().documents().save("app", Json.parseObject("app", "{\"port\":8080}"), 1,
                ConfigDocument.NO_REVISION, change);
        switchable = switchable(opened.stores(), StoreSet.class);
        snapshotDirectory = Files.createTempDirectory("configstore-outage-bench-");
        service = ConfigurationService.builder(switchable).snapshotFile(snapshotDirectory.resolve("bench.snapshot"))
                .healthCheckInterval(Duration.ofMillis(50)).recoveryBackoff(Duration.ofMillis(50),
                        Duration.ofMillis(200)).degradedStart(true).build();
        service.providers().getDefault("openai");
        service.documents().load("app");
    }

    /** Closes the service and the store, and deletes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        away = false;
        service.close();
        opened.close();
        Files.deleteIfExists(snapshotDirectory.resolve("bench.snapshot"));
        Files.deleteIfExists(snapshotDirectory);
    }

    /** Cuts the store (the service UP before, untimed) and waits until the service reports DEGRADED. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 10)
    public ServiceHealth.State timeToNoticeAnOutage(Up up) throws InterruptedException {
        away = true;
        ServiceHealth.State state = awaitState(ServiceHealth.State.DEGRADED);
        away = false;
        return state;
    }

    /** Brings the store back, waits until the service is UP again (cut untimed first). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 10)
    public ServiceHealth.State timeToRecover(Degraded degraded) throws InterruptedException {
        away = false;
        return awaitState(ServiceHealth.State.UP);
    }

    /** A cached read while the store is away. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public Optional<ProviderConfig> readWhileDegraded(HeldDegraded degraded) {
        return service.providers().getDefault("openai");
    }

    /** The same read while the store answers. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public Optional<ProviderConfig> readWhileUp() {
        return service.providers().getDefault("openai");
    }

    /** Before each outage measurement: the store answers and the service is UP. */
    @State(Scope.Benchmark)
    public static class Up {
        /** Brings the store back and waits for UP. */
        @Setup(Level.Invocation)
        public void restore(OutageBenchmark bench) throws InterruptedException {
            bench.away = false;
            bench.awaitState(ServiceHealth.State.UP);
        }
    }

    /** Before each recovery measurement: the service is DEGRADED. */
    @State(Scope.Benchmark)
    public static class Degraded {
        /** Cuts the store and waits for DEGRADED. */
        @Setup(Level.Invocation)
        public void cut(OutageBenchmark bench) throws InterruptedException {
            bench.away = true;
            bench.awaitState(ServiceHealth.State.DEGRADED);
        }
    }

    /** For the whole degraded-read trial: the service is DEGRADED. */
    @State(Scope.Benchmark)
    public static class HeldDegraded {
        /** Cuts the store and waits for DEGRADED. */
        @Setup(Level.Trial)
        public void cut(OutageBenchmark bench) throws InterruptedException {
            bench.away = true;
            bench.awaitState(ServiceHealth.State.DEGRADED);
        }

        /** Brings the store back. */
        @TearDown(Level.Trial)
        public void restore(OutageBenchmark bench) throws InterruptedException {
            bench.away = false;
            bench.awaitState(ServiceHealth.State.UP);
        }
    }

    /** Polls the service's health until it is {@code wanted}; fails after 60 seconds. */
    ServiceHealth.State awaitState(ServiceHealth.State wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (service.health().state() != wanted) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service did not become " + wanted + " within 60 s");
            }
            Thread.sleep(1);
        }
        return wanted;
    }

    /**
     * {@code target} behind a switch: while {@link #away} is set, every call (on it and on every store interface it
     * hands out) fails with {@link StoreUnavailableException}, as a store whose connection is lost does.
     */
    @SuppressWarnings("unchecked")
    private <T> T switchable(Object target, Class<T> type) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            if (away && !method.getName().equals("close") && !method.getName().equals("subscribe")) {
                throw new StoreUnavailableException("the benchmark cut the store", Instant.now());
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getPackageName().equals("io.configstore.store")) {
                return switchable(result, returned);
            }
            return result;
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
