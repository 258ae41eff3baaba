package io.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.jdbc.ConnectionPool;
import io.configstore.jdbc.JdbcSchemaMigrator;
import io.configstore.jdbc.JdbcStoreSet;
import io.configstore.migration.MigrationMode;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/** The pool's connections keep their prepared statements, and a kept statement never outlives its use's snapshot. */
class StatementCachingDataSourceTest {
    private static final String SELECT_NAMES = "SELECT name FROM t ORDER BY name";

    @TempDir
    Path dir;
    private Path db;
    private ConnectionPool pool;

    @BeforeEach
    void open() throws SQLException {
        db = dir.resolve("cache.db");
        pool = SqliteStoreSet.builder().poolSize(1).openPool(db, new SqliteDialect(db, 15_000));
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE t (name TEXT NOT NULL)");
            statement.executeUpdate("INSERT INTO t VALUES ('a'), ('b'), ('c')");
        }
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void the_same_sql_on_the_pooled_connection_reuses_one_driver_statement() throws SQLException {
        JDBC4PreparedStatement first;
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_NAMES)) {
            first = driverStatement(statement);
            assertThat(names(statement)).isEqualTo("abc");
        }
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_NAMES)) {
            assertThat(driverStatement(statement)).isSameAs(first);
            assertThat(names(statement)).isEqualTo("abc");
        }
        assertThat(first.isClosed()).isFalse();
    }

    @Test
    void closing_the_statement_clears_its_parameters() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
                insert.setString(1, "d");
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
                // A parameter left bound from the last use would insert 'd' again instead of failing on NOT NULL.
                assertThatThrownBy(insert::executeUpdate)
                        .isInstanceOf(SQLException.class).hasMessageContaining("NOT NULL");
            }
        }
    }

    @Test
    void a_result_set_left_open_does_not_keep_its_snapshot_after_the_statement_closes() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            PreparedStatement abandoned = connection.prepareStatement(SELECT_NAMES);
            ResultSet rows = abandoned.executeQuery();
            assertThat(rows.next()).isTrue();
            abandoned.close();

            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement statement = other.createStatement()) {
                statement.executeUpdate("PRAGMA busy_timeout = 0");
                statement.executeUpdate("INSERT INTO t VALUES ('d')");
                // A reader still in its snapshot would make the checkpoint report busy (1) and leave the WAL.
                try (ResultSet checkpoint = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    assertThat(checkpoint.next()).isTrue();
                    assertThat(checkpoint.getInt(1)).isZero();
                }
            }
            // The pooled connection, read again, sees the write: no earlier read transaction is still open on it.
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM t");
                 ResultSet row = count.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getInt(1)).isEqualTo(4);
            }
        }
    }

    @Test
    void the_same_sql_prepared_while_its_statement_is_open_gets_a_statement_of_its_own() throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement outer = connection.prepareStatement(SELECT_NAMES);
             ResultSet outerRows = outer.executeQuery()) {
            assertThat(outerRows.next()).isTrue();
            try (PreparedStatement inner = connection.prepareStatement(SELECT_NAMES)) {
                assertThat(driverStatement(inner)).isNotSameAs(driverStatement(outer));
                assertThat(names(inner)).isEqualTo("abc");
            }
            assertThat(outerRows.getString(1)).isEqualTo("a");
            assertThat(outerRows.next()).isTrue();
            assertThat(outerRows.getString(1)).isEqualTo("b");
        }
    }

    @Test
    void a_kept_statement_still_works_after_another_connection_changes_the_schema() throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_NAMES)) {
            assertThat(names(statement)).isEqualTo("abc");
        }
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = other.createStatement()) {
            statement.executeUpdate("DROP TABLE t");
            statement.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            statement.executeUpdate("INSERT INTO t (name) VALUES ('x'), ('y')");
        }
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_NAMES)) {
            assertThat(names(statement)).isEqualTo("xy");
        }
    }

    @Test
    void closing_the_pool_closes_the_kept_statements() throws SQLException {
        JDBC4PreparedStatement kept;
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_NAMES)) {
            kept = driverStatement(statement);
        }
        pool.close();
        assertThat(kept.isClosed()).isTrue();
    }

    @Test
    void store_calls_on_one_pooled_connection_reuse_their_statements_transaction_statements_included() throws SQLException {
        pool.close();
        Path storeDb = dir.resolve("stores.db");
        SqliteDialect dialect = new SqliteDialect(storeDb, 15_000);
        pool = SqliteStoreSet.builder().poolSize(1).openPool(storeDb, dialect);
        JdbcSchemaMigrator migrator = new JdbcSchemaMigrator(pool, dialect, Clock.systemUTC());
        migrator.apply(MigrationMode.MIGRATE);
        StoreSet stores = new JdbcStoreSet(pool, pool, dialect, TestKeys.cipher(), Clock.systemUTC(), migrator);
        ChangeContext change = ChangeContext.by("alice", "testing");
        ProviderConfig created = stores.providers().create(provider("a"), change);
        for (String name : List.of("b", "c")) {
            stores.inUnitOfWork(tx -> tx.providers().create(provider(name), change));
        }
        assertThat(stores.providers().get(created.id())).contains(created);
        Map<String, PreparedStatement> before = keptOfThePooledConnection();

        for (String name : List.of("d", "e", "f")) {
            assertThat(stores.providers().get(created.id())).contains(created);
            stores.inUnitOfWork(tx -> tx.providers().create(provider(name), change));
        }
        Map<String, PreparedStatement> after = keptOfThePooledConnection();

        assertThat(before).containsKeys("BEGIN IMMEDIATE", "COMMIT", "SAVEPOINT configstore_1",
                "RELEASE SAVEPOINT configstore_1");
        assertThat(after).hasSameSizeAs(before);
        before.forEach((sql, statement) -> assertThat(after.get(sql)).as(sql).isSameAs(statement));
        for (PreparedStatement statement : after.values()) {
            assertThat(statement.isClosed()).isFalse();
        }
        stores.close();
    }

    private static NewProviderConfig provider(String name) {
        return NewProviderConfig.of("openai", name, Json.parseObject("settings", "{\"model\":\"" + name + "\"}"));
    }

    private Map<String, PreparedStatement> keptOfThePooledConnection() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return StatementCachingDataSource.keptStatements(connection);
        }
    }

    private static JDBC4PreparedStatement driverStatement(PreparedStatement statement) throws SQLException {
        return statement.unwrap(JDBC4PreparedStatement.class);
    }

    private static String names(PreparedStatement statement) throws SQLException {
        StringBuilder names = new StringBuilder();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                names.append(rows.getString(1));
            }
        }
        return names.toString();
    }
}
