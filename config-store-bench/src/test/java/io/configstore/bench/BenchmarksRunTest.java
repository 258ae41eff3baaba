package io.configstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs each benchmark body once, as JMH would set it up, so that a broken benchmark fails the build. Times nothing:
 * the figures come from JMH runs (see the README).
 */
class BenchmarksRunTest {

    @Test
    void the_crypto_benchmark_round_trips_a_secret() {
        SecretCryptoBenchmark benchmark = new SecretCryptoBenchmark();
        benchmark.setUp();
        assertThat(benchmark.encrypt()).startsWith("v1:bench:");
        assertThat(benchmark.decrypt().reveal()).startsWith("sk-proj-");
    }

    @Test
    void the_reveal_benchmark_reveals_the_stored_key_on_every_backend() throws Exception {
        for (String backend : new String[] {"memory", "sqlite"}) {
            RevealBenchmark benchmark = new RevealBenchmark();
            benchmark.backend = backend;
            benchmark.setUp();
            try {
                assertThat(benchmark.reveal().reveal()).as(backend).startsWith("sk-proj-");
            } finally {
                benchmark.tearDown();
            }
        }
    }

    @Test
    void the_cached_read_benchmark_serves_the_default_provider_and_effective_document_on_every_backend()
            throws Exception {
        for (String backend : new String[] {"memory", "sqlite"}) {
            CachedReadBenchmark benchmark = new CachedReadBenchmark();
            benchmark.backend = backend;
            benchmark.setUp();
            try {
                assertThat(benchmark.cachedDefaultProvider()).as(backend)
                        .isEqualTo(benchmark.storeDefaultProvider());
                assertThat(benchmark.cachedEffectiveDocument()).as(backend)
                        .isSameAs(benchmark.cachedEffectiveDocument());
                assertThat(benchmark.cachedEffectiveDocument().tree())
                        .isEqualTo(benchmark.storeEffectiveDocument().tree());
            } finally {
                benchmark.tearDown();
            }
        }
    }
}
