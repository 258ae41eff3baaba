package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.configstore.crypto.AesGcmSecretCipher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command lines that do not parse, in this JVM: a secret typed in any wrong place is never repeated, the message
 * names the position or option and what belongs there, and under --json the error is the JSON object too.
 */
class UsageErrorTest {
    private static final String SECRET = "sk-live-Q7xW9zR2mT4vB8nK";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final Map<String, String> environment = Map.of("CONFIGSTORE_MASTER_KEY",
            Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey()));

    record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]),
                new PrintStream(err, true, StandardCharsets.UTF_8), null);
        List<String> withStore = new ArrayList<>(List.of(args));
        withStore.add(0, "--store=sqlite:" + dir.resolve("store.db"));
        int code = ConfigstoreCli.run(withStore.toArray(String[]::new), environment::get, terminal,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run refused(String... args) {
        Run run = run(args);
        assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.out() + run.err()).as(String.join(" ", args)).doesNotContain(SECRET)
                .doesNotContain(SECRET.substring(3));
        return run;
    }

    @Test
    void a_secret_given_as_an_argument_to_key_put_is_refused_saying_secrets_come_from_standard_input() {
        Run run = refused("key", "put", "openai", "prod", SECRET);
        assertThat(run.err()).contains("argument 6 is one argument too many")
                .contains("usage: configstore key put TYPE NAME [options]")
                .contains("read from standard input").doesNotContain("Unmatched");
        assertThat(refused("key", "rotate", "openai", "prod", SECRET).err()).contains("read from standard input");
    }

    @Test
    void no_parse_error_of_any_kind_repeats_the_argument_it_rejects() {
        String[][] wrongPlaces = {
                {"provider", "list", "--bogus=" + SECRET},
                {"provider", "list", "-" + SECRET},
                {"provider", "list", "--" + SECRET},
                {"provider", "add", "openai", "x", "--priority", SECRET},
                {"provider", "add", "openai", "x", "--priority=" + SECRET},
                {"provider", "update", "openai", "x", "--enabled=" + SECRET},
                {"provider", "list", "--json=" + SECRET},
                {"provider", "list", "--tenant", "a", "--tenant", SECRET},
                {"history", "--since", "2026-01-01T00:00:00Z", "--limit", SECRET},
                {"rollback", "document", "app", SECRET},
                {"export", "--out", SECRET + "\0"},
                {"doctor", "--snapshot=" + SECRET + "\0"},
                {SECRET},
                {"provider", SECRET},
                {"provider", "remove", "openai", "x", SECRET},
                {"document", "get", "app", SECRET},
                {"import", "--iterations", SECRET},
                {"key", "put", "openai", SECRET, "--store"},
                {"provider"},
                {"help", SECRET},
                {"provider", "help", SECRET},
        };
        for (String[] args : wrongPlaces) {
            refused(args);
        }
    }

    @Test
    void each_message_names_the_position_or_option_and_the_expected_shape() {
        assertThat(refused("provider", "list", "--bogus=" + SECRET).err()).contains("unknown option --bogus");
        assertThat(refused("provider", "list", "-" + SECRET).err())
                .contains("argument 4 is not an option of 'configstore provider list'");
        assertThat(refused("provider", "add", "openai", "x", "--priority", SECRET).err())
                .contains("option --priority takes a whole number from -2147483648 to 2147483647");
        assertThat(refused("rollback", "document", "app", SECRET).err())
                .contains("parameter VERSION takes a whole number");
        assertThat(refused("provider", "list", "--tenant", "a", "--tenant", SECRET).err())
                .contains("option --tenant is given more than once");
        assertThat(refused("provider", SECRET).err()).contains("argument 3 is not a command of 'configstore provider'")
                .contains("list, add, update, set-default, remove");
        assertThat(refused("provider").err()).contains("'configstore provider' needs a command: list, add");
        assertThat(refused("help", SECRET).err()).contains("that is not a command of 'configstore'");
        assertThat(refused("provider", "add", "openai").err()).contains("missing NAME")
                .contains("configstore provider add TYPE NAME [options]");
        assertThat(refused("document", "set", "app").err()).contains("option --file FILE is required");
        assertThat(refused("provider", "list", "--store").err()).contains("option --store needs a value: URL");
    }

    @Test
    void values_a_command_refuses_after_parsing_are_not_repeated_either() {
        assertThat(run("migrate").exitCode()).isZero();
        String[][] refusedValues = {
                {"history", "--since", SECRET},
                {"history", "--since", "2026-01-01T00:00:00Z", "--until", SECRET},
                {"history", SECRET, "app"},
                {"rollback", SECRET, "app", "1"},
                {"import", "--env", "--on-existing", SECRET},
                {"import", "--env", "--env-var", SECRET},
                {"import", "--env", "--env-var", SECRET + "="},
                {"import", "--legacy-postgres", "jdbc:postgresql://127.0.0.1/none", "--priority", SECRET},
                {"import", "--legacy-postgres", "jdbc:postgresql://127.0.0.1/none", "--priority", "a=" + SECRET},
        };
        for (String[] args : refusedValues) {
            refused(args);
        }
        assertThat(refused("history", "--since", SECRET).err()).contains("--since must be an ISO-8601 instant");
        assertThat(refused("import", "--env", "--env-var", SECRET).err()).contains("--env-var takes VARIABLE=TYPE");
    }

    @Test
    void an_unexpected_error_shows_its_type_not_the_message_of_the_library_that_threw_it() throws Exception {
        Run run = run("--json", "provider", "list", "--store", "failingbackend:" + SECRET);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INTERNAL.code());
        assertThat(run.out() + run.err()).doesNotContain(SECRET);
        assertThat(run.err()).contains("unexpected error (java.lang.IllegalStateException)")
                .contains("rerun with --verbose");
        assertThat(MAPPER.readTree(run.out()).at("/error/kind").asText()).isEqualTo("internal");

        Run verbose = run("--verbose", "provider", "list", "--store", "failingbackend:" + SECRET);
        assertThat(verbose.err()).contains("java.lang.IllegalStateException (message not shown)")
                .contains("\tat io.configstore.cli.FailingBackendProvider.open").doesNotContain(SECRET);
    }

    @Test
    void under_json_a_usage_error_is_the_error_object_on_standard_output() throws Exception {
        for (String[] args : new String[][] {{"--json", "provider", "list", "--bogus"},
                {"provider", "list", "--bogus", "--json"}, {"provider", "list", "--json", "--bogus=" + SECRET},
                {"--json", "no-such-command"}, {"key", "put", "openai", "prod", SECRET, "--json"}}) {
            Run run = refused(args);
            JsonNode error = MAPPER.readTree(run.out()).get("error");
            assertThat(error.get("kind").asText()).as(String.join(" ", args)).isEqualTo("usage");
            assertThat(error.get("exitCode").asInt()).isEqualTo(2);
            assertThat(error.get("message").asText()).contains("--help");
        }
        assertThat(refused("provider", "list", "--bogus").out()).isEmpty();
    }
}
