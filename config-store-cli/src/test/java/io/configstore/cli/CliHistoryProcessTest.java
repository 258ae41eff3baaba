package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.configstore.crypto.AesGcmSecretCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar as a process: history by entity and by time range, rollback, and their help and exit codes. */
class CliHistoryProcessTest {
    private static final String SECRET = "sk-history-9b1e5d";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final String masterKey = Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey());

    private static CliProcess.Result ok(CliProcess.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out() + result.err()).doesNotContain(SECRET);
        return result;
    }

    private static JsonNode json(CliProcess.Result result) throws Exception {
        return MAPPER.readTree(result.out());
    }

    @Test
    void a_documents_history_is_listed_and_rolled_back_and_the_rollback_is_history_too() throws Exception {
        CliProcess cli = new CliProcess(dir, masterKey, false);
        ok(cli.run("migrate"));
        Files.writeString(dir.resolve("v1.json"), "{\"port\":8080}");
        Files.writeString(dir.resolve("v2.json"), "{\"port\":9999}");
        ok(cli.run("document", "set", "app", "--file", "v1.json", "--actor", "alice", "--reason", "first"));
        ok(cli.run("document", "set", "app", "--file", "v2.json", "--actor", "bob"));

        JsonNode history = json(ok(cli.run("history", "document", "app", "--json")));
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("changeType").asText()).isEqualTo("CREATE");
        assertThat(history.get(0).get("changedBy").asText()).isEqualTo("alice");
        assertThat(history.get(0).get("reason").asText()).isEqualTo("first");
        assertThat(history.get(1).at("/snapshot/content/port").asInt()).isEqualTo(9999);
        assertThat(ok(cli.run("history", "document", "app")).out()).contains("CREATE").contains("UPDATE")
                .contains("by alice (first)");

        String rolled = ok(cli.run("rollback", "document", "app", "1", "--reason", "bad port")).out();
        assertThat(rolled).contains("rolled back document app to version 1 (now version 3)");
        assertThat(json(ok(cli.run("document", "get", "app", "--json"))).at("/content/port").asInt())
                .isEqualTo(8080);

        JsonNode range = json(ok(cli.run("history", "--since", "2000-01-01T00:00:00Z", "--json")));
        assertThat(range).hasSize(3);
        assertThat(range.get(2).get("changeType").asText()).isEqualTo("ROLLBACK");
        assertThat(json(ok(cli.run("history", "--since", "2000-01-01T00:00:00Z", "--limit", "1", "--offset", "2",
                "--json"))).get(0).get("changeType").asText()).isEqualTo("ROLLBACK");
    }

    @Test
    void a_keys_history_shows_no_secret_and_its_rotation_can_be_rolled_back() throws Exception {
        CliProcess cli = new CliProcess(dir, masterKey, false);
        ok(cli.run("migrate"));
        ok(cli.runWithInput(SECRET + "\n", "key", "put", "openai", "prod"));
        String id = json(ok(cli.run("key", "list", "--json"))).get(0).get("id").asText();
        ok(cli.runWithInput(SECRET + "-rotated\n", "key", "rotate", "openai", "prod"));

        CliProcess.Result history = ok(cli.run("history", "key", id, "--json"));
        assertThat(history.out()).doesNotContain("ciphertext").doesNotContain("v1:");
        assertThat(json(history).get(1).get("changeType").asText()).isEqualTo("KEY_ROTATION");

        JsonNode rolled = json(ok(cli.run("rollback", "key", id, "1", "--json")));
        assertThat(rolled.get("changeType").asText()).isEqualTo("ROLLBACK");
        assertThat(rolled.get("version").asInt()).isEqualTo(3);
    }

    @Test
    void bad_requests_get_their_exit_codes_and_every_command_has_help() throws Exception {
        CliProcess cli = new CliProcess(dir, masterKey, false);
        ok(cli.run("migrate"));
        assertThat(ok(cli.run("history", "--help")).out()).contains("--since").contains("--limit");
        assertThat(ok(cli.run("rollback", "--help")).out()).contains("VERSION").contains("--idempotency-key");
        assertThat(ok(cli.run("--help")).out()).contains("history").contains("rollback");

        assertThat(cli.run("history").exitCode()).isEqualTo(2);
        assertThat(cli.run("history", "widget", "x").exitCode()).isEqualTo(2);
        assertThat(cli.run("history", "--since", "yesterday").exitCode()).isEqualTo(2);
        assertThat(cli.run("rollback", "document", "nothing", "1").exitCode()).isEqualTo(3);
        assertThat(json(ok(cli.run("history", "document", "nothing", "--json")))).isEmpty();

        Files.writeString(dir.resolve("v1.json"), "{\"a\":1}");
        ok(cli.run("document", "set", "app", "--file", "v1.json"));
        Files.writeString(dir.resolve("v2.json"), "{\"a\":2}");
        ok(cli.run("document", "set", "app", "--file", "v2.json"));
        ok(cli.run("rollback", "document", "app", "1", "--idempotency-key", "undo-1"));
        ok(cli.run("rollback", "document", "app", "1", "--idempotency-key", "undo-1")); // a replay
        assertThat(json(ok(cli.run("history", "document", "app", "--json")))).hasSize(3);
        CliProcess.Result conflict = cli.run("rollback", "document", "app", "2", "--idempotency-key", "undo-1",
                "--json");
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(4);
        assertThat(json(conflict).at("/error/kind").asText()).isEqualTo("conflict");
    }
}
