package io.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.store.StoreSet;
import io.configstore.testkit.PostgresTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hot query the JDBC stores issue (the statements of {@code config-store-jdbc} and the SQLite change watcher,
 * with literals for their parameters) is planned on a schema the store itself created, and must find its rows
 * through an index: SQLite's {@code EXPLAIN QUERY PLAN} shows no {@code SCAN}, PostgreSQL's {@code EXPLAIN} with
 * sequential scans disabled shows no {@code Seq Scan}. A negative control proves the check sees a full scan. A new
 * hot query in the stores belongs in {@link #HOT_QUERIES}; the floor of the benchmarks issues the same statements.
 */
class QueryPlanTest {
    /** The default of a type: create, setDefault and getDefault read it, so it must be one row, not the type. */
    static final String DEFAULT_OF_TYPE = "default provider of a type (create, setDefault, getDefault)";
    static final String ONE_DEFAULT_INDEX = "provider_configs_one_default";

    /** The hot queries; {TRUE}, {FALSE} and {NOW} are the dialect's literals. */
    static final Map<String, String> HOT_QUERIES = new LinkedHashMap<>();

    static {
        HOT_QUERIES.put("provider by id", "SELECT * FROM provider_configs WHERE tenant_id = 'default' AND id = 'x'");
        HOT_QUERIES.put("providers of a type (getDefault, resolve, listByType)",
                "SELECT * FROM provider_configs WHERE tenant_id = 'default' AND provider_type = 'openai'");
        HOT_QUERIES.put(DEFAULT_OF_TYPE, "SELECT * FROM provider_configs WHERE tenant_id = 'default'"
                + " AND provider_type = 'openai' AND is_default = {TRUE}");
        HOT_QUERIES.put("provider by type and name", "SELECT * FROM provider_configs WHERE tenant_id = 'default'"
                + " AND provider_type = 'openai' AND name = 'main'");
        HOT_QUERIES.put("provider compare-and-set update", "UPDATE provider_configs SET name = 'n',"
                + " version = version + 1 WHERE tenant_id = 'default' AND id = 'x' AND version = 1");
        HOT_QUERIES.put("provider default flag", "UPDATE provider_configs SET is_default = {FALSE}"
                + " WHERE tenant_id = 'default' AND id = 'x'");
        HOT_QUERIES.put("provider delete", "DELETE FROM provider_configs WHERE tenant_id = 'default' AND id = 'x'");
        HOT_QUERIES.put("API key by id (get, reveal)",
                "SELECT * FROM api_keys WHERE tenant_id = 'default' AND id = 'x'");
        HOT_QUERIES.put("active API key of a type", "SELECT * FROM api_keys WHERE tenant_id = 'default'"
                + " AND provider_type = 'openai' AND active = {TRUE}");
        HOT_QUERIES.put("API key by type and name", "SELECT * FROM api_keys WHERE tenant_id = 'default'"
                + " AND provider_type = 'openai' AND key_name = 'main'");
        HOT_QUERIES.put("next activation sequence", "SELECT COALESCE(MAX(activation_seq), 0) + 1 FROM api_keys"
                + " WHERE tenant_id = 'default' AND provider_type = 'openai'");
        HOT_QUERIES.put("record usage",
                "UPDATE api_keys SET last_used_at = {NOW} WHERE tenant_id = 'default' AND id = 'x'");
        HOT_QUERIES.put("API key rotate", "UPDATE api_keys SET ciphertext = 'c', version = version + 1"
                + " WHERE tenant_id = 'default' AND id = 'x'");
        HOT_QUERIES.put("secrets under a master key",
                "SELECT ciphertext FROM api_keys WHERE encryption_key_id = 'k1' LIMIT 1");
        HOT_QUERIES.put("document load",
                "SELECT * FROM config_documents WHERE tenant_id = 'default' AND name = 'app'");
        HOT_QUERIES.put("document compare-and-set update", "UPDATE config_documents SET revision = revision + 1"
                + " WHERE tenant_id = 'default' AND name = 'app' AND revision = 1");
        HOT_QUERIES.put("document delete",
                "DELETE FROM config_documents WHERE tenant_id = 'default' AND name = 'app' AND revision = 1");
        HOT_QUERIES.put("store metadata", "SELECT value FROM store_metadata WHERE name = 'x'");
        HOT_QUERIES.put("last history version (every write)", "SELECT COALESCE(MAX(version), 0) FROM change_history"
                + " WHERE tenant_id = 'default' AND entity = 'PROVIDER_CONFIG' AND entity_id = 'x'");
        HOT_QUERIES.put("history of an entity", "SELECT * FROM change_history WHERE tenant_id = 'default'"
                + " AND entity = 'PROVIDER_CONFIG' AND entity_id = 'x' ORDER BY version");
        HOT_QUERIES.put("history page by time", "SELECT * FROM change_history WHERE tenant_id = 'default'"
                + " AND changed_at >= {NOW} AND changed_at < {NOW} ORDER BY changed_at, seq LIMIT 50 OFFSET 0");
        HOT_QUERIES.put("idempotency record", "SELECT * FROM idempotency_records WHERE actor = 'a'"
                + " AND idempotency_key = 'k'");
    }

    /** SQLite only: what every open store set polls for other processes' changes. */
    static final String CHANGE_LOG_POLL = "SELECT seq, entity, tenant_id, entity_key, version, kind, origin"
            + " FROM change_log WHERE seq > 1 ORDER BY seq LIMIT 500";

    /** A query no index serves: the check must report it. */
    static final String NEGATIVE_CONTROL = "SELECT * FROM provider_configs WHERE changed_by = 'nobody'";

    @TempDir
    Path dir;

    @Test
    void every_hot_sqlite_query_uses_an_index() throws Exception {
        Path db = dir.resolve("plans.db");
        Backends.SQLITE.open(db.toString()).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Map<String, String> queries = new LinkedHashMap<>(HOT_QUERIES);
            queries.put("change log poll", CHANGE_LOG_POLL);
            for (Map.Entry<String, String> query : queries.entrySet()) {
                String sql = sqlite(query.getValue());
                assertThat(sqlitePlan(connection, sql)).as("%s: %s", query.getKey(), sql)
                        .isNotEmpty().noneMatch(QueryPlanTest::isSqliteFullScan);
            }
            assertThat(sqlitePlan(connection, sqlite(HOT_QUERIES.get(DEFAULT_OF_TYPE))))
                    .anyMatch(detail -> detail.contains(ONE_DEFAULT_INDEX));
        }
    }

    @Test
    void the_sqlite_check_detects_a_query_without_an_index() throws Exception {
        Path db = dir.resolve("control.db");
        Backends.SQLITE.open(db.toString()).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThat(sqlitePlan(connection, NEGATIVE_CONTROL)).anyMatch(QueryPlanTest::isSqliteFullScan);
        }
    }

    @Test
    void every_hot_postgres_query_uses_an_index() throws Exception {
        String schema = Backends.POSTGRES.newLocation(dir, "plans");
        try {
            Backends.POSTGRES.open(schema).close();
            try (Connection connection = PostgresTestServer.admin()) {
                preparePostgres(connection, schema);
                for (Map.Entry<String, String> query : HOT_QUERIES.entrySet()) {
                    String sql = postgres(query.getValue());
                    assertThat(postgresPlan(connection, sql)).as("%s: %s", query.getKey(), sql)
                            .isNotEmpty().noneMatch(QueryPlanTest::isPostgresFullScan);
                }
                assertThat(postgresPlan(connection, postgres(HOT_QUERIES.get(DEFAULT_OF_TYPE))))
                        .anyMatch(line -> line.contains(ONE_DEFAULT_INDEX));
            }
        } finally {
            Backends.POSTGRES.drop(schema);
        }
    }

    @Test
    void the_postgres_check_detects_a_query_without_an_index() throws Exception {
        String schema = Backends.POSTGRES.newLocation(dir, "control");
        try {
            Backends.POSTGRES.open(schema).close();
            try (Connection connection = PostgresTestServer.admin()) {
                preparePostgres(connection, schema);
                assertThat(postgresPlan(connection, NEGATIVE_CONTROL)).anyMatch(QueryPlanTest::isPostgresFullScan);
            }
        } finally {
            Backends.POSTGRES.drop(schema);
        }
    }

    private static String sqlite(String sql) {
        return sql.replace("{TRUE}", "1").replace("{FALSE}", "0").replace("{NOW}", "1");
    }

    private static String postgres(String sql) {
        return sql.replace("{TRUE}", "TRUE").replace("{FALSE}", "FALSE").replace("{NOW}", "now()");
    }

    /** A SCAN row (of a table, or of a whole index) reads every row; SEARCH rows use an index. */
    private static boolean isSqliteFullScan(String detail) {
        return detail.startsWith("SCAN ");
    }

    private static boolean isPostgresFullScan(String line) {
        return line.contains("Seq Scan");
    }

    private static List<String> sqlitePlan(Connection connection, String sql) throws SQLException {
        return column(connection, "EXPLAIN QUERY PLAN " + sql, "detail");
    }

    /** Plans run in the store's schema with sequential scans priced out, so any Seq Scan left has no index. */
    private static void preparePostgres(Connection connection, String schema) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + schema + "\"");
            statement.execute("SET enable_seqscan = off");
        }
    }

    private static List<String> postgresPlan(Connection connection, String sql) throws SQLException {
        return column(connection, "EXPLAIN " + sql, null);
    }

    private static List<String> column(Connection connection, String sql, String label) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                rows.add(label == null ? row.getString(1) : row.getString(label));
            }
        }
        return rows;
    }
}
