package io.configstore.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks whose class names match the argument (a regular expression; all when none is given), with
 * the iterations their annotations set. See this module's README for the command and the latest figures.
 */
public final class BenchmarkRunner {
    private BenchmarkRunner() {
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(args.length > 0 ? args[0] : "io\\.configstore\\.bench\\..*")
                .build();
        new Runner(options).run();
    }
}
