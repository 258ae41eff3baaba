package io.configstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.Secret;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.service.ConfigurationService;
import io.configstore.service.LastKnownGood;
import io.configstore.service.SnapshotFile;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar as a process on a snapshot a configuration service wrote: {@code snapshot inspect} shows what it holds
 * (never a secret or ciphertext), refuses a damaged one, and {@code doctor --snapshot} says what a service would do.
 */
class CliSnapshotProcessTest {
    private static final String SECRET = "sk-snapshot-cli-5be0d1";
    private static final ChangeContext CHANGE = ChangeContext.by("cli-snapshot-test");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final String masterKey = Base64.getEncoder().encodeToString(AesGcmSecretCipher.generateKey());

    private Path writeSnapshot() throws Exception {
        Path db = dir.resolve("app.db");
        Path snapshot = dir.resolve("data/configstore.snapshot");
        try (StoreSet stores = SqliteStoreSet.builder().path(db)
                .cipher(AesGcmSecretCipher.of("k1", AesGcmSecretCipher.generateKey())).open()) {
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
            stores.providers().create(NewProviderConfig.of("openai", "prod", Json.object().put("model", "m")),
                    CHANGE);
            stores.apiKeys().store("openai", "prod", Secret.of(SECRET), CHANGE);
            try (ConfigurationService service = ConfigurationService.builder(stores).snapshotFile(snapshot)
                    .snapshotInterval(Duration.ofMillis(10)).degradedStart(true).build()) {
                Await.until("the snapshot file", () -> Files.exists(snapshot));
            }
        }
        return snapshot;
    }

    @Test
    void snapshot_inspect_shows_what_the_snapshot_holds_and_never_a_secret_or_ciphertext() throws Exception {
        Path snapshot = writeSnapshot();
        LastKnownGood held = SnapshotFile.read(snapshot);
        String ciphertext = held.sealed().values().iterator().next().ciphertext();
        CliProcess cli = new CliProcess(dir, masterKey, false);

        CliProcess.Result text = cli.run("snapshot", "inspect", snapshot.toString());
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("is intact").contains("revisions " + held.revisions())
                .contains("provider openai/prod v1").contains("API key openai/prod v1 active, ciphertext kept (not shown)")
                .contains("document app revision 1");

        CliProcess.Result json = cli.run("--json", "snapshot", "inspect", snapshot.toString());
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode tree = MAPPER.readTree(json.out());
        assertThat(tree.get("revisions").asText()).isEqualTo(held.revisions());
        assertThat(tree.get("apiKeys").asInt()).isEqualTo(1);
        assertThat(tree.get("keys").get(0).get("ciphertextKept").asBoolean()).isTrue();
        assertThat(tree.get("documentRevisions").get(0).get("revision").asLong()).isEqualTo(1);
        for (CliProcess.Result result : new CliProcess.Result[] {text, json}) {
            assertThat(result.out() + result.err()).doesNotContain(SECRET).doesNotContain(ciphertext);
        }
    }

    @Test
    void a_damaged_snapshot_is_refused_and_doctor_says_what_a_service_would_do() throws Exception {
        Path snapshot = writeSnapshot();
        byte[] bytes = Files.readAllBytes(snapshot);
        Path damaged = dir.resolve("damaged.snapshot");
        Files.write(damaged, Arrays.copyOf(bytes, bytes.length / 2));
        CliProcess cli = new CliProcess(dir, masterKey, false);

        CliProcess.Result refused = cli.run("snapshot", "inspect", damaged.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(6);
        assertThat(refused.err()).contains("damaged").contains("checksum");

        Files.write(dir.resolve("broken.db"), "not a database at all".repeat(100).getBytes());
        CliProcess.Result away = cli.run("doctor", "--store", "sqlite:broken.db", "--snapshot", snapshot.toString());
        assertThat(away.exitCode()).as(away.toString()).isNotZero();
        assertThat(away.out()).contains("ok     snapshot: intact")
                .contains("DEGRADED: the store does not answer; a service with degradedStart would serve this"
                        + " snapshot");

        assertThat(cli.run("migrate", "--store", "sqlite:fresh.db").exitCode()).isZero();
        CliProcess.Result up = cli.run("--json", "doctor", "--store", "sqlite:fresh.db", "--snapshot",
                damaged.toString());
        JsonNode checks = MAPPER.readTree(up.out()).get("checks");
        assertThat(checks.toString()).contains("UP: the store answers").contains("damaged");
        assertThat(up.exitCode()).isEqualTo(6);
        assertThat(up.out() + up.err() + away.out() + away.err()).doesNotContain(SECRET);
    }
}
