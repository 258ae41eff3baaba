package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static io.configstore.file.TestStores.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.StorageException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store file that is truncated, garbled or not JSON is never overwritten or read as empty: it is moved aside and
 * the newest valid backup restored, or, with no valid backup, the open fails naming it.
 */
class RecoveryTest {
    @TempDir
    Path dir;
    private Path file;

    /** Revision 1 holds v=1 (kept as the newest backup), revision 2 holds v=2 (the store file). */
    @BeforeEach
    void twoRevisions() {
        file = dir.resolve(FileStoreSet.STORE_FILE);
        try (FileStoreSet stores = TestStores.open(dir)) {
            ConfigDocument first = stores.documents().save("app", Json.object().put("v", 1), 1,
                    ConfigDocument.NO_REVISION, CHANGE);
            stores.documents().save("app", Json.object().put("v", 2), 1, first.revision(), CHANGE);
        }
    }

    @Test
    void a_truncated_file_is_moved_aside_and_the_newest_backup_restored() throws Exception {
        byte[] whole = Files.readAllBytes(file);
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
        Files.write(file, truncated);

        try (FileStoreSet stores = TestStores.open(dir)) {
            assertThat(stores.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(1);
        }
        assertThat(Files.readAllBytes(corruptKeptAside())).isEqualTo(truncated);
    }

    @Test
    void a_garbled_file_is_moved_aside_and_the_newest_backup_restored() throws Exception {
        byte[] garbled = Files.readAllBytes(file);
        byte[] noise = "\u0000\u00ff}{]][garbage".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(noise, 0, garbled, garbled.length / 3, noise.length);
        Files.write(file, garbled);

        try (FileStoreSet stores = TestStores.open(dir)) {
            assertThat(stores.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(1);
            assertThat(stores.documents().names()).containsExactly("app");
        }
        assertThat(Files.readAllBytes(corruptKeptAside())).isEqualTo(garbled);
    }

    @Test
    void an_empty_file_is_corruption_not_an_empty_store() throws Exception {
        Files.write(file, new byte[0]);

        try (FileStoreSet stores = TestStores.open(dir)) {
            assertThat(stores.documents().names()).containsExactly("app");
        }
        assertThat(Files.size(corruptKeptAside())).isZero();
    }

    @Test
    void a_corrupt_newest_backup_is_skipped_for_an_older_valid_one() throws Exception {
        List<Path> backups = backupFiles();
        Path newest = backups.get(backups.size() - 1);
        Files.writeString(newest, "{ not json");
        Files.writeString(file, "also not json");

        try (FileStoreSet stores = TestStores.open(dir)) {
            assertThat(stores.documents().names()).as("the older backup is the empty store before v=1").isEmpty();
        }
        assertThat(corruptKeptAside()).exists();
    }

    @Test
    void with_no_valid_backup_the_open_fails_naming_the_file_and_leaves_it_untouched() throws Exception {
        for (Path backup : backupFiles()) {
            Files.writeString(backup, "{ broken");
        }
        Files.writeString(file, "{\"format\": \"configstore\", \"tenants\": {");

        assertThatThrownBy(() -> TestStores.open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toRealPath().toString())
                .hasMessageContaining("no valid backup");
        assertThat(Files.readString(file)).isEqualTo("{\"format\": \"configstore\", \"tenants\": {");
        assertThat(names(dir)).noneMatch(n -> n.contains(".corrupt-"));
    }

    @Test
    void a_file_corrupted_while_the_store_is_open_is_recovered_by_the_next_write_never_overwritten()
            throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            Files.writeString(file, "garbage written by something else");

            stores.documents().save("other", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);

            assertThat(stores.documents().names()).containsExactly("app", "other");
            assertThat(stores.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(1);
        }
        assertThat(Files.readString(corruptKeptAside())).isEqualTo("garbage written by something else");
        try (FileStoreSet reopened = TestStores.open(dir)) {
            assertThat(reopened.documents().names()).containsExactly("app", "other");
        }
    }

    private Path corruptKeptAside() throws Exception {
        List<String> aside = names(dir).stream().filter(n -> n.startsWith(FileStoreSet.STORE_FILE + ".corrupt-"))
                .toList();
        assertThat(aside).as("one corrupt file kept aside").hasSize(1);
        return dir.resolve(aside.get(0));
    }

    private List<Path> backupFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(BackupDirectory.NAME))) {
            return files.sorted(Comparator.comparing(Path::toString)).toList();
        }
    }
}
