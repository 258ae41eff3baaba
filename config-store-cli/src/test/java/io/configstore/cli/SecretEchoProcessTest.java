package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.testkit.PostgresTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One recognisable secret fed through every wrong place a user or a host can put it: command arguments, damaged files
 * of every import source, a damaged bundle, bad environment values, bad master key material, and the library's own
 * entry points in a host process. Whatever each refusal prints, on standard output, standard error or the log (with
 * {@code --verbose}, and with every exception's stack trace and causes in the host), must not contain the secret.
 *
 * <p>Each scenario must also fail: a scenario that succeeded would not prove anything about error paths.
 */
class SecretEchoProcessTest {
    /** The core of the secret: any echo, whole or quoted in part by a parser, contains it. Underscores, not dashes:
     * a JSON parser quotes an unquoted token up to the first character that cannot be part of a name. */
    private static final String CORE = "Q7xCanaryZp4Lm9";
    private static final String SECRET = "sk_live_" + CORE + "Vb2Tn";

    @TempDir
    Path dir;

    private final String masterKey = Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey());
    private final List<String> leaks = new ArrayList<>();
    private final List<String> accepted = new ArrayList<>();

    /** Runs one scenario with and without --verbose: it must fail, and print nothing of the secret either way. */
    private void refuses(String scenario, CliProcess cli, String stdin, String... args) {
        for (boolean verbose : new boolean[] {false, true}) {
            List<String> arguments = new ArrayList<>(List.of(args));
            if (verbose) {
                arguments.add(0, "--verbose");
            }
            CliProcess.Result result = cli.runWithInput(stdin, arguments.toArray(String[]::new));
            String label = scenario + (verbose ? " (--verbose)" : "");
            if (result.exitCode() == 0) {
                accepted.add(label + ":\n" + result);
            }
            if ((result.out() + result.err()).contains(CORE)) {
                leaks.add(label + ":\n" + result);
            }
        }
    }

    private CliProcess cli() {
        return new CliProcess(dir, masterKey, false);
    }

    private Path file(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void no_refusal_of_the_tool_prints_the_secret_it_was_given() throws Exception {
        CliProcess cli = cli();
        assertThat(cli.run("migrate").exitCode()).isZero();

        // Arguments: the secret where the tool reads it from standard input, or as a value of the wrong shape.
        refuses("secret as an argument", cli, null, "key", "put", "openai", "prod", SECRET);
        refuses("secret as an unknown option's value", cli, null, "key", "put", "openai", "prod", "--key=" + SECRET);
        refuses("secret as an unknown option", cli, null, "provider", "list", SECRET);
        refuses("secret as a number", cli, null, "import", "--provider-keys", "x.json", "--iterations", SECRET);
        refuses("secret as an enum", cli, null, "import", "--provider-keys", "x.json", "--on-existing", SECRET);
        refuses("secret as VARIABLE=TYPE", cli, null, "import", "--env-var", SECRET);
        refuses("secret as TEXT=N", cli, null, "import", "--provider-keys", "x.json", "--priority", SECRET);
        refuses("secret as a store URL", cli, null, "--store", SECRET, "provider", "list");
        refuses("secret as a URL password", cli, null, "--store",
                "jdbc:postgresql://127.0.0.1:1/db?user=u&password=" + SECRET, "provider", "list");
        refuses("secret as a document override", cli, null, "document", "explain", "app", "--" + SECRET);
        refuses("secret under --json", cli, null, "--json", "key", "put", "openai", "prod", SECRET);

        // Damaged files of every import source, and a damaged bundle.
        file("keys-unquoted.json", "{\"openai\": {\"apiKey\": " + SECRET + ", \"models\": []}}\n");
        refuses("provider_keys.json with an unquoted key", cli, null, "import", "--provider-keys",
                "keys-unquoted.json");
        file("keys-trailing.json", "{\"openai\": {\"apiKey\": \"x\"}} " + SECRET + "\n");
        refuses("provider_keys.json with trailing text", cli, null, "import", "--provider-keys", "keys-trailing.json");
        file("keys-shape.json", "{\"openai\": [\"" + SECRET + "\"]}\n");
        refuses("provider_keys.json of the wrong shape", cli, null, "import", "--provider-keys", "keys-shape.json");
        file("bundle.json", "{\"format\": \"configstore-bundle\", \"secret\": " + SECRET + "}\n");
        refuses("damaged bundle", cli, null, "import", "--in", "bundle.json");
        file("doc.json", "{\"password\": " + SECRET + "}\n");
        refuses("damaged document file", cli, null, "document", "set", "app", "--file", "doc.json");
        file("fernet.key", SECRET + "\n");
        pythonDatabase();
        refuses("bad Fernet key file", cli, null, "import", "--python-sqlite", "service.db", "--fernet-key-file",
                "fernet.key");
        refuses("Python database with damaged settings and token", cli, "svc password\n", "import",
                "--python-sqlite", "service.db", "--salt-text", "svc-salt");
        String legacy = legacyDatabase();
        try {
            refuses("legacy PostgreSQL with damaged rows", cli, null, "import", "--legacy-postgres",
                    PostgresTestServer.URL + "?currentSchema=" + legacy, "--legacy-user", PostgresTestServer.USER);
        } finally {
            PostgresTestServer.dropSchema(legacy);
        }

        // Environment: bad master key material, a store URL whose password is the secret.
        refuses("bad master key", cli().env("CONFIGSTORE_MASTER_KEY", SECRET), null, "key", "list");
        refuses("bad master key file", cli().env("CONFIGSTORE_MASTER_KEY", "")
                .env("CONFIGSTORE_MASTER_KEY_FILE", file("master.key", SECRET).toString()), null, "key", "list");
        refuses("bad store URL in the environment", cli().env("CONFIGSTORE_STORE_URL",
                "jdbc:postgresql://127.0.0.1:1/db?password=" + SECRET), null, "provider", "list");

        assertThat(leaks).as("refusals that printed the secret").isEmpty();
        assertThat(accepted).as("scenarios that were accepted instead of refused").isEmpty();
    }

    @Test
    void no_refusal_of_the_library_in_a_host_process_logs_or_throws_the_secret() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-Dorg.slf4j.simpleLogger.log.io.configstore=trace", "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-cp", CliProcess.jar() + java.io.File.pathSeparator
                        + System.getProperty(CliProcess.TEST_CLASSES_PROPERTY),
                SecretEchoHost.class.getName(), SECRET, dir.toString());
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        // Every scenario ran and was refused; none succeeded, none printed the secret.
        assertThat(output).as(output).contains(SecretEchoHost.ALL_REFUSED).doesNotContain(SecretEchoHost.ACCEPTED);
        assertThat(output).as(output).doesNotContain(CORE);
    }

    private void pythonDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("service.db"));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE provider_configs (id INTEGER PRIMARY KEY, provider_type TEXT, name TEXT,"
                    + " is_default BOOLEAN, settings TEXT, created_at DATETIME, updated_at DATETIME)");
            statement.execute("CREATE TABLE api_keys (id INTEGER PRIMARY KEY, provider_type TEXT, key_name TEXT,"
                    + " encrypted_key TEXT, is_active BOOLEAN, created_at DATETIME, updated_at DATETIME,"
                    + " last_used_at DATETIME)");
            statement.execute("INSERT INTO provider_configs VALUES (1, 'openai', 'main', 1, '{\"token\": " + SECRET
                    + "}', '2024-01-01 00:00:00', '2024-01-01 00:00:00')");
            statement.execute("INSERT INTO api_keys VALUES (1, 'openai', 'main', '" + SECRET + "', 1,"
                    + " '2024-01-01 00:00:00', '2024-01-01 00:00:00', NULL)");
        }
    }

    /** A legacy schema whose rows hold the secret where it does not belong: unparsable JSON text, a bad priority. */
    private static String legacyDatabase() throws Exception {
        String schema = PostgresTestServer.newSchemaName();
        try (Connection connection = PostgresTestServer.admin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE TABLE " + schema + ".provider_configs (tenant_id TEXT, provider_type TEXT,"
                    + " provider_name TEXT, api_key TEXT, api_secret TEXT, priority TEXT, enabled BOOLEAN,"
                    + " config_data TEXT, version INT, created_by TEXT, updated_by TEXT, created_at TIMESTAMPTZ,"
                    + " updated_at TIMESTAMPTZ)");
            statement.execute("INSERT INTO " + schema + ".provider_configs VALUES ('t1', 'openai', 'main', 'k', NULL,"
                    + " '" + SECRET + "', true, '{\"token\": " + SECRET + "}', 1, 'a', 'a', now(), now())");
        }
        return schema;
    }
}
