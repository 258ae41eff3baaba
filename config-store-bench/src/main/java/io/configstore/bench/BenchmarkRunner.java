package io.configstore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks whose names match the first argument (a regular expression; all when none is given), with
 * the iterations their annotations set. Options:
 * <ul>
 *   <li>{@code --short}: the short profile of {@code run-benchmarks.sh}, planned to fit ten minutes on two cores:
 *       the library's operations, their floor, the peer and the scale runs with one fork, one 1 s warm-up and five
 *       1 s measurements each (54 runs; five, because a write's cost is mostly the disk's sync, whose time varies),
 *       then the imports of 100,000 providers timed once each (6 runs): about seven minutes;</li>
 *   <li>{@code --smoke}: the same runs with no warm-up, one 0.5 s measurement and imports of 10,000: proves they
 *       work on a busy machine, measures nothing worth quoting;</li>
 *   <li>{@code --markdown <file>}: writes the medians and the ratios (library/floor, peer/library) as Markdown.</li>
 * </ul>
 * See this module's README for the commands and the latest figures.
 */
public final class BenchmarkRunner {
    /** The short profile's timed-operation runs: cached reads, store operations, floor, peer, scale. */
    static final String SHORT_OPERATIONS = "io\\.configstore\\.bench\\.(CachedReadBenchmark\\.cached.*"
            + "|StoreOperationsBenchmark\\..*|FloorBenchmark\\..*|PeerBenchmark\\..*|ScaleBenchmark\\..*)";
    /** The short profile's imports. */
    static final String SHORT_IMPORTS = "io\\.configstore\\.bench\\.Import(Floor)?Benchmark\\..*";

    private BenchmarkRunner() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String include = "io\\.configstore\\.bench\\..*";
        boolean quick = false;
        boolean smoke = false;
        Path markdown = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> quick = true;
                case "--smoke" -> smoke = true;
                case "--markdown" -> markdown = Path.of(args[++i]);
                default -> include = args[i];
            }
        }
        List<RunResult> results = new ArrayList<>();
        if (smoke) {
            // Proves every run of the short profile works, not how fast: one 0.5 s iteration, 10,000-row imports.
            results.addAll(run(new OptionsBuilder().include(SHORT_OPERATIONS).forks(1).warmupIterations(0)
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(500))));
            results.addAll(run(new OptionsBuilder().include(SHORT_IMPORTS).forks(1).warmupIterations(0)
                    .measurementIterations(1).param("providers", "10000")));
        } else if (quick) {
            // The GC profiler's bytes per operation show whether cached reads allocate.
            results.addAll(run(new OptionsBuilder().include(SHORT_OPERATIONS).forks(1).addProfiler(GCProfiler.class)
                    .warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1))));
            results.addAll(run(new OptionsBuilder().include(SHORT_IMPORTS).forks(1)
                    .warmupIterations(0).measurementIterations(1)));
        } else {
            results.addAll(run(new OptionsBuilder().include(include)));
        }
        if (markdown != null) {
            Files.writeString(markdown, BenchmarkReport.markdown(results), StandardCharsets.UTF_8);
        }
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }
}
