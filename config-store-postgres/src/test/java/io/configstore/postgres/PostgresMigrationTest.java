package io.configstore.postgres;

import static io.configstore.postgres.PostgresTestStores.builder;
import static io.configstore.testkit.PostgresTestServer.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.SchemaMigrationException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationMode;
import io.configstore.migration.MigrationState;
import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import io.configstore.testkit.Await;
import io.configstore.testkit.PostgresTestServer;
import io.configstore.testkit.internal.ChildJvms;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
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
        PostgresTestServer.admin();
        schema = track(PostgresTestServer.newSchemaName());
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        for (String name : schemas) {
            PostgresTestServer.dropSchema(name);
        }
    }

    private String track(String name) {
        schemas.add(name);
        return name;
    }

    private List<String> appliedVersions(String inSchema) throws SQLException {
        return query("SELECT version FROM \"" + inSchema + "\".schema_version ORDER BY version");
    }

    /**
     * Another instance's long migration, as far as an opening instance can tell: the schema's migration lock, held
     * in an open transaction on a connection of the test's own. Rolling it back lets the waiter through.
     */
    private static Connection holdMigrationLock(String inSchema) throws SQLException {
        Connection other = PostgresTestServer.admin();
        other.setAutoCommit(false);
        try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, PostgresDialect.migrationLockKey(inSchema));
            lock.executeQuery().close();
        }
        return other;
    }

    /**
     * Waits until a connection has waited for the migration lock of {@code inSchema} for longer than
     * {@code longerThan}, as the server sees it, or {@code opening} ended (then returns, for the caller to report).
     */
    private static void awaitMigrationLockWaiter(String inSchema, Duration longerThan, Future<?> opening)
            throws SQLException {
        long key = PostgresDialect.migrationLockKey(inSchema);
        Await.until("a waiter on the migration lock", () -> opening.isDone() || !query("SELECT l.pid FROM"
                + " pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid WHERE l.locktype ="
                + " 'advisory' AND NOT l.granted AND l.classid::bigint = ? AND l.objid::bigint = ?"
                + " AND clock_timestamp() - a.query_start > ? * interval '1 millisecond'",
                key >>> 32, key & 0xffffffffL, longerThan.toMillis()).isEmpty());
    }

    @Test
    void an_opening_instance_waits_for_a_migration_elsewhere_longer_than_its_lock_and_socket_timeouts() throws Exception {
        ExecutorService opener = Executors.newSingleThreadExecutor();
        try (Connection other = holdMigrationLock(schema)) {
            Future<StoreSet> opening = opener.submit(() -> builder(schema).lockTimeout(Duration.ofSeconds(1))
                    .socketTimeout(Duration.ofSeconds(2)).open());
            awaitMigrationLockWaiter(schema, Duration.ofSeconds(3), opening);
            assertThat(opening).as("still waiting for the migration lock after both timeouts").isNotDone();
            other.rollback();
            try (StoreSet stores = opening.get(60, TimeUnit.SECONDS)) {
                stores.documents().update("app", doc -> doc.put("opened", true), ChangeContext.by("test"));
            }
            assertThat(appliedVersions(schema)).containsExactly("1", "2", "3");
        } finally {
            opener.shutdownNow();
        }
    }

    @Test
    void a_migrator_waits_for_a_migration_elsewhere_longer_than_its_lock_and_socket_timeouts() throws Exception {
        ExecutorService migrator = Executors.newSingleThreadExecutor();
        try (StoreSet stores = builder(schema).lockTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofSeconds(2))
                .open(); Connection other = holdMigrationLock(schema)) {
            Future<?> migrating = migrator.submit(() -> stores.schema().migrate());
            awaitMigrationLockWaiter(schema, Duration.ofSeconds(3), migrating);
            assertThat(migrating).as("still waiting for the migration lock after both timeouts").isNotDone();
            other.rollback();
            migrating.get(60, TimeUnit.SECONDS);
            stores.documents().update("app", doc -> doc.put("migrated", true), ChangeContext.by("test"));
        } finally {
            migrator.shutdownNow();
        }
    }

    @Test
    void the_wait_for_a_migration_elsewhere_ends_after_the_migration_lock_timeout_with_a_clear_message() throws Exception {
        try (Connection other = holdMigrationLock(schema)) {
            assertThatThrownBy(() -> builder(schema).migrationLockTimeout(Duration.ofSeconds(1)).open())
                    .isInstanceOf(StorageException.class).hasMessageContaining("migrationLockTimeout")
                    .hasMessageContaining("1000 ms");
            other.rollback();
        }
        assertThatThrownBy(() -> builder(schema).migrationLockTimeout(Duration.ofMillis(10)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("migrationLockTimeout");
        assertThatThrownBy(() -> builder(schema).migrationLockTimeout(Duration.ofDays(2)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("migrationLockTimeout");
    }

    @Test
    void a_fresh_schema_is_created_and_migrated_with_postgres_types() throws SQLException {
        try (StoreSet stores = builder(schema).open()) {
            assertThat(stores.schema().info()).extracting(MigrationInfo::version, MigrationInfo::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, MigrationState.APPLIED),
                            org.assertj.core.groups.Tuple.tuple(2, MigrationState.APPLIED),
                            org.assertj.core.groups.Tuple.tuple(3, MigrationState.APPLIED));
            assertThat(stores.schema().migrate().applied()).isEmpty();
        }
        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                + " ORDER BY table_name", schema))
                .containsExactly("api_keys", "change_history", "config_documents", "idempotency_records",
                        "provider_configs", "schema_version", "store_metadata");
        assertThat(query("SELECT data_type FROM information_schema.columns WHERE table_schema = ?"
                + " AND table_name = 'config_documents' AND column_name IN ('content', 'updated_at')"
                + " ORDER BY column_name", schema)).containsExactly("json", "timestamp with time zone");
        assertThat(query("SELECT indexdef FROM pg_indexes WHERE schemaname = ?"
                + " AND indexname = 'provider_configs_one_default'", schema))
                .singleElement().asString().contains("UNIQUE").contains("WHERE is_default");
    }

    @Test
    void threads_opening_one_fresh_schema_at_once_apply_each_migration_once() throws Exception {
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
            assertThat(appliedVersions(schema)).containsExactly("1", "2", "3");
            opened.get(0).documents().update("app", doc -> doc.put("x", 1), ChangeContext.by("test"));
            assertThat(opened.get(threads - 1).documents().load("app")).isPresent();
        } finally {
            opened.forEach(StoreSet::close);
            executor.shutdownNow();
        }
    }

    @Test
    void processes_opening_one_fresh_schema_at_once_apply_each_migration_once() throws Exception {
        ChildJvms children = ChildJvms.start(PostgresChildProcess.class, dir, 3, schema);
        try {
            children.releaseAndAwaitSuccess();
        } finally {
            children.destroy();
        }
        assertThat(appliedVersions(schema)).containsExactly("1", "2", "3");
        assertThat(query("SELECT name FROM \"" + schema + "\".config_documents")).hasSize(3);
    }

    @Test
    void tables_in_another_schema_do_not_count_as_a_non_empty_schema() throws SQLException {
        String other = track(PostgresTestServer.newSchemaName());
        PostgresTestServer.execute("CREATE SCHEMA \"" + other + "\"");
        PostgresTestServer.execute("CREATE TABLE \"" + other + "\".invoices (id INTEGER)");
        PostgresTestServer.execute("CREATE TABLE \"" + other + "\".provider_configs (id INTEGER)");

        try (StoreSet stores = builder(schema).open()) {
            assertThat(stores.documents().names()).isEmpty();
        }
        assertThat(appliedVersions(schema)).containsExactly("1", "2", "3");
    }

    @Test
    void a_schema_holding_foreign_tables_but_no_history_is_refused_and_left_alone() throws SQLException {
        PostgresTestServer.execute("CREATE SCHEMA \"" + schema + "\"");
        PostgresTestServer.execute("CREATE TABLE \"" + schema + "\".invoices (id INTEGER)");

        assertThatThrownBy(() -> builder(schema).open())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("already holds tables (invoices)")
                .hasMessageContaining("schema " + schema);
        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", schema))
                .containsExactly("invoices");
    }

    @Test
    void validate_mode_on_a_fresh_schema_refuses_and_creates_nothing() throws SQLException {
        assertThatThrownBy(() -> builder(schema).migrationMode(MigrationMode.VALIDATE).open())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("pending migration");
        assertThat(query("SELECT nspname FROM pg_namespace WHERE nspname = ?", schema)).isEmpty();
    }
}
