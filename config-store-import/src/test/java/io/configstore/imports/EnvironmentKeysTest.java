package io.configstore.imports;

import static io.configstore.imports.ImportTargets.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.effective.Origin;
import io.configstore.error.ValidationException;
import io.configstore.store.StoreSet;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentKeysTest {
    static final Map<String, String> ENVIRONMENT = Map.of("OPENAI_API_KEY", "sk-env-openai",
            "ANTHROPIC_API_KEY", "sk-env-anthropic", "MY_LLM_TOKEN", "tok-own", "PATH", "/usr/bin");

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
    void the_conventional_variables_and_an_added_one_import_as_encrypted_keys_once() {
        ProviderKeyVariables table = ProviderKeyVariables.defaults().with("MY_LLM_TOKEN", "my-llm");
        EnvironmentKeys source = EnvironmentKeys.of(ENVIRONMENT, table);

        ImportReport report = source.importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(report.imported()).isEqualTo(3);
        assertThat(report.verifiedSecrets()).isEqualTo(3);
        assertThat(ImportTargets.reveal(target, "openai", "default")).isEqualTo("sk-env-openai");
        assertThat(ImportTargets.reveal(target, "my-llm", "default")).isEqualTo("tok-own");
        assertThat(report.warnings()).singleElement().asString().contains("still in the environment");
        assertThat(report.source()).contains("OPENAI_API_KEY").doesNotContain("sk-env");

        ImportReport again = source.importInto(target, ImportTargets.skip(), ImportProgress.NONE);
        assertThat(again.imported()).isZero();
        assertThat(again.skipped()).isEqualTo(3);
    }

    @Test
    void values_are_kept_exactly_and_white_space_at_an_end_is_warned_about_by_name_not_value() {
        EnvironmentKeys source = EnvironmentKeys.of(Map.of("OPENAI_API_KEY", "sk-env-openai\r\n",
                "ANTHROPIC_API_KEY", " sk-env-anthropic", "GROQ_API_KEY", " \n"), ProviderKeyVariables.defaults());

        ImportReport report = source.importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(report.imported()).as("a value of white space only counts as unset").isEqualTo(2);
        assertThat(ImportTargets.reveal(target, "openai", "default")).isEqualTo("sk-env-openai\r\n");
        assertThat(ImportTargets.reveal(target, "anthropic", "default")).isEqualTo(" sk-env-anthropic");
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w)
                .contains("ANTHROPIC_API_KEY, OPENAI_API_KEY begins or ends with white space")
                .doesNotContain("sk-env"));
        try (EnvironmentKeys.ActiveKey key = source.activeKey(target.apiKeys(), "openai").orElseThrow()) {
            assertThat(key.secret().reveal()).isEqualTo("sk-env-openai\r\n");
        }
    }

    @Test
    void the_layer_gives_the_environments_key_with_its_origin_else_the_stores_without_writing() {
        target.apiKeys().store("openai", "prod", Secret.of("sk-stored-openai"), OPS);
        target.apiKeys().store("mistral", "prod", Secret.of("sk-stored-mistral"), OPS);
        EnvironmentKeys layer = EnvironmentKeys.of(ENVIRONMENT, ProviderKeyVariables.defaults());

        try (EnvironmentKeys.ActiveKey openai = layer.activeKey(target.apiKeys(), "openai").orElseThrow()) {
            assertThat(openai.secret().reveal()).isEqualTo("sk-env-openai");
            assertThat(openai.origin()).isEqualTo(Origin.environmentVariable("OPENAI_API_KEY"));
            assertThat(openai.toString()).doesNotContain("sk-env");
        }
        try (EnvironmentKeys.ActiveKey mistral = layer.activeKey(target.apiKeys(), "mistral").orElseThrow()) {
            assertThat(mistral.secret().reveal()).isEqualTo("sk-stored-mistral");
            assertThat(mistral.origin().layer()).isEqualTo(Origin.STORE);
            assertThat(mistral.origin().source()).startsWith("API key mistral/prod id ");
        }
        assertThat(layer.activeKey(target.apiKeys(), "cohere")).isEmpty();
        assertThat(target.apiKeys().list()).hasSize(2);
    }

    @Test
    void the_table_refuses_malformed_names_and_two_variables_for_one_type() {
        assertThatThrownBy(() -> ProviderKeyVariables.defaults().with("1BAD", "x"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not an environment variable name");
        assertThatThrownBy(() -> ProviderKeyVariables.defaults().with("OPENAI_KEY", "openai"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("read from OPENAI_API_KEY already");
        assertThat(ProviderKeyVariables.defaults().without("OPENAI_API_KEY").with("OPENAI_KEY", "openai").asMap())
                .containsEntry("OPENAI_KEY", "openai").doesNotContainKey("OPENAI_API_KEY");
    }

    @Test
    void an_environment_without_keys_imports_nothing_and_says_so() {
        ImportReport report = EnvironmentKeys.of(Map.of("PATH", "/usr/bin"), ProviderKeyVariables.defaults())
                .importInto(target, ImportTargets.skip(), ImportProgress.NONE);
        assertThat(report.items()).isEmpty();
        assertThat(report.warnings()).singleElement().asString().contains("OPENAI_API_KEY").contains("is set;"
                + " nothing to import");
        assertThat(ImportTargets.rows(target)).isZero();
    }
}
