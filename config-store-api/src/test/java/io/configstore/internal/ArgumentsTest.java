package io.configstore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentsTest {

    @Test
    void a_printable_name_is_accepted_as_it_is() {
        assertThat(Arguments.requireName("name", "Production EU-1 (ünïcode)")).isEqualTo("Production EU-1 (ünïcode)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "bad\nname", "bad\u0000name", " padded", "padded "})
    void blank_padded_or_control_character_names_are_rejected(String name) {
        assertThatThrownBy(() -> Arguments.requireName("name", name))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("name ");
    }

    @Test
    void a_name_over_the_limit_is_rejected_with_its_length_and_the_limit() {
        String name = "x".repeat(Arguments.MAX_NAME_LENGTH + 1);
        assertThatThrownBy(() -> Arguments.requireName("name", name))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("129 characters")
                .hasMessageContaining("limit is 128");
    }

    @Test
    void a_null_argument_is_a_validation_error_naming_the_field_never_a_null_pointer() {
        assertThatThrownBy(() -> Arguments.requireName("keyName", null))
                .isExactlyInstanceOf(ValidationException.class)
                .hasMessage("keyName must not be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-leading", "has space", "semi;colon", "üml"})
    void malformed_tenant_ids_are_rejected(String tenant) {
        assertThatThrownBy(() -> Arguments.requireTenantId(tenant)).isInstanceOf(ValidationException.class);
    }

    @Test
    void a_rejected_id_or_tenant_is_located_by_length_and_position_never_quoted() {
        assertThatThrownBy(() -> Arguments.requireId("id", "a\u0007" + "b".repeat(10)))
                .hasMessageContaining("id is not a valid id (character 2 of 12 is not allowed there)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("bbb"));
        assertThatThrownBy(() -> Arguments.requireId("id", "b".repeat(100)))
                .hasMessageContaining("it is 100 characters long")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("bbb"));
        assertThatThrownBy(() -> Arguments.requireTenantId("sk live secret"))
                .hasMessageContaining("tenantId is not valid (character 3 of 14 is not allowed there)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void versions_below_one_are_rejected() {
        assertThatThrownBy(() -> Arguments.requireVersion("version", 0)).isInstanceOf(ValidationException.class);
        assertThat(Arguments.requireVersion("version", 1)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lone\ud800", "\udc00first", "reversed\udc00\ud800pair", "end\udbff"})
    void text_with_an_unpaired_surrogate_is_refused_by_index_without_echoing_it(String text) {
        assertThatThrownBy(() -> Arguments.requireName("name", text))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("name is not valid Unicode")
                .hasMessageContaining("index " + Arguments.firstUnpairedSurrogate(text))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(text));
        assertThatThrownBy(() -> Arguments.optionalText("reason", text, 100))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("reason is not valid Unicode");
    }

    @Test
    void a_surrogate_pair_is_well_formed_text() {
        assertThat(Arguments.requireName("name", "key \ud83d\udd11")).isEqualTo("key 🔑");
        assertThat(Arguments.firstUnpairedSurrogate("🔑 and 😀")).isEqualTo(-1);
    }

    @Test
    void a_padded_name_is_refused_without_repeating_it() {
        assertThatThrownBy(() -> Arguments.requireName("name", " sk-live-123"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-live-123"));
    }
}
