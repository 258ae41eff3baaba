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

    @Test
    void a_lone_surrogate_in_a_string_or_a_key_is_refused_with_its_path_and_never_repeated() {
        assertThatThrownBy(() -> Json.parseObject("settings", "{\"a\": {\"apiKey\": \"sk-\\ud800\"}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("not valid Unicode").hasMessageContaining("$.a.apiKey")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-"));
        ObjectNode key = Json.object();
        key.putObject("outer").put("k\udc00", 1);
        assertThatThrownBy(() -> Json.requireObject("content", key))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("key that is not valid Unicode").hasMessageContaining("$.outer");
        assertThatThrownBy(() -> Json.toObject("value", java.util.Map.of("k", "\ud800")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("value has a string that is not valid Unicode (an unpaired UTF-16 surrogate) at $.k;"
                        + " send well-formed text");
        // A surrogate pair, escaped or not, is one character and is kept.
        assertThat(Json.parseObject("s", "{\"k\": \"\\ud83d\\udd11 🔑\"}").get("k").textValue()).isEqualTo("🔑 🔑");
    }

    @Test
    void a_host_value_nested_too_deep_or_containing_itself_is_a_validation_error_not_a_stack_overflow() {
        java.util.Map<String, Object> self = new java.util.HashMap<>();
        self.put("self", self);
        java.util.Map<String, Object> deep = new java.util.HashMap<>();
        java.util.Map<String, Object> node = deep;
        for (int i = 0; i < 100_000; i++) {
            java.util.Map<String, Object> child = new java.util.HashMap<>();
            node.put("d", child);
            node = child;
        }
        for (Object value : java.util.List.of(self, deep)) {
            assertThatThrownBy(() -> Json.toObject("value", value))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("value of type java.util.HashMap is nested deeper than " + Json.MAX_DEPTH
                            + " levels (or contains itself); pass a record, a bean or a map of JSON-compatible values");
        }
        ObjectNode tree = Json.object();
        ObjectNode leaf = tree;
        for (int i = 0; i < 100_000; i++) {
            leaf = leaf.putObject("d");
        }
        assertThatThrownBy(() -> Json.requireObject("content", tree)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("nested deeper than " + Json.MAX_DEPTH);
        assertThatThrownBy(() -> Json.write(tree)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("nested deeper than " + Json.MAX_DEPTH);
    }

    @Test
    void a_host_value_within_the_depth_converts_as_before() {
        java.util.Map<String, Object> root = new java.util.HashMap<>();
        java.util.Map<String, Object> node = root;
        for (int i = 0; i < Json.MAX_DEPTH - 2; i++) {
            java.util.Map<String, Object> child = new java.util.HashMap<>();
            node.put("d", child);
            node = child;
        }
        node.put("leaf", 1L);
        ObjectNode converted = Json.toObject("value", root);
        assertThat(converted.at("/d".repeat(Json.MAX_DEPTH - 2) + "/leaf").isLong()).isTrue();
    }

    @Test
    void a_host_value_whose_getter_fails_is_refused_without_the_libraries_message() {
        assertThatThrownBy(() -> Json.toObject("value", new Failing()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.secret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-from-getter"));
    }

    /** A bean whose getter throws with a secret in its message. */
    static final class Failing {
        public String getSecret() {
            throw new IllegalStateException("sk-from-getter");
        }
    }

    @Test
    void a_document_at_the_depth_limit_is_written_and_read_back_inside_an_envelope() {
        // History rows, snapshots and idempotency results wrap a document of up to MAX_DEPTH levels in a few more.
        ObjectNode document = Json.object();
        ObjectNode level = document;
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            level = level.putObject("l");
        }
        Json.requireObject("document", document);
        ObjectNode envelope = Json.object();
        envelope.putObject("entity").putObject("state").set("content", document);
        String text = Json.write(envelope);
        assertThat(Json.readTree(text)).isEqualTo(envelope);
        assertThat(Json.readStored("a history row", text)).isEqualTo(envelope);
    }
}
