package io.configstore.cli;

import static io.configstore.testkit.PostgresTestServer.URL;
import static io.configstore.testkit.PostgresTestServer.USER;
import static io.configstore.testkit.PostgresTestServer.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.testkit.PostgresTestServer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar against a fresh schema on the local PostgreSQL server, dropped afterwards. */
class CliPostgresProcessTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final String schema = PostgresTestServer.newSchemaName();

    @BeforeEach
    void serverIsUp() throws SQLException {
        admin().close();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        PostgresTestServer.dropSchema(schema);
    }

    @Test
    void a_first_session_on_postgresql_and_a_copy_to_sqlite() throws Exception {
        String key = Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey());
        String store = URL + (URL.contains("?") ? "&" : "?") + "user=" + USER + "&schema=" + schema;
        CliProcess cli = new CliProcess(dir, key, false).env("CONFIGSTORE_STORE_URL", store);
        assertThat(cli.run("migrate").exitCode()).isZero();
        assertThat(cli.run("provider", "add", "openai", "prod", "--settings", "{\"model\":\"m\"}").exitCode())
                .isZero();
        CliProcess.Result put = cli.runWithInput("sk-pg-secret\n", "key", "put", "openai", "prod");
        assertThat(put.exitCode()).as(put.toString()).isZero();
        JsonNode info = MAPPER.readTree(cli.run("info", "--json").out());
        assertThat(info.get("backend").asText()).isEqualTo("jdbc:postgresql:");
        assertThat(info.get("store").asText()).doesNotContain("user=");
        JsonNode keys = MAPPER.readTree(cli.run("key", "list", "--json").out());
        assertThat(keys.get(0).get("keyName").asText()).isEqualTo("prod");
        cli.env("CONFIGSTORE_EXPORT_PASSWORD", "correct horse battery");
        assertThat(cli.run("export", "--out", "pg.json").exitCode()).isZero();

        CliProcess.Result copy = cli.run("copy", "--to", "sqlite:copy.db", "--json");
        assertThat(copy.exitCode()).as(copy.toString()).isZero();
        assertThat(MAPPER.readTree(copy.out()).get("imported").asInt()).isEqualTo(2);
        CliProcess.Result doctor = cli.run("doctor", "--store", "sqlite:copy.db");
        assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
        assertThat(doctor.out()).contains("1 of 1 decrypt");
        CliProcess.Result pgDoctor = cli.run("doctor");
        assertThat(pgDoctor.exitCode()).as(pgDoctor.toString()).isZero();
        assertThat(cli.run("import", "--in", "pg.json", "--dry-run").out()).contains("would import 0, skipped 2");
    }
}
