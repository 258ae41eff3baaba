package io.configstore.effective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.VersionConflictException;
import io.configstore.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {
    static final ObjectNode BEFORE = Json.parseObject("before", """
            {"server":{"port":8080,"host":"a"},"features":["x","y","z"],"legacy":true,
             "database":{"password":"old-pw"},"apiKey":"sk-old"}""");
    static final ObjectNode AFTER = Json.parseObject("after", """
            {"server":{"port":9090,"host":"a","tls":{"enabled":true}},"features":["x"],
             "database":{"password":"new-pw"},"apiKey":"sk-new","provider":{"api_key":"sk-added","name":"p"}}""");

    private final ConfigDiff diff = ConfigDiff.withDefaultSecrets();

    @Test
    void diff_lists_added_modified_and_removed_paths_with_values_secrets_redacted() {
        List<PathChange> changes = diff.diff(BEFORE, AFTER);

        assertThat(changes).extracting(PathChange::toString).containsExactly(
                "~ server.port: 8080 -> 9090",
                "+ server.tls: {\"enabled\":true}",
                "- features[2] (was \"z\")",
                "- features[1] (was \"y\")",
                "- legacy (was true)",
                "~ database.password: \"[redacted]\" -> \"[redacted]\"",
                "~ apiKey: \"[redacted]\" -> \"[redacted]\"",
                "+ provider: {\"api_key\":\"[redacted]\",\"name\":\"p\"}");
        PathChange password = changes.get(5);
        assertThat(password.kind()).isEqualTo(PathChange.Kind.MODIFIED);
        assertThat(password.secret()).isTrue();
        assertThat(password.oldValue().asText()).isEqualTo(SecretKeys.REDACTED);
        assertThat(password.newValue().asText()).isEqualTo(SecretKeys.REDACTED);
        assertThat(changes.get(0).oldValue().asInt()).isEqualTo(8080);
        assertThat(changes.toString()).doesNotContain("old-pw", "new-pw", "sk-old", "sk-new", "sk-added");
    }

    @Test
    void applying_the_diff_to_the_old_document_gives_the_new_one_secrets_included() {
        ObjectNode replayed = diff.apply(BEFORE, diff.diff(BEFORE, AFTER));

        assertThat(replayed).isEqualTo(AFTER);
        assertThat(BEFORE.get("legacy").asBoolean()).isTrue();
    }

    @Test
    void applying_to_a_document_that_moved_on_is_a_conflict_naming_paths_not_values_and_changes_nothing() {
        List<PathChange> changes = diff.diff(BEFORE, AFTER);
        ObjectNode moved = BEFORE.deepCopy();
        moved.with("database").put("password", "rotated-pw");
        moved.with("server").put("tls", "already");
        ObjectNode copy = moved.deepCopy();

        assertThatThrownBy(() -> diff.apply(moved, changes))
                .isInstanceOf(VersionConflictException.class)
                .hasMessageContaining("database.password (the value there changed)")
                .hasMessageContaining("server.tls (expected no value there, found one)")
                .hasMessageNotContaining("rotated-pw").hasMessageNotContaining("old-pw");
        assertThat(moved).isEqualTo(copy);
    }

    @Test
    void the_changelog_is_readable_and_redacted() {
        String changelog = diff.changelog(diff.diff(BEFORE, AFTER));

        String nl = System.lineSeparator();
        assertThat(changelog).startsWith("8 changes:" + nl + "  ~ server.port: 8080 -> 9090" + nl)
                .contains("  ~ database.password: \"[redacted]\" -> \"[redacted]\"" + nl)
                .doesNotContain("old-pw", "new-pw", "sk-old", "sk-new", "sk-added");
        assertThat(diff.changelog(diff.diff(BEFORE, BEFORE))).isEqualTo("No changes." + nl);
    }

    @Test
    void custom_secret_keys_redact_other_names_too() {
        ConfigDiff strict = ConfigDiff.of(SecretKeys.defaults().with("pin"));
        ObjectNode a = Json.object().put("cardPin", "1234").put("port", 1);
        ObjectNode b = Json.object().put("cardPin", "9999").put("port", 1);

        assertThat(strict.changelog(strict.diff(a, b))).contains("~ cardPin: \"[redacted]\" -> \"[redacted]\"")
                .doesNotContain("1234").doesNotContain("9999");
        assertThat(diff.changelog(diff.diff(a, b))).contains("~ cardPin: \"1234\" -> \"9999\"");
    }

    @Test
    void a_change_list_built_by_hand_applies() {
        ObjectNode doc = Json.parseObject("doc", "{\"hosts\":[\"a\"]}");
        List<PathChange> changes = List.of(
                diff.change(PathChange.Kind.ADDED, ConfigPath.parse("hosts[1]"), null, Json.object().textNode("b")),
                diff.change(PathChange.Kind.ADDED, ConfigPath.parse("port"), null, Json.object().numberNode(1)));

        assertThat(Json.write(diff.apply(doc, changes))).isEqualTo("{\"hosts\":[\"a\",\"b\"],\"port\":1}");
    }
}
