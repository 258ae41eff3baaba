package io.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.StoreSets;
import io.configstore.crypto.CipherSource;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteBackupTest {
    private static final ChangeContext OPS = ChangeContext.by("ops");

    @TempDir
    Path dir;

    private StoreSet open(Path db) {
        return SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open();
    }

    @Test
    void an_online_backup_holds_every_commit_and_restore_brings_it_back() throws Exception {
        Path db = dir.resolve("live.db");
        Path backup = dir.resolve("copies/backup.db");
        try (StoreSet stores = open(db)) {
            stores.documents().update("app", doc -> doc.put("level", 1), OPS);
            // Taken while the store is open, with the commit possibly still in the -wal file.
            assertThat(SqliteBackup.backup(db, backup)).isEqualTo(backup.toAbsolutePath());
            stores.documents().update("app", doc -> doc.put("level", 2), OPS);
        }
        try (StoreSet copy = open(backup)) {
            assertThat(copy.documents().load("app").orElseThrow().content().get("level").asInt()).isEqualTo(1);
        }
        SqliteBackup.restore(backup, db);
        try (StoreSet restored = open(db)) {
            assertThat(restored.documents().load("app").orElseThrow().content().get("level").asInt()).isEqualTo(1);
        }
    }

    @Test
    void a_backup_never_overwrites_a_file() throws Exception {
        Path db = dir.resolve("live.db");
        open(db).close();
        Path existing = Files.writeString(dir.resolve("taken.db"), "keep me");
        assertThatThrownBy(() -> SqliteBackup.backup(db, existing)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("exists already");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void restoring_from_a_missing_or_foreign_file_is_refused_and_changes_nothing() throws Exception {
        Path db = dir.resolve("live.db");
        try (StoreSet stores = open(db)) {
            stores.documents().update("app", doc -> doc.put("level", 7), OPS);
        }
        assertThatThrownBy(() -> SqliteBackup.restore(dir.resolve("nope.db"), db))
                .isInstanceOf(ValidationException.class).hasMessageContaining("there is no SQLite database");
        Path foreign = dir.resolve("foreign.db");
        SqliteTestSupport.execute(foreign, "CREATE TABLE t (x INTEGER)");
        assertThatThrownBy(() -> SqliteBackup.restore(foreign, db)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("not a configstore database");
        Path text = Files.writeString(dir.resolve("text.db"), "not sqlite at all, just some text in a file");
        assertThatThrownBy(() -> SqliteBackup.restore(text, db)).isInstanceOf(ValidationException.class);
        try (StoreSet stores = open(db)) {
            assertThat(stores.documents().load("app").orElseThrow().content().get("level").asInt()).isEqualTo(7);
        }
    }

    @Test
    void a_database_with_an_older_schema_is_backed_up_next_to_itself_before_it_is_migrated() throws Exception {
        Path db = dir.resolve("old.db");
        try (StoreSet stores = open(db)) {
            stores.documents().update("app", doc -> doc.put("level", 3), OPS);
        }
        // Turn the file back into a version-3 database: the history tables of V4 were never applied.
        SqliteTestSupport.execute(db, "DROP TABLE change_history");
        SqliteTestSupport.execute(db, "DROP TABLE idempotency_records");
        SqliteTestSupport.execute(db, "DELETE FROM schema_version WHERE version = 4");

        try (StoreSet stores = open(db)) {
            assertThat(stores.documents().load("app")).isPresent();
        }
        List<Path> backups;
        try (Stream<Path> files = Files.list(dir)) {
            backups = files.filter(file -> file.getFileName().toString().startsWith("old.db.before-v3-to-v4."))
                    .toList();
        }
        assertThat(backups).hasSize(1);
        assertThat(backups.get(0).getFileName().toString()).endsWith(".bak");
        assertThat(SqliteTestSupport.query(backups.get(0), "SELECT max(version) FROM schema_version"))
                .containsExactly("3");
        assertThat(SqliteTestSupport.query(backups.get(0),
                "SELECT count(*) FROM sqlite_master WHERE name = 'change_history'")).containsExactly("0");
    }

    @Test
    void backups_are_owner_only_like_the_database() throws Exception {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        Path db = dir.resolve("private.db");
        try (StoreSet stores = open(db)) {
            stores.documents().update("app", doc -> doc.put("level", 5), OPS);
        }
        assertThat(Files.getPosixFilePermissions(db)).isEqualTo(ownerOnly);

        Path explicit = SqliteBackup.backup(db, dir.resolve("copies/private-copy.db"));
        assertThat(Files.getPosixFilePermissions(explicit)).isEqualTo(ownerOnly);
        assertThat(SqliteTestSupport.query(explicit, "SELECT count(*) FROM config_documents")).containsExactly("1");

        // The automatic copy before a migration, of a database turned back into schema version 3.
        SqliteTestSupport.execute(db, "DROP TABLE change_history");
        SqliteTestSupport.execute(db, "DROP TABLE idempotency_records");
        SqliteTestSupport.execute(db, "DELETE FROM schema_version WHERE version = 4");
        open(db).close();
        List<Path> backups;
        try (Stream<Path> files = Files.list(dir)) {
            backups = files.filter(file -> file.getFileName().toString().endsWith(".bak")).toList();
        }
        assertThat(backups).hasSize(1);
        assertThat(Files.getPosixFilePermissions(backups.get(0))).isEqualTo(ownerOnly);
    }

    @Test
    void a_new_database_and_a_current_one_are_not_backed_up() throws Exception {
        Path db = dir.resolve("fresh.db");
        open(db).close();
        open(db).close();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".bak")))
                    .isEmpty();
        }
    }

    @Test
    void sqlite_urls_open_through_the_service_loader() throws Exception {
        Path db = dir.resolve("by-url.db");
        CipherSource cipher = CipherSource.of(TestKeys.cipher());
        try (StoreSet stores = StoreSets.open("sqlite:" + db, cipher)) {
            stores.documents().update("app", doc -> doc.put("via", "url"), OPS);
        }
        try (StoreSet stores = StoreSets.open("sqlite://" + db, cipher, MigrationMode.VALIDATE)) {
            assertThat(stores.documents().load("app").orElseThrow().content().get("via").asText()).isEqualTo("url");
        }
        assertThatThrownBy(() -> StoreSets.open("sqlite:", cipher)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("names no file");
    }
}
