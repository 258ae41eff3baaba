package io.configstore.sqlite;

import static io.configstore.sqlite.SqliteTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.error.ValidationException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import io.configstore.testkit.internal.ChildJvms;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's change feed across processes: the change_log table, its watcher, pruning, and gaps told as RESYNC. */
class SqliteChangeFeedTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ChangeContext CHANGE = ChangeContext.by("feed-test");

    @TempDir
    Path dir;

    private StoreSet open(Path db) {
        return SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).changePollInterval(Duration.ofMillis(20)).open();
    }

    private static ChangeEvent next(BlockingQueue<ChangeEvent> events) throws InterruptedException {
        ChangeEvent event = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("a change event within " + DEADLINE).isNotNull();
        return event;
    }

    @Test
    void a_write_by_another_process_reaches_a_subscriber_as_remote() throws Exception {
        Path db = dir.resolve("feed.db");
        try (StoreSet stores = open(db)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            stores.subscribe(events::add);

            ChildJvms children = ChildJvms.start(SqliteChildProcess.class, dir, 1, "increment", db.toString(), "3");
            try {
                children.releaseAndAwaitSuccess();
            } finally {
                children.destroy();
            }

            for (int version = 1; version <= 3; version++) {
                assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default",
                        "counter", version, ChangeOrigin.REMOTE));
            }
        }
    }

    @Test
    void rows_pruned_before_the_watcher_read_them_are_told_as_resync() throws Exception {
        Path db = dir.resolve("gap.db");
        try (StoreSet reader = open(db); StoreSet writer = open(db)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            reader.subscribe(events::add);
            // Another process logs two changes and prunes them before this reader looks, in one transaction.
            try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement statement = raw.createStatement()) {
                statement.executeUpdate("BEGIN IMMEDIATE");
                statement.executeUpdate("INSERT INTO change_log (entity, tenant_id, entity_key, version, kind,"
                        + " origin, committed_at) VALUES ('CONFIG_DOCUMENT', 'default', 'lost', 1, 'CHANGED', 'x', 0),"
                        + " ('CONFIG_DOCUMENT', 'default', 'lost', 2, 'CHANGED', 'x', 0)");
                statement.executeUpdate("DELETE FROM change_log");
                statement.executeUpdate("COMMIT");
            }

            writer.documents().save("after", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);

            assertThat(next(events).kind()).isEqualTo(ChangeKind.RESYNC);
            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "after",
                    1, ChangeOrigin.REMOTE));
        }
    }

    @Test
    void a_log_row_the_watcher_cannot_read_is_told_as_resync_and_the_rows_around_it_still_arrive() throws Exception {
        Path db = dir.resolve("unreadable.db");
        try (StoreSet reader = open(db)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            reader.subscribe(events::add);
            // A newer version logs an entity kind this one does not know, between two it knows, in one transaction.
            SqliteTestSupport.execute(db, "INSERT INTO change_log (entity, tenant_id, entity_key, version, kind,"
                    + " origin, committed_at) VALUES ('CONFIG_DOCUMENT', 'default', 'before', 1, 'CHANGED', 'x', 0),"
                    + " ('FEATURE_FLAG', 'default', 'future', 1, 'CHANGED', 'x', 0),"
                    + " ('CONFIG_DOCUMENT', 'default', 'after', 1, 'CHANGED', 'x', 0)");

            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "before",
                    1, ChangeOrigin.REMOTE));
            assertThat(next(events).kind()).isEqualTo(ChangeKind.RESYNC);
            assertThat(next(events)).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "after",
                    1, ChangeOrigin.REMOTE));
        }
    }

    @Test
    void a_restore_that_takes_the_log_back_is_told_as_resync_and_later_writes_still_arrive() throws Exception {
        Path db = dir.resolve("restored.db");
        Path backup = dir.resolve("backup.db");
        try (StoreSet reader = open(db); StoreSet writer = open(db)) {
            BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
            reader.subscribe(events::add);
            writer.documents().update("app", doc -> doc.put("level", 1), CHANGE);
            assertThat(next(events)).isEqualTo(appChanged(1));
            SqliteBackup.backup(db, backup);
            writer.documents().update("app", doc -> doc.put("level", 2), CHANGE);
            writer.documents().update("app", doc -> doc.put("level", 3), CHANGE);
            assertThat(next(events)).isEqualTo(appChanged(2));
            assertThat(next(events)).isEqualTo(appChanged(3));

            // The restored log ends before the seqs this reader has seen; the next write reuses one of them.
            SqliteBackup.restore(backup, db);
            assertThat(next(events).kind()).isEqualTo(ChangeKind.RESYNC);
            writer.documents().update("app", doc -> doc.put("level", 4), CHANGE);
            assertThat(next(events)).isEqualTo(appChanged(2));
        }
    }

    private static ChangeEvent appChanged(long version) {
        return ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", version, ChangeOrigin.REMOTE);
    }

    @Test
    void writers_prune_log_rows_older_than_the_retention() throws Exception {
        Path db = dir.resolve("prune.db");
        try (StoreSet stores = open(db)) {
            SqliteTestSupport.execute(db, "INSERT INTO change_log (entity, tenant_id, entity_key, version, kind,"
                    + " origin, committed_at) VALUES ('CONFIG_DOCUMENT', 'default', 'old', 1, 'CHANGED', 'x', 0)");
            for (int i = 0; i < 100; i++) {
                stores.documents().update("app", doc -> doc.put("n", doc.path("n").asInt() + 1), CHANGE);
            }
        }
        assertThat(query(db, "SELECT entity_key FROM change_log WHERE entity_key = 'old'")).isEmpty();
        assertThat(query(db, "SELECT COUNT(*) FROM change_log")).containsExactly("100");
    }

    @Test
    void the_poll_interval_is_validated() {
        SqliteStoreSet.Builder builder = SqliteStoreSet.builder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.changePollInterval(Duration.ofMillis(1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("changePollInterval");
    }
}
