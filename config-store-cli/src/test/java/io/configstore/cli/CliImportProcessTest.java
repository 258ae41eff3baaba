package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.Fernet;
import io.configstore.crypto.FernetKey;
import io.configstore.crypto.KdfParameters;
import io.configstore.crypto.PasswordKeyDerivation;
import io.configstore.testkit.PostgresTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar imports every kind of source: a provider_keys.json, the environment, a Python service's SQLite
 * database (the password piped on standard input), and a legacy PostgreSQL database on the real server.
 */
class CliImportProcessTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final String masterKey = Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey());

    private static CliProcess.Result ok(CliProcess.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out() + result.err()).doesNotContain("sk-proc");
        return result;
    }

    @Test
    void provider_keys_and_the_environment_import_with_a_dry_run_first_and_conflicts_in_both_modes() throws Exception {
        CliProcess cli = new CliProcess(dir, masterKey, false).env("ANTHROPIC_API_KEY", "sk-proc-env-ant");
        ok(cli.run("migrate"));
        Files.writeString(dir.resolve("provider_keys.json"),
                "{\"openai\": {\"apiKey\": \"sk-proc-openai\", \"models\": [\"gpt-4o\"], \"team\": \"core\"},"
                        + " \"anthropic\": \"sk-proc-file-ant\"}");

        CliProcess.Result plan = ok(cli.run("import", "--provider-keys", "provider_keys.json", "--dry-run"));
        assertThat(plan.out()).contains("dry run: would import 4, skipped 0, failed 0");
        JsonNode imported = MAPPER.readTree(ok(cli.run("import", "--provider-keys", "provider_keys.json", "--json"))
                .out());
        assertThat(imported.get("imported").asInt()).isEqualTo(4);
        assertThat(imported.get("verifiedSecrets").asInt()).isEqualTo(2);

        CliProcess.Result failed = cli.run("import", "--env", "--on-existing", "fail");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.CONFLICT.code());
        assertThat(failed.err()).contains("apiKey anthropic/default in tenant default")
                .contains("nothing was imported");
        CliProcess.Result skipped = ok(cli.run("import", "--env"));
        assertThat(skipped.out()).contains("= apiKey anthropic/default (tenant default): exists, differs in secret")
                .contains("warning: the keys are still in the environment");

        JsonNode providers = MAPPER.readTree(ok(cli.run("provider", "list", "--json")).out());
        assertThat(providers.toString()).contains("\"team\":\"core\"");
    }

    @Test
    void a_python_service_database_imports_with_the_password_on_standard_input_and_a_wrong_one_imports_nothing() throws Exception {
        byte[] salt = "svc-salt".getBytes(StandardCharsets.UTF_8);
        byte[] material = PasswordKeyDerivation.allowingWeakParameters().deriveKey("svc password".toCharArray(),
                KdfParameters.pbkdf2(100_000, salt));
        Fernet fernet = Fernet.of(FernetKey.fromBytes(material));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("service.db"));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE provider_configs (id INTEGER PRIMARY KEY, provider_type TEXT, name TEXT,"
                    + " is_default BOOLEAN, settings TEXT, created_at DATETIME, updated_at DATETIME)");
            statement.execute("CREATE TABLE api_keys (id INTEGER PRIMARY KEY, provider_type TEXT, key_name TEXT,"
                    + " encrypted_key TEXT, is_active BOOLEAN, created_at DATETIME, updated_at DATETIME,"
                    + " last_used_at DATETIME)");
            statement.execute("INSERT INTO provider_configs VALUES (1, 'openai', 'main', 1, '{\"model\":\"gpt-4o\"}',"
                    + " '2024-01-01 00:00:00', '2024-01-01 00:00:00')");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO api_keys VALUES (1, 'openai',"
                    + " 'main', ?, 1, '2024-01-01 00:00:00', '2024-01-01 00:00:00', NULL)")) {
                insert.setString(1, fernet.encrypt("sk-proc-python".getBytes(StandardCharsets.UTF_8)));
                insert.executeUpdate();
            }
        }
        CliProcess cli = new CliProcess(dir, masterKey, false);
        ok(cli.run("migrate"));

        CliProcess.Result wrong = cli.runWithInput("not the password\n", "import", "--python-sqlite", "service.db",
                "--salt-text", "svc-salt");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCode.CRYPTO.code());
        assertThat(wrong.err()).contains("table api_keys row id=1").contains("nothing was imported");
        assertThat(MAPPER.readTree(ok(cli.run("provider", "list", "--json")).out())).isEmpty();

        CliProcess.Result right = ok(cli.runWithInput("svc password\n", "import", "--python-sqlite", "service.db",
                "--salt", Base64.getEncoder().encodeToString(salt), "--iterations", "100000"));
        assertThat(right.out()).contains("+ apiKey openai/main (tenant default)")
                .contains("imported 3, skipped 0, failed 0; verified 1 secret(s)");
    }

    @Test
    void a_legacy_postgres_database_imports_its_tenants_and_warns_of_clear_text_keys() throws Exception {
        String schema = PostgresTestServer.newSchemaName();
        try (Connection connection = PostgresTestServer.admin();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            try {
                statement.execute("CREATE TABLE " + schema + ".provider_configs (tenant_id TEXT, provider_type TEXT,"
                        + " provider_name TEXT, api_key TEXT, api_secret TEXT, priority TEXT, enabled BOOLEAN,"
                        + " config_data JSONB, version INT, created_by TEXT, updated_by TEXT, created_at TIMESTAMPTZ,"
                        + " updated_at TIMESTAMPTZ)");
                statement.execute("CREATE TABLE " + schema + ".config_versions (tenant_id TEXT, provider_type TEXT,"
                        + " provider_name TEXT, api_key TEXT, api_secret TEXT, priority TEXT, enabled BOOLEAN,"
                        + " config_data JSONB, version INT, change_type TEXT, changed_at TIMESTAMPTZ,"
                        + " changed_by TEXT, change_reason TEXT)");
                statement.execute("INSERT INTO " + schema + ".provider_configs VALUES ('acme', 'openai', 'prod',"
                        + " 'sk-proc-legacy', NULL, 'urgent', TRUE, '{\"model\":\"gpt-4o\"}', 1, 'a', 'a', now(),"
                        + " now())");
                CliProcess cli = new CliProcess(dir, masterKey, false);
                ok(cli.run("migrate"));
                String url = PostgresTestServer.URL + (PostgresTestServer.URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;

                CliProcess.Result unknown = cli.run("import", "--legacy-postgres", url, "--legacy-user", PostgresTestServer.USER);
                assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE.code());
                assertThat(unknown.err()).contains("priority 'urgent' is not in the priority table");

                CliProcess.Result result = ok(cli.run("import", "--legacy-postgres", url, "--legacy-user", PostgresTestServer.USER,
                        "--priority", "urgent=5"));
                assertThat(result.out()).contains("+ provider openai/prod (tenant acme)")
                        .contains("warning: the source").contains("in clear text")
                        .contains("imported 3, skipped 0, failed 0; verified 1 secret(s)");
                JsonNode providers = MAPPER.readTree(ok(cli.run("provider", "list", "--json", "--tenant", "acme"))
                        .out());
                assertThat(providers.get(0).get("priority").asInt()).isEqualTo(5);
            } finally {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
