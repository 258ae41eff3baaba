package io.configstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.service.ServiceHealth;
import org.junit.jupiter.api.Test;

/** Runs the outage benchmark's bodies once, as JMH would set them up, so that a broken benchmark fails the build. */
class OutageBenchmarkRunTest {

    @Test
    void the_outage_benchmark_goes_degraded_serves_reads_and_comes_back_up() throws Exception {
        OutageBenchmark benchmark = new OutageBenchmark();
        benchmark.setUp();
        try {
            new OutageBenchmark.Up().restore(benchmark);
            assertThat(benchmark.timeToNoticeAnOutage(new OutageBenchmark.Up()))
                    .isEqualTo(ServiceHealth.State.DEGRADED);
            OutageBenchmark.Degraded degraded = new OutageBenchmark.Degraded();
            degraded.cut(benchmark);
            assertThat(benchmark.readWhileDegraded(null)).isEqualTo(benchmark.readWhileUp());
            assertThat(benchmark.readWhileDegraded(null)).isPresent();
            assertThat(benchmark.timeToRecover(degraded)).isEqualTo(ServiceHealth.State.UP);
        } finally {
            benchmark.tearDown();
        }
    }
}
