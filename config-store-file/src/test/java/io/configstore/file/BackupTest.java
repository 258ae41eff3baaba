package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static io.configstore.file.TestStores.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.error.NotFoundException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change keeps a backup of the state before it: rotated, compressed when large, restorable by id. */
class BackupTest {
    @TempDir
    Path dir;

    @Test
    void only_the_newest_backups_are_kept_oldest_first() throws Exception {
        try (FileStoreSet stores = TestStores.builder(dir).backupsToKeep(3).open()) {
            long start = storeRevision(stores);
            for (int i = 1; i <= 6; i++) {
                stores.documents().update("app", doc -> doc.put("n", doc.path("n").asInt() + 1), CHANGE);
            }

            List<BackupInfo> backups = stores.backups();

            assertThat(backups).extracting(BackupInfo::storeRevision).containsExactly(start + 3, start + 4, start + 5);
            assertThat(backups).allMatch(BackupInfo::valid).allMatch(b -> b.checksum().matches("sha256:[0-9a-f]{64}"));
            assertThat(dir.resolve(BackupDirectory.NAME).toFile().list()).hasSize(3);
        }
    }

    @Test
    void ten_backups_are_kept_by_default() {
        try (FileStoreSet stores = TestStores.open(dir)) {
            for (int i = 1; i <= 12; i++) {
                stores.documents().update("app", doc -> doc.put("n", doc.path("n").asInt() + 1), CHANGE);
            }
            assertThat(stores.backups()).hasSize(FileStoreSet.Builder.DEFAULT_BACKUPS_TO_KEEP);
        }
    }

    @Test
    void backups_larger_than_the_threshold_are_gzip_compressed_and_smaller_ones_are_not() throws Exception {
        try (FileStoreSet stores = TestStores.builder(dir).compressBackupsAbove(2_000).open()) {
            stores.documents().save("small", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
            stores.documents().save("large", Json.object().put("text", "x".repeat(5_000)), 1,
                    ConfigDocument.NO_REVISION, CHANGE);
            stores.documents().save("after", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);

            List<BackupInfo> all = stores.backups();
            List<BackupInfo> backups = all.subList(all.size() - 3, all.size());

            assertThat(backups).extracting(BackupInfo::compressed).containsExactly(false, false, true);
            BackupInfo compressed = backups.get(2);
            assertThat(compressed.valid()).isTrue();
            assertThat(compressed.sizeBytes()).isLessThan(2_000);
            Path gz = dir.resolve(BackupDirectory.NAME).resolve(compressed.id() + ".json.gz");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("\"large\"").contains("\"format\" : \"configstore\"");
            }
        }
    }

    @Test
    void restoring_a_backup_by_id_brings_its_state_back_as_a_change_that_is_itself_backed_up() throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            long start = storeRevision(stores);
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
            stores.documents().update("app", doc -> doc.put("v", 2), CHANGE);
            stores.documents().update("app", doc -> doc.put("v", 3), CHANGE);
            BackupInfo holdingV1 = stores.backups().stream().filter(b -> b.storeRevision() == start + 1).findFirst()
                    .orElseThrow();
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);

            stores.restore(holdingV1.id());

            ConfigDocument app = stores.documents().load("app").orElseThrow();
            assertThat(app.content().get("v").asInt()).isEqualTo(1);
            // The document went back to an earlier revision: told as deleted and created again.
            assertThat(next(events)).isEqualTo(ChangeEvent.deleted(EntityKind.CONFIG_DOCUMENT, "default", "app", 3,
                    ChangeOrigin.LOCAL));
            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1,
                    ChangeOrigin.LOCAL));
            List<BackupInfo> after = stores.backups();
            assertThat(after.get(after.size() - 1).storeRevision()).as("the state before the restore is kept")
                    .isEqualTo(start + 3);
        }
        try (FileStoreSet reopened = TestStores.open(dir)) {
            assertThat(reopened.documents().load("app").orElseThrow().content().get("v").asInt()).isEqualTo(1);
        }
    }

    /** The store file's revision now (opening a new store already writes once: the master key's check value). */
    static long storeRevision(FileStoreSet stores) throws java.io.IOException {
        return com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(stores.storeFile().toFile())
                .get("revision").asLong();
    }

    @Test
    void restoring_an_unknown_backup_is_not_found_and_changes_nothing() throws Exception {
        try (FileStoreSet stores = TestStores.open(dir)) {
            stores.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);
            byte[] before = Files.readAllBytes(stores.storeFile());

            assertThatThrownBy(() -> stores.restore("backup-000000999-20200101T000000000Z"))
                    .isInstanceOf(NotFoundException.class);
            assertThat(Files.readAllBytes(stores.storeFile())).isEqualTo(before);
        }
    }
}
