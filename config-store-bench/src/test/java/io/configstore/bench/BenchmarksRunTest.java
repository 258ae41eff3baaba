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

    @Test
    void the_store_operations_and_their_floor_run_on_sqlite_and_postgres() throws Exception {
        for (String backend : new String[] {"sqlite", "postgres"}) {
            StoreOperationsBenchmark library = new StoreOperationsBenchmark();
            library.backend = backend;
            library.setUp();
            try {
                assertThat(library.readById()).as(backend).isPresent();
                assertThat(library.create().name()).startsWith("bench-");
                assertThat(library.updateWithFunction().content().get("count").asInt()).isEqualTo(1);
                library.unitOfWork();
                assertThat(library.reveal().reveal()).startsWith("sk-");
                library.recordUsage();
            } finally {
                library.tearDown();
            }
            FloorBenchmark floor = new FloorBenchmark();
            floor.backend = backend;
            floor.setUp();
            try {
                assertThat(floor.readById()).as(backend).isPositive();
                assertThat(floor.create()).isEqualTo(1);
                assertThat(floor.updateWithFunction()).isEqualTo(1);
                assertThat(floor.unitOfWork()).isEqualTo(3);
                assertThat(floor.reveal()).startsWith("v1:bench:");
                assertThat(floor.recordUsage()).isEqualTo(1);
            } finally {
                floor.tearDown();
            }
        }
    }

    @Test
    void the_peer_reads_the_provider_setting_from_the_same_sqlite_file() throws Exception {
        PeerBenchmark peer = new PeerBenchmark();
        peer.backend = "sqlite";
        peer.setUp();
        try {
            assertThat(peer.readSetting()).isEqualTo("https://api.openai.com");
        } finally {
            peer.tearDown();
        }
    }

    @Test
    void the_scale_benchmark_reads_and_updates_a_populated_store() throws Exception {
        ScaleBenchmark scale = new ScaleBenchmark();
        scale.backend = "sqlite";
        scale.entries = 1000;
        scale.setUp();
        try {
            assertThat(scale.readById()).isPresent();
            assertThat(scale.defaultOfType()).isPresent();
            assertThat(scale.updateWithFunction().revision()).isEqualTo(2);
        } finally {
            scale.tearDown();
        }
    }

    @Test
    void the_imports_create_every_provider_through_the_library_and_the_floor() throws Exception {
        ImportBenchmark library = new ImportBenchmark();
        library.backend = "sqlite";
        library.providers = 500;
        library.setUp();
        try {
            assertThat(library.importProviders()).isEqualTo(500);
        } finally {
            library.tearDown();
        }
        ImportFloorBenchmark floor = new ImportFloorBenchmark();
        floor.backend = "sqlite";
        floor.providers = 500;
        floor.setUp();
        try {
            assertThat(floor.importProviders()).isEqualTo(500);
        } finally {
            floor.tearDown();
        }
    }
}
