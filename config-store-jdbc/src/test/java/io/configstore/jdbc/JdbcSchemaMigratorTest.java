package io.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.configstore.error.SchemaMigrationException;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationMode;
import io.configstore.migration.MigrationReport;
import io.configstore.migration.MigrationState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrator's rules, against a real SQLite file, with test-only migration lists. */
class JdbcSchemaMigratorTest {
    private static final String V1 = "db/test/base/V1__create_widgets.sql";
    private static final String V2 = "db/test/base/V2__add_gadgets.sql";
    private static final String V1_CHANGED = "db/test/changed/V1__create_widgets.sql";
    private static final String V2_BROKEN = "db/test/broken/V2__fails.sql";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05.678Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private JdbcSchemaMigrator migrator(String... migrations) {
        TestSqliteDialect dialect = new TestSqliteDialect(dir.resolve("test.db"), List.of(migrations));
        return new JdbcSchemaMigrator(dialect.dataSource(), dialect, CLOCK);
    }

    private List<String> query(String sql) throws SQLException {
        TestSqliteDialect dialect = new TestSqliteDialect(dir.resolve("test.db"), List.of());
        List<String> rows = new ArrayList<>();
        try (Connection connection = dialect.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                rows.add(row.getString(1));
            }
        }
        return rows;
    }

    private void execute(String sql) throws SQLException {
        TestSqliteDialect dialect = new TestSqliteDialect(dir.resolve("test.db"), List.of());
        try (Connection connection = dialect.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void migrate_applies_every_statement_of_each_migration_and_records_it() throws SQLException {
        MigrationReport report = migrator(V1, V2).migrate();

        assertThat(report.applied()).extracting(MigrationInfo::version).containsExactly(1, 2);
        assertThat(report.schemaVersion()).isEqualTo(2);
        assertThat(query("SELECT label FROM widgets ORDER BY id")).containsExactly("it's; fine", "second");
        assertThat(query("SELECT name FROM sqlite_master WHERE name = 'gadgets'")).containsExactly("gadgets");
        assertThat(query("SELECT version || ':' || description || ':' || applied_at FROM schema_version"))
                .containsExactly("1:create widgets:" + CLOCK.millis(), "2:add gadgets:" + CLOCK.millis());
    }

    @Test
    void a_second_run_applies_nothing() throws SQLException {
        migrator(V1, V2).migrate();
        MigrationReport again = migrator(V1, V2).migrate();

        assertThat(again.applied()).isEmpty();
        assertThat(again.schemaVersion()).isEqualTo(2);
        assertThat(query("SELECT count(*) FROM widgets")).containsExactly("2");
    }

    @Test
    void new_migrations_are_applied_on_top_of_old_ones() {
        migrator(V1).migrate();
        MigrationReport report = migrator(V1, V2).migrate();
        assertThat(report.applied()).extracting(MigrationInfo::version).containsExactly(2);
    }

    @Test
    void info_lists_applied_then_pending_migrations() {
        migrator(V1).migrate();
        List<MigrationInfo> info = migrator(V1, V2).info();

        assertThat(info).extracting(MigrationInfo::version, MigrationInfo::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, MigrationState.APPLIED),
                        org.assertj.core.groups.Tuple.tuple(2, MigrationState.PENDING));
        assertThat(info.get(0).appliedAt()).isEqualTo(CLOCK.instant());
        assertThat(info.get(1).appliedAt()).isNull();
    }

    @Test
    void a_changed_script_is_a_checksum_mismatch_naming_the_migration() {
        migrator(V1).migrate();
        JdbcSchemaMigrator changed = migrator(V1_CHANGED);

        assertThatThrownBy(changed::migrate)
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("checksum mismatch for migration V1 (create widgets)")
                .hasMessageContaining("restore the original script");
        assertThatThrownBy(changed::validate).hasMessageContaining("checksum mismatch");
        assertThat(changed.info()).extracting(MigrationInfo::state).containsExactly(MigrationState.CHECKSUM_MISMATCH);
    }

    @Test
    void a_database_newer_than_the_code_is_refused() {
        migrator(V1, V2).migrate();
        JdbcSchemaMigrator older = migrator(V1);

        assertThatThrownBy(older::migrate)
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("the database is newer than this code")
                .hasMessageContaining("schema version 2")
                .hasMessageContaining("up to version 1")
                .hasMessageContaining("upgrade configstore");
        assertThat(older.info()).extracting(MigrationInfo::state)
                .containsExactly(MigrationState.APPLIED, MigrationState.UNKNOWN_TO_CODE);
    }

    @Test
    void validate_lists_pending_migrations_and_changes_nothing() throws SQLException {
        JdbcSchemaMigrator migrator = migrator(V1, V2);

        assertThatThrownBy(migrator::validate)
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("2 pending migration(s): V1 (create widgets), V2 (add gadgets)");
        assertThat(query("SELECT name FROM sqlite_master")).isEmpty();
    }

    @Test
    void validate_passes_when_everything_is_applied_and_changes_nothing() throws SQLException {
        migrator(V1, V2).migrate();
        List<String> history = query("SELECT version || ':' || checksum || ':' || applied_at FROM schema_version"
                + " ORDER BY version");
        List<String> widgets = query("SELECT label FROM widgets ORDER BY id");

        assertThatCode(() -> migrator(V1, V2).validate()).doesNotThrowAnyException();
        assertThatCode(() -> migrator(V1, V2).apply(MigrationMode.VALIDATE)).doesNotThrowAnyException();

        assertThat(migrator(V1, V2).info()).extracting(MigrationInfo::version, MigrationInfo::state)
                .containsExactly(tuple(1, MigrationState.APPLIED), tuple(2, MigrationState.APPLIED));
        assertThat(query("SELECT version || ':' || checksum || ':' || applied_at FROM schema_version"
                + " ORDER BY version")).hasSize(2).isEqualTo(history);
        assertThat(query("SELECT label FROM widgets ORDER BY id")).isEqualTo(widgets);
    }

    @Test
    void a_non_empty_schema_without_history_is_refused_and_left_alone() throws SQLException {
        execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)");

        assertThatThrownBy(() -> migrator(V1).migrate())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("already holds tables (customers)")
                .hasMessageContaining("will not run V1 over it");
        assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table'")).containsExactly("customers");
    }

    @Test
    void a_failing_migration_is_rolled_back_with_its_history_row() throws SQLException {
        migrator(V1).migrate();

        assertThatThrownBy(() -> migrator(V1, V2_BROKEN).migrate())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("migration V2 (fails) failed and was rolled back")
                .hasMessageContaining("statement 2");
        assertThat(query("SELECT name FROM sqlite_master WHERE name = 'half_done'")).isEmpty();
        assertThat(query("SELECT version FROM schema_version")).containsExactly("1");
    }

    @Test
    void migrations_listed_out_of_order_are_rejected_at_construction() {
        assertThatThrownBy(() -> migrator(V2, V1))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("strictly increasing");
    }

    @Test
    void concurrent_migrators_apply_each_migration_exactly_once() throws Exception {
        int threads = 6;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<MigrationReport>> reports = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                reports.add(pool.submit(() -> {
                    JdbcSchemaMigrator migrator = migrator(V1, V2);
                    start.await();
                    return migrator.migrate();
                }));
            }
            int applied = 0;
            for (Future<MigrationReport> report : reports) {
                applied += report.get().applied().size();
                assertThat(report.get().schemaVersion()).isEqualTo(2);
            }
            assertThat(applied).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(query("SELECT version FROM schema_version ORDER BY version")).containsExactly("1", "2");
        assertThat(query("SELECT count(*) FROM widgets")).containsExactly("2");
    }
}
