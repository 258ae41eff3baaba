package io.configstore.mariadb;

import static io.configstore.mariadb.MariaDbTestStores.builder;
import static io.configstore.testkit.MariaDbTestServer.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.SchemaMigrationException;
import io.configstore.error.StorageException;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationMode;
import io.configstore.migration.MigrationState;
import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import io.configstore.testkit.MariaDbTestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MariaDB schema: created and migrated once under GET_LOCK, with MariaDB's types, and refused when foreign. */
class MariaDbMigrationTest {
    private final List<String> databases = new ArrayList<>();
    private String database;

    @BeforeEach
    void freshDatabase() throws SQLException {
        MariaDbTestServer.admin().close();
        database = track(MariaDbTestServer.newDatabaseName());
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        for (String name : databases) {
            MariaDbTestServer.dropDatabase(name);
        }
    }

    private String track(String name) {
        databases.add(name);
        return name;
    }

    private List<String> appliedVersions() throws SQLException {
        return query("SELECT version FROM `" + database + "`.schema_version ORDER BY version");
    }

    @Test
    void a_fresh_database_is_created_and_migrated_with_mariadb_types_and_a_binary_collation() throws SQLException {
        try (StoreSet stores = builder(database).open()) {
            assertThat(stores.schema().info()).extracting(MigrationInfo::version, MigrationInfo::state)
                    .containsExactly(Tuple.tuple(1, MigrationState.APPLIED), Tuple.tuple(2, MigrationState.APPLIED));
            assertThat(stores.schema().migrate().applied()).isEmpty();
        }
        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                + " ORDER BY table_name", database))
                .containsExactly("api_keys", "change_history", "change_log", "config_documents",
                        "idempotency_records", "provider_configs", "schema_version", "store_metadata", "write_lock");
        assertThat(query("SELECT DISTINCT engine FROM information_schema.tables WHERE table_schema = ?", database))
                .containsExactly("InnoDB");
        assertThat(query("SELECT DISTINCT collation_name FROM information_schema.columns WHERE table_schema = ?"
                + " AND collation_name IS NOT NULL AND table_name <> 'schema_version'", database))
                .containsExactly("utf8mb4_bin");
        assertThat(query("SELECT column_type FROM information_schema.columns WHERE table_schema = ?"
                + " AND table_name = 'config_documents' AND column_name IN ('content', 'updated_at')"
                + " ORDER BY column_name", database)).containsExactly("longtext", "datetime(3)");
    }

    @Test
    void a_second_default_of_one_provider_type_is_refused_by_the_generated_column_index() throws SQLException {
        try (StoreSet stores = builder(database).open()) {
            assertThat(stores.documents().names()).isEmpty();
        }
        String insert = "INSERT INTO `" + database + "`.provider_configs (tenant_id, id, provider_type, name,"
                + " settings, is_default, enabled, priority, version, created_at, updated_at, changed_by)"
                + " VALUES ('t', ?, 'openai', ?, '{}', ?, TRUE, 0, 1, NOW(3), NOW(3), 'test')";
        try (Connection admin = MariaDbTestServer.admin()) {
            for (String[] row : new String[][] {{"a", "1"}, {"b", "0"}, {"c", "0"}}) {
                try (PreparedStatement statement = admin.prepareStatement(insert)) {
                    statement.setString(1, row[0]);
                    statement.setString(2, row[0]);
                    statement.setBoolean(3, row[1].equals("1"));
                    statement.executeUpdate();
                }
            }
            try (PreparedStatement statement = admin.prepareStatement(insert)) {
                statement.setString(1, "d");
                statement.setString(2, "d");
                statement.setBoolean(3, true);
                assertThatThrownBy(statement::executeUpdate).isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getErrorCode()).isEqualTo(1062);
            }
        }
    }

    @Test
    void threads_opening_one_fresh_database_at_once_apply_each_migration_once() throws Exception {
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<StoreSet> opened = new ArrayList<>();
        try {
            List<Future<StoreSet>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(executor.submit(() -> {
                    start.await(60, TimeUnit.SECONDS);
                    return builder(database).open();
                }));
            }
            for (Future<StoreSet> future : futures) {
                opened.add(future.get(120, TimeUnit.SECONDS));
            }
            assertThat(appliedVersions()).containsExactly("1", "2");
            opened.get(0).documents().update("app", doc -> doc.put("x", 1), ChangeContext.by("test"));
            assertThat(opened.get(threads - 1).documents().load("app")).isPresent();
        } finally {
            opened.forEach(StoreSet::close);
            executor.shutdownNow();
        }
    }

    @Test
    void the_wait_for_a_migration_elsewhere_ends_after_the_migration_lock_timeout_with_a_clear_message()
            throws Exception {
        try (Connection other = MariaDbTestServer.admin();
             PreparedStatement lock = other.prepareStatement("SELECT GET_LOCK(?, 5)")) {
            lock.setString(1, "configstore_migration." + database);
            try (ResultSet row = lock.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getInt(1)).isEqualTo(1);
            }
            assertThatThrownBy(() -> builder(database).migrationLockTimeout(Duration.ofSeconds(1)).open())
                    .isInstanceOf(StorageException.class).hasMessageContaining("migrationLockTimeout")
                    .hasMessageContaining("1000 ms");
        }
    }

    @Test
    void a_database_holding_foreign_tables_but_no_history_is_refused_and_left_alone() throws SQLException {
        MariaDbTestServer.execute("CREATE DATABASE `" + database + "`");
        MariaDbTestServer.execute("CREATE TABLE `" + database + "`.invoices (id INTEGER)");

        assertThatThrownBy(() -> builder(database).open())
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("already holds tables (invoices)");
        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", database))
                .containsExactly("invoices");
    }

    @Test
    void validate_mode_on_a_fresh_database_refuses() {
        assertThatThrownBy(() -> builder(database).migrationMode(MigrationMode.VALIDATE).open())
                .isInstanceOf(StorageException.class);
    }
}
