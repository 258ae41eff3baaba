package io.configstore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void an_object_is_accepted_and_copied_so_later_changes_to_the_callers_tree_do_not_leak_in() {
        ObjectNode mine = Json.object().put("model", "gpt-4o");
        ObjectNode kept = Json.requireObject("settings", mine);
        mine.put("model", "changed");
        assertThat(kept.get("model").asText()).isEqualTo("gpt-4o");
    }

    @Test
    void a_value_that_is_not_an_object_is_rejected_with_its_kind() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        assertThatThrownBy(() -> Json.requireObject("settings", array))
                .isInstanceOf(ValidationException.class)
                .hasMessage("settings must be a JSON object, was array");
        assertThatThrownBy(() -> Json.parseObject("settings", "\"text\""))
                .hasMessage("settings must be a JSON object, was string");
    }

    @Test
    void a_nul_character_anywhere_is_rejected_with_its_path() {
        ObjectNode node = Json.object();
        node.putObject("a").putArray("b").add("x\u0000y");
        assertThatThrownBy(() -> Json.requireObject("settings", node))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.a.b[0]");
    }

    @Test
    void nan_and_infinity_are_rejected_because_json_cannot_hold_them() {
        ObjectNode node = Json.object().put("ratio", Double.NaN);
        assertThatThrownBy(() -> Json.requireObject("settings", node)).hasMessageContaining("NaN");
        ObjectNode infinite = Json.object().put("ratio", Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> Json.requireObject("settings", infinite)).hasMessageContaining("$.ratio");
    }

    @Test
    void nesting_deeper_than_the_limit_is_rejected() {
        ObjectNode root = Json.object();
        ObjectNode current = root;
        for (int i = 0; i < Json.MAX_DEPTH + 1; i++) {
            current = current.putObject("n");
        }
        assertThatThrownBy(() -> Json.requireObject("settings", root))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("nested deeper than 64");
    }

    @Test
    void text_with_duplicate_keys_or_trailing_garbage_is_not_accepted() {
        assertThatThrownBy(() -> Json.parseObject("settings", "{\"a\":1,\"a\":2}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("a duplicate key at line 1");
        assertThatThrownBy(() -> Json.parseObject("settings", "{\"a\":1} {}"))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void stored_text_that_does_not_parse_is_a_storage_error_that_says_the_row_was_altered() {
        assertThatThrownBy(() -> Json.readStored("provider config p1", "{\"a\":"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("provider config p1")
                .hasMessageContaining("altered outside configstore");
    }

    record Limits(int maxConnections, String region) {
    }

    @Test
    void a_host_record_round_trips_through_a_json_object() {
        ObjectNode tree = Json.toObject("value", new Limits(20, "eu"));
        assertThat(Json.write(tree)).isEqualTo("{\"maxConnections\":20,\"region\":\"eu\"}");
        assertThat(Json.bind("doc", tree, Limits.class)).isEqualTo(new Limits(20, "eu"));
    }

    @Test
    void binding_json_that_does_not_fit_the_type_names_the_type_and_the_problem() {
        ObjectNode tree = Json.object().put("maxConnections", "many");
        assertThatThrownBy(() -> Json.bind("document 'app'", tree, Limits.class))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("document 'app' cannot be bound to")
                .hasMessageContaining("Limits");
    }

    @Test
    void a_value_that_is_not_an_object_in_json_cannot_be_saved_as_a_document() {
        assertThatThrownBy(() -> Json.toObject("value", "just text"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void a_parse_error_says_where_but_never_quotes_the_offending_text_which_may_be_a_pasted_secret() {
        assertThatThrownBy(() -> Json.parseObject("settings", "{\"apiKey\": sk_live_abc123}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("line 1, column")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk_live_abc123"));
        assertThatThrownBy(() -> Json.readStored("document 'app'", "{\"password\": hunter2}"))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void a_binding_error_names_the_path_but_not_the_value() {
        ObjectNode tree = Json.object().put("maxConnections", "hunter2");
        assertThatThrownBy(() -> Json.bind("document 'app'", tree, Limits.class))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.maxConnections")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
}
