package io.configstore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffectiveConfigExampleTest {

    private static String run(Path database, List<String> args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        EffectiveConfigExample.run(database, args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void the_example_prints_the_origin_of_every_value_and_never_a_secret(@TempDir Path dir) {
        String output = run(dir.resolve("configstore.db"), EffectiveConfigExample.DEMO_ARGS);

        assertThat(output.lines().map(String::strip).toList()).contains(
                "server.host = \"localhost\"  from store: document 'app' revision 1",
                "server.port = 9090  from command line: args[0] --server.port",
                "overrode 8081 from environment: CONFIGSTORE_SERVER__PORT",
                "overrode 8080 from store: document 'app' revision 1",
                "server.tls = false  from command line: args[1] --no-server.tls",
                "overrode true from store: document 'app' revision 1",
                "pool.maxConnections = 20  from environment: CONFIGSTORE_POOL__MAX_CONNECTIONS",
                "overrode 10 from store: document 'app' revision 1",
                "database.url = \"jdbc:postgresql://db/app\"  from store: document 'app' revision 1",
                "database.password = \"[redacted]\"  from environment: CONFIGSTORE_DATABASE__PASSWORD",
                "overrode \"[redacted]\" from store: document 'app' revision 1",
                "~ database.password: \"[redacted]\" -> \"[redacted]\"",
                "Bound: server.port=9090 server.tls=false pool.maxConnections=20",
                "Left for the application: [report.txt]",
                "Stored document after loading: revision 1, unchanged (overrides are never written back)");
        assertThat(output).doesNotContain("stored-password").doesNotContain("env-password");
    }

    @Test
    void a_second_run_on_the_same_file_names_the_new_revision(@TempDir Path dir) {
        Path database = dir.resolve("configstore.db");
        run(database, List.of());

        String second = run(database, List.of("--pool.max-connections", "30"));

        assertThat(second.lines().map(String::strip).toList()).contains(
                "pool.maxConnections = 30  from command line: args[0] --pool.max-connections",
                "overrode 20 from environment: CONFIGSTORE_POOL__MAX_CONNECTIONS",
                "server.port = 8081  from environment: CONFIGSTORE_SERVER__PORT");
        // update() writes nothing when the content is unchanged, so the document stays at revision 1.
        assertThat(second).contains("server.host = \"localhost\"  from store: document 'app' revision 1");
    }
}
