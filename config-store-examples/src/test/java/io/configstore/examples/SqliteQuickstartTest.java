package io.configstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteQuickstartTest {

    private static String run(Path database) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SqliteQuickstart.run(database, name -> null, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void the_quickstart_prints_what_persisted_and_a_second_run_finds_it_again(@TempDir Path dir) throws Exception {
        Path database = dir.resolve("nested/configstore.db");

        String first = run(database);
        assertThat(first).contains("using the development key file")
                .contains("provider  openai/production default=true version=1")
                .contains("api key   production active=true encrypted-with=master secret=Secret[redacted]")
                .contains("document  app revision=1 content={\"runs\":1}")
                .doesNotContain("sk-example-not-a-real-key");

        String second = run(database);
        assertThat(second).contains("using the development key file")
                .contains("provider  openai/production default=true version=1")
                .contains("document  app revision=2 content={\"runs\":2}");
        assertThat(Files.exists(database)).isTrue();
    }
}
