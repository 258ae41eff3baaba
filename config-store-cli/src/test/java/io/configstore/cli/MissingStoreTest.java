package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.crypto.AesGcmSecretCipher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store URL that names nothing (a typo in --store): commands that read or change existing entries fail with a
 * storage error and create nothing, neither the file nor its directory; commands that add may create a store that
 * needs no migration (file:), and only 'migrate' creates a SQLite one.
 */
class MissingStoreTest {
    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>(Map.of(
            "CONFIGSTORE_MASTER_KEY", Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey()),
            DataCommands.PASSWORD_VARIABLE, "correct horse battery"));

    record Run(int exitCode, String out, String err) {
    }

    private Run run(String store, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new ByteArrayInputStream("sk-typed\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(err, true, StandardCharsets.UTF_8), null);
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--store=" + store);
        int code = ConfigstoreCli.run(all.toArray(String[]::new), environment::get, terminal,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String[][] COMMANDS_ON_EXISTING_ENTRIES = {
            {"info"}, {"provider", "list"}, {"key", "list"}, {"document", "get", "app"},
            {"document", "explain", "app"}, {"export"}, {"history", "--since", "2026-01-01T00:00:00Z"},
            {"history", "document", "app"}, {"rewrap"}, {"provider", "update", "openai", "x", "--priority", "1"},
            {"provider", "set-default", "openai", "x"}, {"provider", "remove", "openai", "x"},
            {"key", "rotate", "openai", "x"}, {"key", "deactivate", "openai", "x"}, {"rollback", "document", "app", "1"},
            {"copy", "--to", "memory:"}, {"import", "--env", "--dry-run"}};

    @Test
    void commands_on_existing_entries_fail_on_a_missing_sqlite_store_and_create_nothing() {
        String store = "sqlite:" + dir.resolve("typo/configstore.db");
        for (String[] command : COMMANDS_ON_EXISTING_ENTRIES) {
            Run run = run(store, command);
            assertThat(run.exitCode()).as(String.join(" ", command) + "\n" + run).isEqualTo(ExitCode.STORAGE.code());
            assertThat(run.err()).as(String.join(" ", command)).contains("there is no store at " + store)
                    .contains("nothing was created").contains("run 'configstore migrate' to create the store there");
            assertThat(dir.resolve("typo")).as(String.join(" ", command)).doesNotExist();
        }
    }

    @Test
    void commands_on_existing_entries_fail_on_a_missing_file_store_and_create_nothing() {
        String store = "file:" + dir.resolve("typo/store");
        for (String[] command : COMMANDS_ON_EXISTING_ENTRIES) {
            Run run = run(store, command);
            assertThat(run.exitCode()).as(String.join(" ", command) + "\n" + run).isEqualTo(ExitCode.STORAGE.code());
            assertThat(run.err()).as(String.join(" ", command)).contains("there is no store at " + store);
            assertThat(dir.resolve("typo")).as(String.join(" ", command)).doesNotExist();
        }
    }

    @Test
    void doctor_reports_a_missing_store_as_a_failed_check_and_creates_nothing() {
        Run run = run("sqlite:" + dir.resolve("typo/configstore.db"), "doctor");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.STORAGE.code());
        assertThat(run.out()).contains("FAILED").contains("run 'configstore migrate'");
        assertThat(dir.resolve("typo")).doesNotExist();
    }

    @Test
    void adding_to_a_missing_sqlite_store_creates_nothing_only_migrate_does() {
        String store = "sqlite:" + dir.resolve("new/configstore.db");
        for (String[] command : new String[][] {{"provider", "add", "openai", "x"}, {"key", "put", "openai", "x"}}) {
            Run run = run(store, command);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.STORAGE.code());
            assertThat(run.err()).contains("run 'configstore migrate'");
            assertThat(dir.resolve("new")).doesNotExist();
        }
        assertThat(run(store, "migrate").exitCode()).isZero();
        assertThat(dir.resolve("new/configstore.db")).isRegularFile();
        assertThat(run(store, "provider", "add", "openai", "x").exitCode()).isZero();
    }

    @Test
    void adding_to_a_missing_file_store_creates_it() {
        String store = "file:" + dir.resolve("new/store");
        Run run = run(store, "provider", "add", "openai", "x");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run(store, "provider", "list").out()).contains("openai");
    }

    @Test
    void a_store_that_is_not_migrated_leads_with_the_command_to_run() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.db"));
        Run run = run("sqlite:" + empty, "provider", "list");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.STORAGE.code());
        assertThat(run.err()).startsWith("configstore: run 'configstore migrate' (with the same --store) to bring the"
                + " store's schema up to date").contains("pending migration");
    }
}
