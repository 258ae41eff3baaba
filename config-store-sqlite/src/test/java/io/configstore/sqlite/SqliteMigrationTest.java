package io.configstore.sqlite;

import static io.configstore.sqlite.SqliteTestSupport.execute;
import static io.configstore.sqlite.SqliteTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.SchemaMigrationException;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationMode;
import io.configstore.migration.MigrationState;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import io.configstore.testkit.internal.ChildJvms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite schema and the migrator's refusals, through the real builder. */
class SqliteMigrationTest {
    /** The number of SQLite migrations, and so the latest schema version. */
    private static final String LATEST = String.valueOf(SqliteDialect.MIGRATIONS.size());
    private static final java.util.List<String> ALL_VERSIONS = java.util.stream.IntStream
            .rangeClosed(1, SqliteDialect.MIGRATIONS.size()).mapToObj(String::valueOf).toList();
    /** A version no code knows yet. */
    private static final int FUTURE = SqliteDialect.MIGRATIONS.size() + 1;

    @TempDir
    Path dir;

    private StoreSet open(Path db) {
        return SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open();
    }

    @Test
    void a_fresh_file_gets_every_migration_and_info_says_so() throws SQLException {
        Path db = dir.resolve("fresh.db");
        try (StoreSet stores = open(db)) {
            List<MigrationInfo> info = stores.schema().info();
            assertThat(info).extracting(MigrationInfo::version, MigrationInfo::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, MigrationState.APPLIED),
                            org.assertj.core.groups.Tuple.tuple(2, MigrationState.APPLIED),
                            org.assertj.core.groups.Tuple.tuple(3, MigrationState.APPLIED),
                            org.assertj.core.groups.Tuple.tuple(4, MigrationState.APPLIED));
            assertThat(info.get(0).description()).isEqualTo("initial schema");
            assertThat(stores.schema().migrate().applied()).isEmpty();
            stores.schema().validate();
        }
        assertThat(query(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
                .containsExactly("api_keys", "change_history", "change_log", "config_documents",
                        "idempotency_records", "provider_configs", "schema_version", "sqlite_sequence",
                        "store_metadata");
    }

    @Test
    void reopening_applies_nothing_again() throws SQLException {
        Path db = dir.resolve("reopen.db");
        open(db).close();
        open(db).close();
        assertThat(query(db, "SELECT count(*) FROM schema_version")).containsExactly(LATEST);
    }

    @Test
    void an_applied_migration_with_another_checksum_is_refused() throws SQLException {
        Path db = dir.resolve("checksum.db");
        open(db).close();
        execute(db, "UPDATE schema_version SET checksum = 'abc123' WHERE version = 1");

        assertThatThrownBy(() -> open(db))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("checksum mismatch for migration V1 (initial schema)")
                .hasMessageContaining("abc123");
    }

    @Test
    void a_database_newer_than_the_code_is_refused() throws SQLException {
        Path db = dir.resolve("newer.db");
        open(db).close();
        execute(db, "INSERT INTO schema_version VALUES (" + FUTURE + ", 'from the future', 'ff', 0, 0)");

        assertThatThrownBy(() -> open(db))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("the database is newer than this code")
                .hasMessageContaining("schema version " + FUTURE)
                .hasMessageContaining("upgrade configstore");
        assertThat(query(db, "SELECT count(*) FROM schema_version")).containsExactly(String.valueOf(FUTURE));
    }

    @Test
    void validate_mode_refuses_pending_migrations_and_applies_nothing() throws Exception {
        Path db = Files.createFile(dir.resolve("validate.db"));
        assertThatThrownBy(() -> SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher())
                .migrationMode(MigrationMode.VALIDATE).open())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining(LATEST + " pending migration(s): V1 (initial schema)");
        assertThat(query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")).isEmpty();
    }

    @Test
    void validate_mode_creates_neither_the_file_nor_its_directory_where_there_is_no_database() {
        Path db = dir.resolve("typo/validate.db");
        assertThatThrownBy(() -> SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher())
                .migrationMode(MigrationMode.VALIDATE).open())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("there is no SQLite database at " + db.toAbsolutePath())
                .hasMessageContaining("validate mode creates nothing");
        assertThat(dir.resolve("typo")).doesNotExist();
    }

    @Test
    void validate_mode_opens_an_up_to_date_database() {
        Path db = dir.resolve("validated.db");
        open(db).close();
        try (StoreSet stores = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher())
                .migrationMode(MigrationMode.VALIDATE).open()) {
            assertThat(stores.documents().names()).isEmpty();
        }
    }

    @Test
    void a_foreign_non_empty_database_is_refused_and_left_alone() throws SQLException {
        Path db = dir.resolve("foreign.db");
        execute(db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)");
        execute(db, "INSERT INTO invoices VALUES (1, 100)");

        assertThatThrownBy(() -> open(db))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("already holds tables (invoices)")
                .hasMessageContaining("will not run V1 over it");
        assertThat(query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")).containsExactly("invoices");
        assertThat(query(db, "SELECT total FROM invoices")).containsExactly("100");
    }

    @Test
    void concurrent_openers_in_threads_apply_each_migration_exactly_once() throws Exception {
        Path db = dir.resolve("threads.db");
        int threads = 6;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<StoreSet> opened = new ArrayList<>();
        try {
            List<Future<StoreSet>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return open(db);
                }));
            }
            for (Future<StoreSet> future : futures) {
                opened.add(future.get());
            }
        } finally {
            pool.shutdownNow();
            opened.forEach(StoreSet::close);
        }
        assertThat(opened).hasSize(threads);
        assertThat(query(db, "SELECT version FROM schema_version ORDER BY version")).containsExactlyElementsOf(ALL_VERSIONS);
    }

    @Test
    void concurrent_openers_in_two_processes_apply_each_migration_exactly_once() throws Exception {
        Path db = dir.resolve("processes.db");
        ChildJvms children = ChildJvms.start(SqliteChildProcess.class, dir, 2, "open", db.toString());
        try {
            children.releaseAndAwaitSuccess();
        } finally {
            children.destroy();
        }
        assertThat(query(db, "SELECT version FROM schema_version ORDER BY version")).containsExactlyElementsOf(ALL_VERSIONS);
        assertThat(query(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'provider_configs'"))
                .containsExactly("provider_configs");
    }
}
