package io.configstore.examples.dirstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.configstore.StoreSets;
import io.configstore.change.ChangeOrigin;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.Secret;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import io.configstore.testkit.StoreUnderTest;
import io.configstore.testkit.internal.ChildJvms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the contract kit does not cover of the example backend: its size, its files, other processes, its URL and its
 * crash safety.
 */
class DirectoryStoreSetTest {
    private static final Path PACKAGE = Path.of("src/main/java/io/configstore/examples/dirstore");
    private static final ChangeContext CHANGE = ChangeContext.by("test", "example backend");
    private final CipherSource cipher = CipherSource.of(StoreUnderTest.freshCipher("k1"));

    @TempDir
    Path dir;

    private static com.fasterxml.jackson.databind.node.ObjectNode json(String text) {
        return Json.parseObject("content", text);
    }

    @Test
    void the_example_backend_is_at_most_200_lines_comments_and_imports_included() throws Exception {
        long lines = 0;
        try (Stream<Path> files = Files.list(PACKAGE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                lines += Files.readAllLines(file, StandardCharsets.UTF_8).size();
            }
        }

        assertThat(lines).as("lines of every .java file in " + PACKAGE).isPositive().isLessThanOrEqualTo(200);
    }

    @Test
    void every_row_is_a_json_file_of_its_own_under_the_current_generation() throws Exception {
        ProviderConfig provider;
        try (StoreSet stores = DirectoryStoreSet.open(dir, cipher, Clock.systemUTC())) {
            provider = stores.providers().create(NewProviderConfig.of("openai", "main", json("{\"model\": \"gpt\"}")),
                    CHANGE);
            stores.forTenant("acme").documents().save("app/settings v2", json("{\"a\": 1}"), 1,
                    ConfigDocument.NO_REVISION, CHANGE);
            stores.apiKeys().store("openai", "prod", Secret.of("sk-not-in-any-file"), CHANGE);
        }

        Path gen = dir.resolve("gen-" + Files.readString(dir.resolve("CURRENT")));
        Path providerFile = gen.resolve("tenants/default/providers/" + provider.id() + ".json");
        assertThat(new ObjectMapper().readTree(providerFile.toFile()).path("name").asText()).isEqualTo("main");
        assertThat(gen.resolve("tenants/acme/documents/app%2Fsettings+v2.json")).isRegularFile();
        assertThat(gen.resolve("history.json")).isRegularFile();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).doesNotContain("sk-not-in-any-file");
            }
        }
    }

    @Test
    void processes_incrementing_one_document_lose_no_update_and_another_process_hears_every_version()
            throws Exception {
        byte[] key = AesGcmSecretCipher.generateKey();
        CipherSource shared = CipherSource.of(AesGcmSecretCipher.of("test", key));
        Path store = dir.resolve("store");
        List<Long> heard = new CopyOnWriteArrayList<>();
        try (StoreSet watching = DirectoryStoreSet.open(store, shared, Clock.systemUTC())) {
            watching.subscribe(event -> {
                if (event.origin() == ChangeOrigin.REMOTE && "counter".equals(event.key())) {
                    heard.add(event.version());
                }
            });
            ChildJvms children = ChildJvms.start(DirectoryChildProcess.class, dir, 3, store.toString(),
                    Base64.getEncoder().encodeToString(key), "40");
            try {
                children.releaseAndAwaitSuccess();
            } finally {
                children.destroy();
            }

            Await.until("this process heard revision 120 of counter", () -> heard.contains(120L));
            ConfigDocument counter = watching.documents().load("counter").orElseThrow();
            assertThat(counter.content().get("count").asInt()).isEqualTo(120);
            assertThat(counter.revision()).isEqualTo(120);
            assertThat(heard).isEqualTo(LongStream.rangeClosed(1, 120).boxed().toList());
        }
    }

    @Test
    void a_dir_url_opens_the_example_backend_through_store_sets() {
        String url = "dir:" + dir;
        try (StoreSet stores = StoreSets.open(url, cipher)) {
            stores.documents().save("app", json("{\"n\": 1}"), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        try (StoreSet again = StoreSets.open(url, cipher)) {
            assertThat(again.documents().load("app")).get().extracting(d -> d.content().get("n").asInt())
                    .isEqualTo(1);
        }
        assertThat(StoreSets.providers()).anySatisfy(p -> assertThat(p.scheme()).isEqualTo("dir:"));
    }

    @Test
    void a_dir_url_naming_no_valid_path_is_a_validation_error_that_does_not_repeat_it() {
        // StoreSets refuses control characters before any provider sees the URL; a host may call the provider itself.
        assertThatThrownBy(() -> new DirectoryStoreSet().open("dir:bad\u0000path", cipher, MigrationMode.MIGRATE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("dir:config")
                .hasMessageNotContaining("bad");
    }

    @Test
    void a_generation_a_crashed_writer_left_half_written_is_ignored_and_replaced() throws Exception {
        try (StoreSet stores = DirectoryStoreSet.open(dir, cipher, Clock.systemUTC())) {
            stores.documents().save("app", json("{\"n\": 1}"), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        long current = Long.parseLong(Files.readString(dir.resolve("CURRENT")));
        // A writer died after writing part of the next generation, before it renamed CURRENT.
        Path torn = dir.resolve("gen-" + (current + 1) + "/tenants/default/documents/ghost.json");
        Files.createDirectories(torn.getParent());
        Files.writeString(torn, "{\"content\": {\"n\"");

        try (StoreSet stores = DirectoryStoreSet.open(dir, cipher, Clock.systemUTC())) {
            assertThat(stores.documents().names()).containsExactly("app");
            ConfigDocument app = stores.documents().load("app").orElseThrow();
            stores.documents().save("app", json("{\"n\": 2}"), 1, app.revision(), CHANGE);
            assertThat(stores.documents().names()).containsExactly("app");
        }
        try (StoreSet again = DirectoryStoreSet.open(dir, cipher, Clock.systemUTC())) {
            assertThat(again.documents().names()).containsExactly("app");
        }
    }

    @Test
    void a_row_file_broken_by_hand_is_a_storage_error_naming_the_file_and_field_but_not_the_value() throws Exception {
        ProviderConfig provider;
        try (StoreSet stores = DirectoryStoreSet.open(dir, cipher, Clock.systemUTC())) {
            provider = stores.providers().create(NewProviderConfig.of("openai", "main", json("{}")), CHANGE);
        }
        Path gen = dir.resolve("gen-" + Files.readString(dir.resolve("CURRENT")));
        Path file = gen.resolve("tenants/default/providers/" + provider.id() + ".json");
        Files.writeString(file, Files.readString(file).replace("\"priority\" : 100", "\"priority\" : \"secret-x\""));

        assertThatThrownBy(() -> DirectoryStoreSet.open(dir, cipher, Clock.systemUTC()))
                .isInstanceOf(StorageException.class).hasMessageContaining(provider.id() + ".priority")
                .hasMessageContaining("an integer").hasMessageNotContaining("secret-x");
        assertThat(List.of(Files.readString(file))).allSatisfy(text -> assertThat(text).contains("secret-x"));
    }
}
