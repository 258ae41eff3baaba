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

/** The real jar as a process against SQLite files: a first session, JSON output, exit codes, help. */
class CliSqliteProcessTest {
    private static final String SECRET = "sk-test-4f9a1c77d0";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final String masterKey = Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey());

    private CliProcess cli() {
        return new CliProcess(dir, masterKey, false);
    }

    private static CliProcess.Result ok(CliProcess.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out() + result.err()).doesNotContain(SECRET);
        return result;
    }

    private static JsonNode json(CliProcess.Result result) throws Exception {
        return MAPPER.readTree(result.out());
    }

    @Test
    void a_first_session_migrates_adds_a_provider_and_key_exports_imports_and_checks() throws Exception {
        CliProcess cli = cli();
        assertThat(ok(cli.run("migrate")).out()).contains("applied V1").contains("schema is now at version 4");
        assertThat(Files.exists(dir.resolve("data/configstore.db"))).isTrue();
        assertThat(ok(cli.run("provider", "add", "openai", "prod", "--settings", "{\"model\":\"gpt-4o\"}",
                "--default")).out()).contains("added provider openai/prod");
        assertThat(ok(cli.runWithInput(SECRET + "\n", "key", "put", "openai", "prod")).out())
                .contains("stored API key openai/prod");

        JsonNode keys = json(ok(cli.run("key", "list", "--json")));
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("keyName").asText()).isEqualTo("prod");
        assertThat(keys.get(0).get("active").asBoolean()).isTrue();
        JsonNode providers = json(ok(cli.run("--json", "provider", "list")));
        assertThat(providers.get(0).get("settings").get("model").asText()).isEqualTo("gpt-4o");
        assertThat(providers.get(0).get("isDefault").asBoolean()).isTrue();

        cli.env("CONFIGSTORE_EXPORT_PASSWORD", "correct horse battery");
        ok(cli.run("export", "--out", "bundle.json"));
        assertThat(Files.readString(dir.resolve("bundle.json"))).doesNotContain(SECRET).contains("configstore-bundle");

        ok(cli.run("migrate", "--store", "sqlite:other.db"));
        JsonNode imported = json(ok(cli.run("import", "--in", "bundle.json", "--store", "sqlite:other.db", "--json")));
        assertThat(imported.get("imported").asInt()).isEqualTo(2);
        JsonNode again = json(ok(cli.run("import", "--in", "bundle.json", "--store", "sqlite:other.db", "--json")));
        assertThat(again.get("imported").asInt()).isZero();
        assertThat(again.get("skipped").asInt()).isEqualTo(2);

        JsonNode doctor = json(ok(cli.run("doctor", "--store", "sqlite:other.db", "--json")));
        assertThat(doctor.get("healthy").asBoolean()).isTrue();
        assertThat(doctor.toString()).contains("PRAGMA integrity_check: ok").contains("1 of 1 decrypt");
        JsonNode info = json(ok(cli.run("info", "--json", "--store", "sqlite:other.db")));
        assertThat(info.get("schemaVersion").asInt()).isEqualTo(4);
        assertThat(info.get("tenants").get(0).get("apiKeys").asInt()).isEqualTo(1);
    }

    @Test
    void documents_are_set_read_and_explained_with_overrides() throws Exception {
        CliProcess cli = cli();
        ok(cli.run("migrate"));
        Files.writeString(dir.resolve("app.json"), "{\"server\":{\"port\":8080,\"host\":\"localhost\"}}");
        ok(cli.run("document", "set", "app", "--file", "app.json"));
        assertThat(json(ok(cli.run("document", "get", "app", "--json"))).at("/content/server/port").asInt())
                .isEqualTo(8080);
        String report = ok(cli.run("document", "explain", "app", "--", "--server.port=9090")).out();
        assertThat(report).contains("server.port = 9090  from command line").contains("overrode 8080 from store");
        JsonNode origins = json(ok(cli.run("--json", "document", "explain", "app")));
        assertThat(origins.get("origins").toString()).contains("server.host");
    }

    @Test
    void keys_rotate_and_deactivate_with_the_secret_from_standard_input() throws Exception {
        CliProcess cli = cli();
        ok(cli.run("migrate"));
        ok(cli.runWithInput(SECRET, "key", "put", "openai", "prod"));
        assertThat(json(ok(cli.runWithInput(SECRET + "-2\r\n", "key", "rotate", "openai", "prod", "--json")))
                .get("version").asInt()).isEqualTo(2);
        assertThat(json(ok(cli.run("key", "deactivate", "openai", "prod", "--json"))).get("active").asBoolean())
                .isFalse();
    }

    @Test
    void a_secret_given_as_an_argument_is_refused_as_bad_usage() {
        CliProcess cli = cli();
        ok(cli.run("migrate"));
        CliProcess.Result result = cli.run("key", "put", "openai", "prod", SECRET);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("argument 5 is one argument too many").contains("read from standard input");
        assertThat(result.out() + result.err()).doesNotContain(SECRET);
        assertThat(cli.runWithInput("", "key", "put", "openai", "prod").exitCode()).isEqualTo(2);
    }

    @Test
    void exit_codes_tell_each_kind_of_failure() throws Exception {
        CliProcess cli = cli();
        assertThat(cli.run("no-such-command").exitCode()).isEqualTo(2);
        CliProcess.Result notMigrated = cli.run("provider", "list");
        assertThat(notMigrated.exitCode()).as(notMigrated.toString()).isEqualTo(6);
        assertThat(notMigrated.err()).contains("there is no store at sqlite:data/configstore.db")
                .contains("run 'configstore migrate'").doesNotContain("\tat ");
        assertThat(dir.resolve("data")).doesNotExist();
        ok(cli.run("migrate"));
        assertThat(cli.run("provider", "remove", "openai", "nope").exitCode()).isEqualTo(3);
        ok(cli.run("provider", "add", "openai", "prod"));
        CliProcess.Result duplicate = cli.run("provider", "add", "openai", "prod", "--json");
        assertThat(duplicate.exitCode()).isEqualTo(4);
        assertThat(json(duplicate).at("/error/kind").asText()).isEqualTo("conflict");
        assertThat(cli.run("provider", "add", "openai", "x", "--settings", "[1]").exitCode()).isEqualTo(2);

        CliProcess wrongKey = new CliProcess(dir, Base64.getEncoder().encodeToString(
                AesGcmSecretCipher.generateKey()), false);
        CliProcess.Result crypto = wrongKey.run("provider", "list");
        assertThat(crypto.exitCode()).as(crypto.toString()).isEqualTo(5);
        CliProcess.Result noKey = new CliProcess(dir, "", false).run("provider", "list");
        assertThat(noKey.exitCode()).as(noKey.toString()).isEqualTo(5);
        assertThat(noKey.err()).contains("CONFIGSTORE_MASTER_KEY").doesNotContain("\tat ");
        CliProcess.Result verbose = new CliProcess(dir, "", false).run("provider", "list", "--verbose");
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void backup_and_restore_a_sqlite_store() throws Exception {
        CliProcess cli = cli();
        ok(cli.run("migrate"));
        ok(cli.run("provider", "add", "openai", "before"));
        ok(cli.run("backup", "--to", "backups/one.db"));
        ok(cli.run("provider", "add", "openai", "after"));
        ok(cli.run("restore", "--from", "backups/one.db"));
        JsonNode providers = json(ok(cli.run("provider", "list", "--json")));
        assertThat(providers).hasSize(1);
        assertThat(providers.get(0).get("name").asText()).isEqualTo("before");
        assertThat(cli.run("backup", "--to", "backups/one.db").exitCode()).isEqualTo(2);
        assertThat(cli.run("backup", "--to", "x.db", "--store", "memory:").exitCode()).isEqualTo(2);
    }

    @Test
    void every_command_has_help() {
        CliProcess cli = cli();
        String[][] commands = {{}, {"migrate"}, {"info"}, {"provider"}, {"provider", "list"}, {"provider", "add"},
                {"provider", "update"}, {"provider", "set-default"}, {"provider", "remove"}, {"key"}, {"key", "put"},
                {"key", "rotate"}, {"key", "list"}, {"key", "deactivate"}, {"document"}, {"document", "get"},
                {"document", "set"}, {"document", "explain"}, {"export"}, {"import"}, {"copy"}, {"backup"},
                {"restore"}, {"rewrap"}, {"doctor"}};
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            CliProcess.Result result = cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(result.out()).as(String.join(" ", args)).contains("Usage: configstore");
        }
    }

    @Test
    void a_custom_backend_on_the_class_path_works_in_the_tool() throws Exception {
        CliProcess cli = new CliProcess(dir, masterKey, true);
        ok(cli.run("migrate"));
        ok(cli.run("provider", "add", "openai", "prod"));
        JsonNode copied = json(ok(cli.run("copy", "--to", "testbackend:", "--json")));
        assertThat(copied.get("imported").asInt()).isEqualTo(1);
        CliProcess.Result unknown = cli.run("info", "--store", "nosuch:x");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("testbackend:").contains("sqlite:").contains("jdbc:postgresql:")
                .contains("memory:");
    }
}
