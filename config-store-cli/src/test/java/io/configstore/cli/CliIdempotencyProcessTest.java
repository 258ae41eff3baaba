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

/** The real jar as a process: {@code --idempotency-key} on the single-entity writes, replays and conflicts. */
class CliIdempotencyProcessTest {
    private static final String SECRET = "sk-idem-4c7a21";
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

    private CliProcess migrated() {
        CliProcess cli = new CliProcess(dir, masterKey, false);
        ok(cli.run("migrate"));
        return cli;
    }

    @Test
    void a_retried_provider_add_creates_one_provider_and_prints_the_first_result() throws Exception {
        CliProcess cli = migrated();
        CliProcess.Result first = ok(cli.run("provider", "add", "openai", "prod", "--settings", "{\"model\":\"a\"}",
                "--idempotency-key", "k1", "--json"));
        CliProcess.Result replay = ok(cli.run("provider", "add", "openai", "prod", "--settings", "{\"model\":\"a\"}",
                "--idempotency-key", "k1", "--json"));
        assertThat(replay.out()).isEqualTo(first.out());
        assertThat(json(first).get("version").asLong()).isEqualTo(1);

        JsonNode providers = json(ok(cli.run("provider", "list", "--json")));
        assertThat(providers).hasSize(1);
        assertThat(providers.get(0).get("id").asText()).isEqualTo(json(first).get("id").asText());

        // The text output of a replay is the first one's too.
        String text = ok(cli.run("provider", "add", "openai", "prod", "--settings", "{\"model\":\"a\"}",
                "--idempotency-key", "k1")).out();
        assertThat(text).contains("added provider openai/prod (id " + json(first).get("id").asText() + ")");
        // Without a key, the same add is a duplicate.
        assertThat(cli.run("provider", "add", "openai", "prod", "--settings", "{\"model\":\"a\"}").exitCode())
                .isEqualTo(4);
    }

    @Test
    void the_same_key_with_other_arguments_exits_four_and_changes_nothing() throws Exception {
        CliProcess cli = migrated();
        ok(cli.run("provider", "add", "openai", "prod", "--settings", "{\"model\":\"a\"}", "--idempotency-key", "k1"));
        String before = ok(cli.run("provider", "list", "--json")).out();

        CliProcess.Result conflict = cli.run("provider", "add", "openai", "staging", "--settings", "{\"model\":\"b\"}",
                "--idempotency-key", "k1");
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(4);
        assertThat(conflict.err()).startsWith("configstore: ").contains("k1");
        CliProcess.Result asJson = cli.run("provider", "add", "openai", "staging", "--idempotency-key", "k1",
                "--json");
        assertThat(asJson.exitCode()).isEqualTo(4);
        assertThat(json(asJson).at("/error/kind").asText()).isEqualTo("conflict");

        assertThat(ok(cli.run("provider", "list", "--json")).out()).isEqualTo(before);
        assertThat(json(ok(cli.run("history", "--since", "2000-01-01T00:00:00Z", "--json")))).hasSize(1);

        // A key is scoped by actor: another actor's k1 is another write.
        ok(cli.run("provider", "add", "openai", "staging", "--idempotency-key", "k1", "--actor", "someone-else"));
        assertThat(json(ok(cli.run("provider", "list", "--json")))).hasSize(2);
    }

