package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.configstore.crypto.Secret;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.testkit.ExtremeDurations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory and the store file as a person finds them, and the builder's checks. */
class FileLayoutTest {
    @TempDir
    Path dir;

    @Test
    void the_store_file_is_pretty_printed_json_with_a_format_version_and_a_checksum_of_its_content()
            throws Exception {
        long before;
        try (FileStoreSet stores = TestStores.open(dir)) {
            before = BackupTest.storeRevision(stores);
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        String text = Files.readString(dir.resolve(FileStoreSet.STORE_FILE));
        JsonNode root = JsonMapper.builder().build().readTree(text);

        assertThat(text).contains("\n  \"formatVersion\" : 1,\n");
        assertThat(root.get("format").asText()).isEqualTo("configstore");
        assertThat(root.get("revision").asLong()).isEqualTo(before + 1);
        assertThat(root.at("/changeLog/entries").findValuesAsText("key")).contains("app");
        assertThat(root.at("/tenants/default/documents/app/content/v").asInt()).isEqualTo(1);
        byte[] canonical = (JsonMapper.builder().build().writeValueAsString(root.get("metadata"))
                + JsonMapper.builder().build().writeValueAsString(root.get("tenants"))).getBytes(StandardCharsets.UTF_8);
        assertThat(root.get("checksum").asText()).isEqualTo("sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)));
    }

    @Test
    void api_keys_are_kept_as_the_ciphers_ciphertext_never_as_plaintext() throws Exception {
        ApiKeyMetadata key;
        try (FileStoreSet stores = TestStores.open(dir)) {
            key = stores.apiKeys().store("openai", "prod", Secret.of("sk-plaintext-must-not-appear"), CHANGE);
        }
        String text = Files.readString(dir.resolve(FileStoreSet.STORE_FILE));
        JsonNode stored = JsonMapper.builder().build().readTree(text).at("/tenants/default/apiKeys/0");

        assertThat(text).doesNotContain("sk-plaintext-must-not-appear");
        assertThat(stored.get("encryptionKeyId").asText()).isEqualTo("test");
        assertThat(TestStores.CIPHER.decrypt(stored.get("ciphertext").asText(),
                new io.configstore.crypto.SecretBinding("default", "openai", "prod", key.id())).reveal())
                .isEqualTo("sk-plaintext-must-not-appear");
    }

    @Test
    void the_directory_and_every_file_are_owner_only_on_posix() throws Exception {
        Path store = dir.resolve("new").resolve("store");
        try (FileStoreSet stores = TestStores.open(store)) {
            stores.documents().save("app", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        if (!Files.getFileStore(store).supportsFileAttributeView("posix")) {
            assertThat(Files.exists(store.resolve(FileStoreSet.STORE_FILE))).isTrue();
            return;
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rwx------");
        for (Path file : new Path[] {store.resolve(FileStoreSet.STORE_FILE), store.resolve(DirectoryLock.LOCK_FILE),
                Files.list(store.resolve(BackupDirectory.NAME)).findFirst().orElseThrow()}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void a_store_file_from_a_newer_format_version_is_refused_and_left_alone() throws Exception {
        TestStores.open(dir).close();
        Path file = dir.resolve(FileStoreSet.STORE_FILE);
        String newer = Files.readString(file).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99");
        Files.writeString(file, newer);

        assertThatThrownBy(() -> TestStores.open(dir)).isInstanceOf(StorageException.class)
                .hasMessageContaining("format version 99");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(newer);
    }

    @Test
    void the_builder_checks_its_options_at_the_door() {
        assertThatThrownBy(() -> FileStoreSet.builder().cipher(TestStores.CIPHER).open())
                .isInstanceOf(ValidationException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> FileStoreSet.builder().directory(dir).open())
                .isInstanceOf(ValidationException.class).hasMessageContaining("cipher");
        assertThatThrownBy(() -> FileStoreSet.builder().backupsToKeep(0))
                .isInstanceOf(ValidationException.class).hasMessageContaining("backupsToKeep");
        assertThatThrownBy(() -> FileStoreSet.builder().compressBackupsAbove(-1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("compressBackupsAbove");
        assertThatThrownBy(() -> FileStoreSet.builder().watchInterval(Duration.ofMillis(1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("watchInterval");
        assertThatThrownBy(() -> FileStoreSet.builder().clock(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void every_duration_option_refuses_extreme_values_at_the_door() {
        ExtremeDurations.assertEachRefused("watchInterval", d -> FileStoreSet.builder().watchInterval(d));
    }

    @Test
    void a_directory_path_that_is_a_file_fails_with_a_storage_error_naming_it() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");

        assertThatThrownBy(() -> TestStores.open(notADirectory)).isInstanceOf(StorageException.class)
                .hasMessageContaining(notADirectory.toString());
    }

    @Test
    void history_and_idempotency_are_sections_of_the_store_file_and_a_file_without_them_stays_readable()
            throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION,
                    CHANGE.withIdempotencyKey("first-save"));
            stores.apiKeys().store("openai", "prod", Secret.of("sk-history-plaintext"), CHANGE);
        }
        Path file = dir.resolve(FileStoreSet.STORE_FILE);
        String text = Files.readString(file);
        JsonNode root = JsonMapper.builder().build().readTree(text);

        assertThat(root.at("/history").findValuesAsText("entityId")).contains("app");
        assertThat(root.at("/history/0/snapshot/content/v").asInt()).isEqualTo(1);
        assertThat(root.at("/history/1/snapshot/ciphertext").asText()).startsWith("v1:");
        assertThat(root.at("/idempotency/0/key").asText()).isEqualTo("first-save");
        assertThat(root.at("/idempotency/0/result/name").asText()).isEqualTo("app");
        assertThat(text).doesNotContain("sk-history-plaintext");

        // A file written before history existed: no sections, read as no history.
        com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode) root;
        old.remove("history");
        old.remove("idempotency");
        Files.writeString(file, JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(old));
        try (FileStoreSet stores = TestStores.open(dir)) {
            assertThat(stores.documents().load("app")).isPresent();
            assertThat(stores.history().list(io.configstore.change.EntityKind.CONFIG_DOCUMENT, "app")).isEmpty();
            stores.documents().update("app", d -> d.put("v", 2), CHANGE);
            assertThat(stores.history().list(io.configstore.change.EntityKind.CONFIG_DOCUMENT, "app"))
                    .extracting(io.configstore.history.HistoryEntry::version).containsExactly(2L);
        }
    }
}
