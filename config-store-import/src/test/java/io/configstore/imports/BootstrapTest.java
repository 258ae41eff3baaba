package io.configstore.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.SecretCipher;
import io.configstore.error.ValidationException;
import io.configstore.store.StoreSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTest {
    @TempDir
    Path dir;

    private final SecretCipher cipher = ImportTargets.cipher();

    private Bootstrap bootstrap() {
        return Bootstrap.builder()
                .configFile(dir.resolve("app.json"), "app")
                .providerKeysFile(dir.resolve("provider_keys.json"))
                .environment(Map.of("ANTHROPIC_API_KEY", "sk-env-ant"), ProviderKeyVariables.defaults())
                .build();
    }

    @Test
    void the_first_start_imports_once_and_every_later_start_does_nothing() throws Exception {
        Files.writeString(dir.resolve("app.json"), "{\"server\":{\"port\":8080}}");
        Files.writeString(dir.resolve("provider_keys.json"), ProviderKeysFileTest.FILE);

        try (StoreSet stores = ImportTargets.sqlite(dir.resolve("store.db"), cipher)) {
            BootstrapReport first = bootstrap().run(stores);
            assertThat(first.alreadyDone()).isFalse();
            assertThat(first.imports()).hasSize(3);
            assertThat(stores.documents().load("app").orElseThrow().content().path("server").path("port").asInt())
                    .isEqualTo(8080);
            assertThat(ImportTargets.reveal(stores, "openai", "default")).isEqualTo("sk-openai-1");
            // provider_keys.json came first: the environment's anthropic key met it and was skipped, not overwritten.
            assertThat(ImportTargets.reveal(stores, "anthropic", "default")).isEqualTo("sk-ant-2");
            assertThat(first.summary()).contains("imported 6").contains("skipped 1");
            assertThat(stores.documents().load(Bootstrap.STATE_DOCUMENT).orElseThrow().content()
                    .get("completedAt").asText()).isEqualTo(first.completedAt());
        }
        Files.writeString(dir.resolve("app.json"), "{\"server\":{\"port\":9999}}");
        try (StoreSet stores = ImportTargets.sqlite(dir.resolve("store.db"), cipher)) {
            int rows = ImportTargets.rows(stores);
            BootstrapReport again = bootstrap().run(stores);
            assertThat(again.alreadyDone()).isTrue();
            assertThat(again.imports()).isEmpty();
            assertThat(again.summary()).startsWith("bootstrap: done already on ");
            assertThat(ImportTargets.rows(stores)).isEqualTo(rows);
            assertThat(stores.documents().load("app").orElseThrow().content().path("server").path("port").asInt())
                    .isEqualTo(8080);
        }
    }

    @Test
    void an_unparsable_file_fails_the_bootstrap_writes_nothing_and_the_next_start_tries_again() throws Exception {
        Files.writeString(dir.resolve("app.json"), "{\"server\":{\"port\":8080}}");
        Files.writeString(dir.resolve("provider_keys.json"), "{\"openai\": [1, 2]}");
        try (StoreSet stores = ImportTargets.sqlite(dir.resolve("store.db"), cipher)) {
            assertThatThrownBy(() -> bootstrap().run(stores))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("provider_keys.json at /openai");
            assertThat(ImportTargets.rows(stores)).isZero();

            Files.writeString(dir.resolve("provider_keys.json"), "{\"openai\": \"sk-fixed\"}");
            BootstrapReport retried = bootstrap().run(stores);
            assertThat(retried.alreadyDone()).isFalse();
            assertThat(ImportTargets.reveal(stores, "openai", "default")).isEqualTo("sk-fixed");
        }
    }

    @Test
    void missing_files_are_noted_and_the_bootstrap_still_counts_as_done() {
        try (StoreSet stores = ImportTargets.sqlite(dir.resolve("store.db"), cipher)) {
            BootstrapReport report = bootstrap().run(stores);
            assertThat(report.notes()).containsExactly("no configuration file at " + dir.resolve("app.json"),
                    "no provider key file at " + dir.resolve("provider_keys.json"));
            assertThat(ImportTargets.reveal(stores, "anthropic", "default")).isEqualTo("sk-env-ant");
            assertThat(bootstrap().run(stores).alreadyDone()).isTrue();
        }
    }

    @Test
    void two_instances_starting_together_import_once_between_them() throws Exception {
        Files.writeString(dir.resolve("app.json"), "{\"server\":{\"port\":8080}}");
        Files.writeString(dir.resolve("provider_keys.json"), ProviderKeysFileTest.FILE);
        try (StoreSet first = ImportTargets.sqlite(dir.resolve("store.db"), cipher);
             StoreSet second = ImportTargets.sqlite(dir.resolve("store.db"), cipher)) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.Future<BootstrapReport> a = pool.submit(() -> {
                    start.await();
                    return bootstrap().run(first);
                });
                java.util.concurrent.Future<BootstrapReport> b = pool.submit(() -> {
                    start.await();
                    return bootstrap().run(second);
                });
                start.countDown();
                java.util.List<BootstrapReport> reports = java.util.List.of(a.get(), b.get());
                assertThat(reports).filteredOn(report -> !report.alreadyDone()).hasSize(1);
                assertThat(reports).filteredOn(BootstrapReport::alreadyDone).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            // Three providers, two keys (local has none; the environment's anthropic key met the file's), the app
            // document and the record: one import.
            assertThat(first.providers().list()).hasSize(3);
            assertThat(first.apiKeys().list()).hasSize(2);
            assertThat(first.documents().names()).containsExactly("app", Bootstrap.STATE_DOCUMENT);
        }
    }
}
