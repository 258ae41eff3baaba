package io.configstore.postgres;

import static io.configstore.postgres.PostgresTestDatabase.builder;
import static io.configstore.postgres.PostgresTestDatabase.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.SchemaMigrationException;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationMode;
import io.configstore.migration.MigrationState;
import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import io.configstore.testkit.ChildJvms;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations on PostgreSQL: concurrent openers in threads and processes, and the schema-only baseline check. */
class PostgresMigrationTest {
    private final List<String> schemas = new ArrayList<>();
    private String schema;

    @TempDir
    Path dir;

    @BeforeEach
    void freshSchema() {
        PostgresTestDatabase.admin();
        schema = track(PostgresTestDatabase.newSchemaName());
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        for (String name : schemas) {
            PostgresTestDatabase.dropSchema(name);
        }
    }

    private String track(String name) {
        schemas.add(name);
        return name;
    }

    private List<String> appliedVersions(String inSchema) throws SQLException {
        return query("SELECT version FROM \"" + inSchema + "\".schema_version ORDER BY version");
    }

    @Test
    void aFreshSchemaIsCreatedAndMigratedWithPostgresTypes() throws SQLException {
        try (StoreSet stores = builder(schema).open()) {
            assertThat(stores.schema().info()).extracting(MigrationInfo::version, MigrationInfo::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, MigrationState.APPLIED));
            assertThat(stores.schema().migrate().applied()).isEmpty();
        }
        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                + " ORDER BY table_name", schema))
                .containsExactly("api_keys", "config_documents", "provider_configs", "schema_version",
                        "store_metadata");
        assertThat(query("SELECT data_type FROM information_schema.columns WHERE table_schema = ?"
                + " AND table_name = 'config_documents' AND column_name IN ('content', 'updated_at')"
                + " ORDER BY column_name", schema)).containsExactly("jsonb", "timestamp with time zone");
        assertThat(query("SELECT indexdef FROM pg_indexes WHERE schemaname = ?"
                + " AND indexname = 'provider_configs_one_default'", schema))
                .singleElement().asString().contains("UNIQUE").contains("WHERE is_default");
    }

    @Test
    void threadsOpeningOneFreshSchemaAtOnceApplyEachMigrationOnce() throws Exception {
        int threads = 6;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<StoreSet> opened = new ArrayList<>();
        try {
            List<Future<StoreSet>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(executor.submit(() -> {
                    start.await(60, TimeUnit.SECONDS);
                    return builder(schema).open();
                }));
            }
            for (Future<StoreSet> future : futures) {
                opened.add(future.get(120, TimeUnit.SECONDS));
            }
            assertThat(opened).hasSize(threads);
            assertThat(appliedVersions(schema)).containsExactly("1");
            opened.get(0).documents().update("app", doc -> doc.put("x", 1), ChangeContext.by("test"));
            assertThat(opened.get(threads - 1).documents().load("app")).isPresent();
        } finally {
            opened.forEach(StoreSet::close);
            executor.shutdownNow();
        }
    }

    @Test
    void processesOpeningOneFreshSchemaAtOnceApplyEachMigrationOnce() throws Exception {
        ChildJvms children = ChildJvms.start(PostgresChildProcess.class, dir, 3, schema);
        try {
            children.releaseAndAwaitSuccess();
        } finally {
            children.destroy();
        }
        assertThat(appliedVersions(schema)).containsExactly("1");
        assertThat(query("SELECT name FROM \"" + schema + "\".config_documents")).hasSize(3);
    }

    @Test
    void tablesInAnotherSchemaDoNotCountAsANonEmptySchema() throws SQLException {
        String other = track(PostgresTestDatabase.newSchemaName());
        PostgresTestDatabase.execute("CREATE SCHEMA \"" + other + "\"");
        PostgresTestDatabase.execute("CREATE TABLE \"" + other + "\".invoices (id INTEGER)");
        PostgresTestDatabase.execute("CREATE TABLE \"" + other + "\".provider_configs (id INTEGER)");

        try (StoreSet stores = builder(schema).open()) {
            assertThat(stores.documents().names()).isEmpty();
        }
        assertThat(appliedVersions(schema)).containsExactly("1");
    }

    @Test
    void aSchemaHoldingForeignTablesButNoHistoryIsRefusedAndLeftAlone() throws SQLException {
        PostgresTestDatabase.execute("CREATE SCHEMA \"" + schema + "\"");
        PostgresTestDatabase.execute("CREATE TABLE \"" + schema + "\".invoices (id INTEGER)");

        assertThatThrownBy(() -> builder(schema).open())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("already holds tables (invoices)")
                .hasMessageContaining("schema " + schema);
        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", schema))
                .containsExactly("invoices");
    }

    @Test
    void validateModeOnAFreshSchemaRefusesAndCreatesNothing() throws SQLException {
        assertThatThrownBy(() -> builder(schema).migrationMode(MigrationMode.VALIDATE).open())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("pending migration");
        assertThat(query("SELECT nspname FROM pg_namespace WHERE nspname = ?", schema)).isEmpty();
    }
}
