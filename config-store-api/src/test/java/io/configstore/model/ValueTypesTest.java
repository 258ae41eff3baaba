package io.configstore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValueTypesTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30.123Z");

    private static ProviderConfig provider(ObjectNode settings) {
        return new ProviderConfig("p1", "default", "openai", "prod", settings, true, true, 10, 1, NOW, NOW, "ops",
                null);
    }

    @Test
    void a_provider_config_hands_out_copies_of_its_settings() {
        ProviderConfig config = provider(Json.object().put("model", "gpt-4o"));
        config.settings().put("model", "changed");
        assertThat(config.settings().get("model").asText()).isEqualTo("gpt-4o");
    }

    @Test
    void withers_change_only_their_field_and_keep_the_version_read() {
        ProviderConfig config = provider(Json.object());
        ProviderConfig edited = config.withName("staging").withEnabled(false).withPriority(5)
                .withSettings(Json.object().put("region", "eu"));
        assertThat(edited.name()).isEqualTo("staging");
        assertThat(edited.enabled()).isFalse();
        assertThat(edited.priority()).isEqualTo(5);
        assertThat(edited.settings().get("region").asText()).isEqualTo("eu");
        assertThat(edited.version()).isEqualTo(config.version());
        assertThat(edited.isDefault()).isEqualTo(config.isDefault());
    }

    @Test
    void a_new_provider_config_defaults_to_enabled_not_default_and_the_default_priority() {
        NewProviderConfig config = NewProviderConfig.of("openai", "prod", Json.object());
        assertThat(config.enabled()).isTrue();
        assertThat(config.makeDefault()).isFalse();
        assertThat(config.priority()).isEqualTo(NewProviderConfig.DEFAULT_PRIORITY);
        assertThat(config.asDefault().withPriority(1).makeDefault()).isTrue();
    }

    @Test
    void records_validate_on_construction() {
        assertThatThrownBy(() -> NewProviderConfig.of("openai", " prod", Json.object()))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> NewProviderConfig.of("openai", "prod", null))
                .isInstanceOf(ValidationException.class)
                .hasMessage("settings must not be null");
        assertThatThrownBy(() -> new ConfigDocument("default", "app", Json.object(), 0, 1, NOW, "ops", null))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("formatVersion");
    }

    @Test
    void a_change_context_requires_an_actor_and_bounds_the_reason() {
        assertThat(ChangeContext.by("alice", "rotate after leak").reason()).isEqualTo("rotate after leak");
        assertThat(ChangeContext.unattributed().changedBy()).isEqualTo(ChangeContext.UNATTRIBUTED);
        assertThatThrownBy(() -> ChangeContext.by("")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ChangeContext.by("alice", "x".repeat(Arguments.MAX_REASON_LENGTH + 1)))
                .isInstanceOf(ValidationException.class);
    }

    record Limits(int maxConnections) {
    }

    @Test
    void a_document_binds_to_a_host_type_ignoring_properties_it_does_not_know() {
        ConfigDocument document = new ConfigDocument("default", "app",
                Json.object().put("maxConnections", 7).put("addedByNewerCode", true), 1, 3, NOW, "ops", null);
        assertThat(document.bind(Limits.class)).isEqualTo(new Limits(7));
    }

    @Test
    void records_holding_settings_or_content_print_their_keys_but_never_their_values() {
        ObjectNode secretive = Json.object().put("apiKey", "sk-live-999").put("model", "gpt-4o");
        assertThat(provider(secretive).toString()).contains("apiKey", "model", "version=1")
                .doesNotContain("sk-live-999");
        assertThat(NewProviderConfig.of("openai", "prod", secretive).toString()).doesNotContain("sk-live-999");
        assertThat(new ConfigDocument("default", "app", secretive, 1, 2, NOW, "ops", null).toString())
                .contains("revision=2").doesNotContain("sk-live-999");
    }
}