    @Test
    void every_single_entity_write_takes_the_key_and_replays_once() throws Exception {
        CliProcess cli = migrated();
        ok(cli.run("provider", "add", "openai", "prod"));
        ok(cli.run("provider", "add", "openai", "backup"));
        // Each retry follows its first run: a key store or rotation replays only while the key is as it left it.
        for (int i = 0; i < 2; i++) {
            ok(cli.run("provider", "set-default", "openai", "backup", "--idempotency-key", "default-1"));
        }
        for (int i = 0; i < 2; i++) {
            ok(cli.runWithInput(SECRET + "\n", "key", "put", "openai", "prod", "--idempotency-key", "put-1"));
        }
        for (int i = 0; i < 2; i++) {
            ok(cli.runWithInput(SECRET + "-2\n", "key", "rotate", "openai", "prod", "--idempotency-key", "rot-1"));
        }
        for (int i = 0; i < 2; i++) {
            ok(cli.run("key", "deactivate", "openai", "prod", "--idempotency-key", "off-1"));
        }
        JsonNode key = json(ok(cli.run("key", "list", "--json"))).get(0);
        assertThat(key.get("version").asLong()).as("put, one rotation, one deactivation").isEqualTo(3);
        assertThat(key.get("active").asBoolean()).isFalse();
        // The same key with another secret is another request: refused, and the secret is not printed.
        CliProcess.Result otherSecret = cli.runWithInput(SECRET + "-3\n", "key", "rotate", "openai", "prod",
                "--idempotency-key", "rot-1");
        assertThat(otherSecret.exitCode()).as(otherSecret.toString()).isEqualTo(4);
        assertThat(otherSecret.out() + otherSecret.err()).doesNotContain(SECRET);

        Files.writeString(dir.resolve("app.json"), "{\"port\":8080}");
        for (int i = 0; i < 2; i++) {
            ok(cli.run("document", "set", "app", "--file", "app.json", "--expect-revision", "0",
                    "--idempotency-key", "doc-1"));
        }
        assertThat(json(ok(cli.run("document", "get", "app", "--json"))).get("revision").asLong()).isEqualTo(1);

        JsonNode prod = prod(cli);
        String id = prod.get("id").asText();
        ok(cli.run("provider", "update", "openai", "prod", "--priority", "7", "--idempotency-key", "upd-1"));
        for (int i = 0; i < 2; i++) {
            ok(cli.run("rollback", "provider", id, "1", "--idempotency-key", "undo-1"));
        }
        JsonNode rolledBack = prod(cli);
        assertThat(rolledBack.get("version").asLong()).as("update, one rollback")
                .isEqualTo(prod.get("version").asLong() + 2);
        assertThat(rolledBack.get("priority").asInt()).isEqualTo(100);
        ok(cli.run("provider", "remove", "openai", "backup", "--idempotency-key", "rm-1"));
        JsonNode left = json(ok(cli.run("provider", "list", "--json")));
        assertThat(left).hasSize(1);
        assertThat(left.get(0).get("name").asText()).isEqualTo("prod");
    }

    private static JsonNode prod(CliProcess cli) throws Exception {
        for (JsonNode provider : json(ok(cli.run("provider", "list", "--json")))) {
            if (provider.get("name").asText().equals("prod")) {
                return provider;
            }
        }
        throw new AssertionError("no provider prod");
    }

    @Test
    void an_invalid_key_is_bad_usage_and_the_help_tells_the_option() throws Exception {
        CliProcess cli = migrated();
        for (String bad : new String[] {" ", "k1 ", "x".repeat(129)}) {
            CliProcess.Result result = cli.run("provider", "add", "openai", "prod", "--idempotency-key", bad);
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).contains("--idempotency-key is not valid");
        }
        CliProcess.Result keyPut = cli.runWithInput(SECRET + "\n", "key", "put", "openai", "prod",
                "--idempotency-key", "");
        assertThat(keyPut.exitCode()).as(keyPut.toString()).isEqualTo(2);
        assertThat(json(ok(cli.run("provider", "list", "--json")))).isEmpty();
        assertThat(json(ok(cli.run("key", "list", "--json")))).isEmpty();

        // Reads and bulk commands do not take it.
        assertThat(cli.run("provider", "list", "--idempotency-key", "k1").exitCode()).isEqualTo(2);
        for (String[] command : new String[][] {{"provider", "add"}, {"provider", "update"},
                {"provider", "set-default"}, {"provider", "remove"}, {"key", "put"}, {"key", "rotate"},
                {"key", "deactivate"}, {"document", "set"}, {"rollback"}}) {
            String[] help = java.util.Arrays.copyOf(command, command.length + 1);
            help[command.length] = "--help";
            assertThat(ok(cli.run(help)).out()).as(String.join(" ", command)).contains("--idempotency-key=KEY");
        }
        assertThat(ok(cli.run("--help")).out()).contains("idempotency key");
    }
}
