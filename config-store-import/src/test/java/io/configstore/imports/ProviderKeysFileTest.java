package io.configstore.imports;

import static io.configstore.imports.ImportTargets.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderKeysFileTest {
    /** Both shapes, as such tools write them: an object per provider (with a field we do not know), a bare key. */
    static final String FILE = """
            {
              "openai": {"apiKey": "sk-openai-1", "baseUrl": "https://api.openai.com/v1",
                         "models": ["gpt-4o", "gpt-4o-mini"], "displayName": "OpenAI", "orgId": "org-42"},
              "anthropic": "sk-ant-2",
              "local": {"baseUrl": "http://127.0.0.1:11434"}
            }
            """;

    @TempDir
    Path dir;

    private final SecretCipher cipher = ImportTargets.cipher();
    private StoreSet target;
    private Path file;

    @BeforeEach
    void open() throws Exception {
        target = ImportTargets.sqlite(dir.resolve("target.db"), cipher);
        file = Files.writeString(dir.resolve("provider_keys.json"), FILE);
    }

    @AfterEach
    void close() {
        target.close();
    }

    @Test
    void a_clean_import_creates_providers_and_encrypted_keys_keeping_unknown_fields() {
        ImportReport report = ProviderKeysFile.of(file).importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(report.imported()).isEqualTo(5);
        assertThat(report.failed()).isZero();
        assertThat(report.verifiedSecrets()).isEqualTo(2);
        ProviderConfig openai = target.providers().resolve("openai").orElseThrow();
        assertThat(openai.name()).isEqualTo("default");
        assertThat(openai.settings().get("baseUrl").asText()).isEqualTo("https://api.openai.com/v1");
        assertThat(openai.settings().get("models")).hasSize(2);
        assertThat(openai.settings().get("orgId").asText()).isEqualTo("org-42");
        assertThat(openai.settings().has("apiKey")).isFalse();
        assertThat(ImportTargets.reveal(target, "openai", "default")).isEqualTo("sk-openai-1");
        assertThat(ImportTargets.reveal(target, "anthropic", "default")).isEqualTo("sk-ant-2");
        assertThat(target.apiKeys().listByType("local")).isEmpty();
        assertThat(target.providers().getDefault("local")).isPresent();
        assertThat(report.describe()).doesNotContain("sk-openai-1").contains("verified 2 secret(s)");
    }

    @Test
    void a_second_run_skips_everything_and_changes_nothing() {
        ProviderKeysFile source = ProviderKeysFile.of(file);
        source.importInto(target, ImportTargets.skip(), ImportProgress.NONE);
        long version = target.providers().resolve("openai").orElseThrow().version();

        ImportReport again = source.importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(again.imported()).isZero();
        assertThat(again.skipped()).isEqualTo(5);
        assertThat(again.items()).allSatisfy(item -> assertThat(item.detail()).isEqualTo("exists, identical"));
        assertThat(target.providers().resolve("openai").orElseThrow().version()).isEqualTo(version);
        assertThat(ImportTargets.rows(target)).isEqualTo(5);
    }

    @Test
    void a_dry_run_plans_the_import_and_writes_nothing() {
        ImportReport plan = ProviderKeysFile.of(file).importInto(target, ImportTargets.skip().asDryRun(),
                ImportProgress.NONE);

        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.imported()).isEqualTo(5);
        assertThat(plan.summary()).startsWith("dry run: would import 5");
        assertThat(ImportTargets.rows(target)).isZero();
    }

    @Test
    void in_skip_mode_an_existing_key_is_kept_and_counted_and_the_rest_imported() {
        target.apiKeys().store("openai", "default", Secret.of("sk-already-there"), OPS);

        ImportReport report = ProviderKeysFile.of(file).importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.imported()).isEqualTo(4);
        assertThat(report.items()).filteredOn(item -> item.outcome() == ImportItem.Outcome.SKIPPED)
                .singleElement().satisfies(item -> assertThat(item.detail()).isEqualTo("exists, differs in secret"));
        assertThat(ImportTargets.reveal(target, "openai", "default")).isEqualTo("sk-already-there");
        assertThat(report.verifiedSecrets()).isEqualTo(1);
    }

    @Test
    void in_fail_mode_an_existing_key_fails_the_import_and_nothing_is_written() {
        target.apiKeys().store("openai", "default", Secret.of("sk-already-there"), OPS);

        assertThatThrownBy(() -> ProviderKeysFile.of(file).importInto(target, ImportTargets.fail(),
                ImportProgress.NONE))
                .isInstanceOf(DuplicateException.class)
                .hasMessageContaining("apiKey openai/default in tenant default")
                .hasMessageContaining("nothing was imported");
        assertThat(ImportTargets.rows(target)).isEqualTo(1);
    }

    @Test
    void malformed_files_are_errors_naming_the_file_the_position_and_what_was_expected() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\n  \"openai\": {\"apiKey\": \"sk\",\n}");
        assertThatThrownBy(() -> ProviderKeysFile.of(broken).importInto(target, ImportTargets.skip(),
                ImportProgress.NONE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("broken.json is not valid JSON: a syntax error")
                .hasMessageContaining("at line 3, column 1")
                .hasMessageContaining("expected a JSON object mapping provider names");

        Path wrongType = Files.writeString(dir.resolve("models.json"),
                "{\"openai\": {\"apiKey\": \"sk\", \"models\": \"gpt-4o\"}}");
        assertThatThrownBy(() -> ProviderKeysFile.of(wrongType).importInto(target, ImportTargets.skip(),
                ImportProgress.NONE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("models.json at /openai/models: expected an array of strings, found a JSON"
                        + " string");

        Path array = Files.writeString(dir.resolve("array.json"), "[\"sk-1\"]");
        assertThatThrownBy(() -> ProviderKeysFile.of(array).importInto(target, ImportTargets.skip(),
                ImportProgress.NONE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("a JSON array at its top level");

        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        assertThatThrownBy(() -> ProviderKeysFile.of(empty).importInto(target, ImportTargets.skip(),
                ImportProgress.NONE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("it holds no JSON value");

        Path number = Files.writeString(dir.resolve("number.json"), "{\"openai\": 42}");
        assertThatThrownBy(() -> ProviderKeysFile.of(number).importInto(target, ImportTargets.skip(),
                ImportProgress.NONE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("number.json at /openai: expected the key as a string or an object");
        assertThat(ImportTargets.rows(target)).isZero();
    }
}
