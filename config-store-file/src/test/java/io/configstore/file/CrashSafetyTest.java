package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static io.configstore.file.TestStores.names;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write interrupted between its temp file and its rename leaves the old state, and the temp file is ignored. */
class CrashSafetyTest {
    @TempDir
    Path dir;

    @Test
    void a_process_killed_between_the_temp_write_and_the_rename_leaves_the_old_state() throws Exception {
        Path store = dir.resolve("store");
        try (FileStoreSet stores = TestStores.open(store)) {
            stores.documents().save("app", Json.object().put("v", "old"), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        byte[] before = Files.readAllBytes(store.resolve(FileStoreSet.STORE_FILE));

        Process child = ChildJvm.start(dir.resolve("child.err"), "crash", store.toString(),
                Base64.getEncoder().encodeToString(TestStores.KEY));
        String line = ChildJvm.readLine(child);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(line).as("stderr: %s", Files.readString(dir.resolve("child.err"))).startsWith("CRASHING");
        assertThat(child.exitValue()).isEqualTo(42);
        assertThat(names(store)).as("the crashed write left its temp file").anyMatch(n -> n.endsWith(".tmp"));
        assertThat(Files.readAllBytes(store.resolve(FileStoreSet.STORE_FILE))).isEqualTo(before);

        try (FileStoreSet reopened = TestStores.open(store)) {
            ConfigDocument app = reopened.documents().load("app").orElseThrow();
            assertThat(app.content().get("v").asText()).isEqualTo("old");
            assertThat(app.revision()).isEqualTo(1);
            assertThat(names(store)).as("temp files are cleaned up on open").noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void a_leftover_temp_file_holding_newer_content_is_never_read_and_is_removed() throws Exception {
        Path store = dir.resolve("store");
        Path other = dir.resolve("other");
        try (FileStoreSet stores = TestStores.open(store); FileStoreSet newer = TestStores.open(other)) {
            stores.documents().save("app", Json.object().put("v", "old"), 1, ConfigDocument.NO_REVISION, CHANGE);
            newer.documents().save("app", Json.object().put("v", "new"), 1, ConfigDocument.NO_REVISION, CHANGE);
            newer.documents().save("extra", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        Path temp = store.resolve("." + FileStoreSet.STORE_FILE + "." + UUID.randomUUID() + ".tmp");
        Files.copy(other.resolve(FileStoreSet.STORE_FILE), temp);

        try (FileStoreSet reopened = TestStores.open(store)) {
            assertThat(reopened.documents().names()).containsExactly("app");
            assertThat(reopened.documents().load("app").orElseThrow().content().get("v").asText()).isEqualTo("old");
            assertThat(temp).doesNotExist();
        }
    }
}
