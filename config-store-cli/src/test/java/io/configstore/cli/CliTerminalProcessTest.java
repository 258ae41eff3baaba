package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.crypto.AesGcmSecretCipher;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar at a terminal (a pseudo-terminal made by {@code script}) and in a pipe: the progress bar. */
class CliTerminalProcessTest {
    private static final String BAR_AT_THE_END = "[" + "#".repeat(30) + "] 3/3";

    @TempDir
    Path dir;

    private CliProcess storeWithThreeEntries() {
        CliProcess cli = new CliProcess(dir, Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey()),
                false).env("CONFIGSTORE_EXPORT_PASSWORD", "correct horse battery");
        for (String command : new String[] {"migrate", "provider add openai a", "provider add openai b",
                "provider add openai c"}) {
            CliProcess.Result result = cli.run(command.split(" "));
            assertThat(result.exitCode()).as(result.toString()).isZero();
        }
        return cli;
    }

    @Test
    void long_work_at_a_terminal_draws_a_progress_bar_redrawn_in_place() {
        CliProcess.Result result = storeWithThreeEntries().runOnTerminal("export", "--out", "bundle.json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("\rexport [").contains("] 1/3").contains("] 2/3").contains(BAR_AT_THE_END)
                .contains("exported 1 tenant(s) to bundle.json");
    }

    @Test
    void the_same_work_in_a_pipe_draws_no_bar_so_scripts_read_clean_output() {
        CliProcess.Result result = storeWithThreeEntries().run("export", "--out", "bundle.json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out() + result.err()).doesNotContain("[#").doesNotContain("\r")
                .contains("exported 1 tenant(s) to bundle.json");
    }
}
