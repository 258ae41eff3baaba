package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.crypto.AesGcmSecretCipher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import command in this JVM: how it picks its source and reads its options (the process tests run the jar). */
class ImportCommandTest {
    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>(Map.of("CONFIGSTORE_MASTER_KEY",
            Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey())));

    record Run(int exitCode, String out, String err) {
    }

    Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(err, true, StandardCharsets.UTF_8), null);
        int code = ConfigstoreCli.run(args, environment::get, terminal, new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void an_unknown_on_existing_mode_is_a_usage_error_naming_the_choices() {
        Run run = run("", "import", "--in", dir.resolve("bundle.json").toString(), "--on-existing", "overwrite",
                "--store", "sqlite:" + dir.resolve("store.db"));
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).contains("--on-existing must be skip or fail");
    }

    @Test
    void a_missing_bundle_file_is_not_found() {
        environment.put(DataCommands.PASSWORD_VARIABLE, "correct horse battery");
        Run run = run("", "import", "--in", dir.resolve("absent.json").toString(), "--store",
                "sqlite:" + dir.resolve("store.db"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.err()).contains("absent.json").contains("does not exist");
    }

    @Test
    void a_bundle_with_text_after_its_object_or_a_repeated_key_is_refused_naming_the_line_not_the_text() throws Exception {
        environment.put(DataCommands.PASSWORD_VARIABLE, "correct horse battery");
        String store = "sqlite:" + dir.resolve("store.db");
        assertThat(run("", "migrate", "--store", store).exitCode()).isZero();
        java.nio.file.Files.writeString(dir.resolve("trailing.json"), "{\"format\": \"configstore-bundle\"}\n"
                + "sk-trailing-7Qz");
        java.nio.file.Files.writeString(dir.resolve("twice.json"), "{\"format\": \"sk-first-7Qz\",\n"
                + " \"format\": \"sk-second-7Qz\"}");
        for (String file : new String[] {"trailing.json", "twice.json"}) {
            Run run = run("", "import", "--in", dir.resolve(file).toString(), "--store", store);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE.code());
            assertThat(run.err()).contains("is not valid JSON at line 2, column").doesNotContain("7Qz");
            Run verbose = run("", "--verbose", "import", "--in", dir.resolve(file).toString(), "--store", store);
            assertThat(verbose.err()).contains("Caused by: com.fasterxml.jackson").contains("\tat ")
                    .doesNotContain("7Qz");
        }
    }

    @Test
    void exactly_one_source_is_required() {
        Run none = run("", "import", "--store", "sqlite:" + dir.resolve("store.db"));
        assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(none.err()).contains("give exactly one source");
        Run two = run("", "import", "--env", "--provider-keys", "x.json", "--store", "sqlite:" + dir.resolve("s.db"));
        assertThat(two.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(two.err()).contains("one import per source");
    }

    @Test
    void provider_keys_import_prints_the_report_and_a_second_run_skips() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("provider_keys.json"),
                "{\"openai\": {\"apiKey\": \"sk-cli-1\", \"baseUrl\": \"https://example.test\"}}");
        String store = "sqlite:" + dir.resolve("store.db");
        assertThat(run("", "migrate", "--store", store).exitCode()).isZero();
        Run first = run("", "import", "--provider-keys", dir.resolve("provider_keys.json").toString(), "--store",
                store);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("+ provider openai/default (tenant default)")
                .contains("+ apiKey openai/default (tenant default)")
                .contains("imported 2, skipped 0, failed 0; verified 1 secret(s)").doesNotContain("sk-cli-1");
        Run second = run("", "import", "--provider-keys", dir.resolve("provider_keys.json").toString(), "--store",
                store);
        assertThat(second.out()).contains("= apiKey openai/default (tenant default): exists, identical")
                .contains("imported 0, skipped 2");
    }

    @Test
    void a_password_needs_its_salt() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("service.db"), "");
        Run run = run("password\n", "import", "--python-sqlite", dir.resolve("service.db").toString(), "--store",
                "sqlite:" + dir.resolve("store.db"));
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).contains("needs its PBKDF2 salt");
    }
}
