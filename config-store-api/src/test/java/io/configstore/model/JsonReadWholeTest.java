package io.configstore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.configstore.error.MalformedJsonException;
import io.configstore.error.MalformedJsonException.Problem;
import io.configstore.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one strict reader every JSON text from outside goes through. */
class JsonReadWholeTest {
    private static final String SECRET = "gsk_live_ABCdef123456XYZ";

    @TempDir
    Path dir;

    private static JsonNode read(String text) {
        return Json.readWhole("the test file", text.getBytes(StandardCharsets.UTF_8), "a JSON object");
    }

    private static void refused(String text, Problem problem, int line) {
        assertThatThrownBy(() -> read(text))
                .isInstanceOfSatisfying(MalformedJsonException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("the test file is not valid JSON: " + problem.description())
                            .endsWith("; expected a JSON object").doesNotContain(SECRET).doesNotContain("gsk");
                });
    }

    @Test
    void each_kind_of_damage_is_named_with_its_line_and_never_with_the_text_found_there() {
        refused("{\n \"apiKey\": " + SECRET + "\n}", Problem.SYNTAX, 2);
        refused("{\"a\": 1}\n{\"apiKey\": \"" + SECRET + "\"}", Problem.TRAILING_CONTENT, 2);
        refused("{\"apiKey\": \"x\",\n\n \"apiKey\": \"" + SECRET + "\"}", Problem.DUPLICATE_KEY, 3);
        refused("{\"apiKey\": \"" + SECRET, Problem.TRUNCATED, 1);
        refused("{\"a\":" + "[".repeat(Json.MAX_DEPTH + Json.MAX_ENVELOPE_DEPTH) + "]".repeat(Json.MAX_DEPTH
                + Json.MAX_ENVELOPE_DEPTH) + "}", Problem.TOO_DEEP, 1);
        refused("{\"a\": \"" + "x".repeat(Json.MAX_SERIALIZED_LENGTH + 1) + "\"}", Problem.TOO_LONG, 1);
        assertThatThrownBy(() -> read("  \n")).isInstanceOfSatisfying(MalformedJsonException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.EMPTY));
    }

    @Test
    void a_whole_value_within_the_limits_reads_back_and_a_format_may_wrap_documents_in_a_few_levels() {
        String nested = "[".repeat(Json.MAX_DEPTH + Json.MAX_ENVELOPE_DEPTH - 1)
                + "]".repeat(Json.MAX_DEPTH + Json.MAX_ENVELOPE_DEPTH - 1);
        assertThat(read("{\"a\": " + nested + "}\n\n").get("a").isArray()).isTrue();
        assertThat(read("[1, 2]").size()).isEqualTo(2);
    }

    @Test
    void a_file_is_read_whole_and_must_hold_an_object() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.json"), "[\"" + SECRET + "\"]");
        assertThatThrownBy(() -> Json.readObjectFile(file, "provider key file", "a JSON object of keys"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("the provider key file " + file + " holds a JSON array at its top level; expected a JSON"
                        + " object of keys");
        assertThatThrownBy(() -> Json.readObjectFile(dir.resolve("absent.json"), "provider key file", "keys"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("does not exist");
        Files.writeString(file, "{\"openai\": \"sk-a\"} {\"b\": 2}");
        assertThatThrownBy(() -> Json.readObjectFile(file, "provider key file", "keys"))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("the provider key file " + file + " is not valid JSON: more text after");
    }

    @Test
    void parse_object_refuses_trailing_text_and_duplicate_keys_like_the_whole_text_reader() {
        assertThatThrownBy(() -> Json.parseObject("settings", "{\"a\":1} trailing garbage"))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Json.parseObject("settings", "{\"a\":1,\"a\":2}"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("a duplicate key");
    }

    /** A host value whose getter fails with a message that holds a secret. */
    public static final class Leaky {
        public String getToken() {
            throw new IllegalStateException("token " + SECRET + " is expired");
        }
    }

    @Test
    void a_host_value_that_cannot_be_converted_is_refused_without_the_libraries_message() {
        assertThatThrownBy(() -> Json.toObject("settings", new Leaky()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("settings of type " + Leaky.class.getName() + " cannot be converted to JSON")
                .hasMessageContaining("at $.token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void the_binding_mapper_reads_with_the_same_rules() throws Exception {
        assertThatThrownBy(() -> Json.newStrictMapper().readTree("{\"a\":1,\"a\":2}"))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        assertThatThrownBy(() -> Json.newStrictMapper().readTree("{\"a\":1} {}"))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }
}
