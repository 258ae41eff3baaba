package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static io.configstore.file.TestStores.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.testkit.Await;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher tells a store set's subscribers of writes made through another store set (or process) as REMOTE. */
class RemoteChangeTest {
    @TempDir
    Path dir;

    @Test
    void a_write_through_another_store_set_is_told_to_subscribers_as_remote_without_any_read() throws Exception {
        try (FileStoreSet first = TestStores.open(dir); FileStoreSet second = TestStores.open(dir)) {
            BlockingQueue<ChangeEvent> remote = new LinkedBlockingQueue<>();
            BlockingQueue<ChangeEvent> local = new LinkedBlockingQueue<>();
            first.subscribe(remote::add);
            second.subscribe(local::add);

            second.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, CHANGE);

            assertThat(next(remote)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1,
                    ChangeOrigin.REMOTE));
            assertThat(next(local)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1,
                    ChangeOrigin.LOCAL));
        }
    }

    @Test
    void every_version_written_elsewhere_since_the_last_look_is_told_not_only_the_last() throws Exception {
        try (FileStoreSet behind = TestStores.builder(dir).watchInterval(java.time.Duration.ofHours(1)).open();
             FileStoreSet writer = TestStores.open(dir)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            behind.subscribe(events::add);

            ConfigDocument first = writer.documents().save("app", Json.object().put("v", 1), 1,
                    ConfigDocument.NO_REVISION, CHANGE);
            writer.documents().save("app", Json.object().put("v", 2), 1, first.revision(), CHANGE);
            behind.pollForChanges();

            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1,
                    ChangeOrigin.REMOTE));
            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 2,
                    ChangeOrigin.REMOTE));
        }
    }

    @Test
    void a_set_further_behind_than_the_change_log_is_told_to_resync_then_what_differs() throws Exception {
        try (FileStoreSet behind = TestStores.builder(dir).watchInterval(java.time.Duration.ofHours(1)).open();
             FileStoreSet writer = TestStores.open(dir)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            behind.subscribe(events::add);

            for (int i = 0; i <= FileJournal.CHANGE_LOG_WINDOW; i++) {
                writer.documents().update("app", doc -> doc.put("n", doc.path("n").asInt() + 1), CHANGE);
            }
            behind.pollForChanges();

            assertThat(next(events)).isEqualTo(ChangeEvent.resync(ChangeOrigin.REMOTE));
            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app",
                    FileJournal.CHANGE_LOG_WINDOW + 1, ChangeOrigin.REMOTE));
        }
    }

    @Test
    void a_deletion_through_another_store_set_is_told_as_a_remote_deletion() throws Exception {
        try (FileStoreSet first = TestStores.open(dir); FileStoreSet second = TestStores.open(dir)) {
            ConfigDocument app = second.documents().save("app", Json.object(), 1, ConfigDocument.NO_REVISION,
                    CHANGE);
            Await.until("the first set sees the document", () -> first.documents().names().contains("app"));
            BlockingQueue<ChangeEvent> remote = new LinkedBlockingQueue<>();
            first.subscribe(remote::add);

            second.documents().delete("app", app.revision(), CHANGE);

            assertThat(next(remote)).isEqualTo(ChangeEvent.deleted(EntityKind.CONFIG_DOCUMENT, "default", "app", 1,
                    ChangeOrigin.REMOTE));
        }
    }
}
