package io.configstore.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Fernet;
import io.configstore.crypto.FernetKey;
import io.configstore.error.MalformedJsonException;
import io.configstore.error.ValidationException;
import io.configstore.store.StoreSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-damaged sources: every import source reads its JSON through the one strict reader, so a damaged, concatenated
 * or half-edited source is refused whole (nothing imported), and the refusal names the place and the expected shape
 * but never repeats the text found there, which may be a key.
 */
class DamagedSourcesTest {
    /** Recognisable, so that a message that repeats it is caught. */
    static final String SECRET = "gsk_live_ABCdef123456XYZ";

    @TempDir
    Path dir;

    private StoreSet target;

    @BeforeEach
    void open() {
        target = ImportTargets.sqlite(dir.resolve("target.db"), ImportTargets.cipher());
    }

    @AfterEach
    void close() {
        target.close();
    }

    @Test
    void a_provider_key_file_whose_key_lost_its_quotes_names_file_line_and_column_but_not_the_key() throws Exception {
        Path file = Files.writeString(dir.resolve("provider_keys.json"),
                "{\n  \"groq\": {\n    \"apiKey\": " + SECRET + ",\n    \"baseUrl\": \"https://api.groq.com\"\n"
                        + "  }\n}\n");

        assertRefusedWithoutSecret(() -> ProviderKeysFile.of(file)
                .importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3, column ")
                .hasMessageContaining("a syntax error")
                .hasMessageContaining("expected a JSON object mapping provider names");
        assertThat(ImportTargets.rows(target)).isZero();
    }

    @Test
    void a_damaged_config_file_and_the_bootstrap_that_reads_it_do_not_repeat_the_damaged_text() throws Exception {
        Path file = Files.writeString(dir.resolve("app.json"), "{\"db\": {\"password\": " + SECRET + "}}");

        assertRefusedWithoutSecret(() -> JsonConfigFile.of(file, "app")
                .importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(MalformedJsonException.class).hasMessageContaining("line 1, column ");
        assertRefusedWithoutSecret(() -> Bootstrap.builder().configFile(file, "app")
                .environment(Map.of(), ProviderKeyVariables.defaults()).build().run(target))
                .isInstanceOf(ValidationException.class).hasMessageContaining(file.toString());
        assertThat(target.documents().names()).isEmpty();
    }

    @Test
    void trailing_text_and_duplicate_keys_refuse_every_json_file_source_whole() throws Exception {
        Map<String, Function<Path, ImportSource>> sources = Map.of(
                "provider_keys.json", ProviderKeysFile::of,
                "app.json", file -> JsonConfigFile.of(file, "app"));
        for (Map.Entry<String, Function<Path, ImportSource>> source : sources.entrySet()) {
            Path trailing = Files.writeString(dir.resolve("trailing-" + source.getKey()),
                    "{\"openai\": \"sk-a\"} {\"anthropic\": \"" + SECRET + "\"}");
            Path duplicate = Files.writeString(dir.resolve("duplicate-" + source.getKey()),
                    "{\"openai\": \"sk-a\",\n \"openai\": \"" + SECRET + "\"}");

            assertRefusedWithoutSecret(() -> source.getValue().apply(trailing)
                    .importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                    .isInstanceOf(MalformedJsonException.class)
                    .hasMessageContaining("more text after the first complete JSON value")
                    .hasMessageContaining("line 1, column ");
            assertRefusedWithoutSecret(() -> source.getValue().apply(duplicate)
                    .importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                    .isInstanceOf(MalformedJsonException.class)
                    .hasMessageContaining("a key that appears twice")
                    .hasMessageContaining("line 2, column ");
        }
        assertThat(ImportTargets.rows(target)).isZero();
    }

    @Test
    void a_bundle_file_with_trailing_text_duplicate_keys_or_a_damaged_value_is_refused_without_repeating_it() throws Exception {
        String good = "{\"format\": \"configstore-bundle\", \"formatVersion\": 1, \"tenants\": []}";
        Path trailing = Files.writeString(dir.resolve("trailing.bundle.json"), good + "\n" + good);
        Path duplicate = Files.writeString(dir.resolve("duplicate.bundle.json"),
                "{\"format\": \"configstore-bundle\", \"format\": \"configstore-bundle\"}");
        Path damaged = Files.writeString(dir.resolve("damaged.bundle.json"),
                "{\"tenants\": [{\"providers\": [{\"settings\": {\"token\": " + SECRET + "}}]}]}");

        assertRefusedWithoutSecret(() -> StoreBundle.readFile(trailing)).isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("bundle " + trailing).hasMessageContaining("line 2, column ");
        assertRefusedWithoutSecret(() -> StoreBundle.readFile(duplicate)).isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("a key that appears twice");
        assertRefusedWithoutSecret(() -> StoreBundle.readFile(damaged)).isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("a syntax error");
    }

    @Test
    void a_python_database_whose_settings_are_damaged_concatenated_or_duplicated_imports_nothing() throws Exception {
        FernetKey key = FernetKey.generate();
        Path database = dir.resolve("service.db");
        PythonSqliteSourceTest.writeServiceDatabase(database, Fernet.of(key));
        String[] damaged = {
            "{\"model\": \"gpt-4o\", \"token\": " + SECRET + "}",
            "{\"model\": \"gpt-4o\"} {\"token\": \"" + SECRET + "\"}",
            "{\"token\": \"sk-a\", \"token\": \"" + SECRET + "\"}",
        };
        String[] problems = {"a syntax error", "more text after", "a key that appears twice"};
        for (int i = 0; i < damaged.length; i++) {
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE provider_configs SET settings = ? WHERE id = 2")) {
                update.setString(1, damaged[i]);
                update.executeUpdate();
            }
            assertRefusedWithoutSecret(() -> PythonSqliteSource.withFernetKey(database, key.encoded())
                    .importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                    .isInstanceOf(MalformedJsonException.class)
                    .hasMessageContaining("table provider_configs row id=2: column settings")
                    .hasMessageContaining(problems[i])
                    .hasMessageContaining("expected a JSON object of provider settings");
        }
        assertThat(ImportTargets.rows(target)).isZero();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefusedWithoutSecret(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return assertThatThrownBy(call).satisfies(e -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).doesNotContain(SECRET).doesNotContain("gsk_live");
            }
        });
    }
}
