package io.configstore.imports;

import static io.configstore.testkit.PostgresTestServer.URL;
import static io.configstore.testkit.PostgresTestServer.USER;
import static io.configstore.testkit.PostgresTestServer.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import io.configstore.testkit.PostgresTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A legacy configuration database on the real PostgreSQL server ({@code 127.0.0.1:5432}, user {@code postgres}, or
 * {@code CONFIGSTORE_TEST_PG_URL} / {@code CONFIGSTORE_TEST_PG_USER}), its tables created in a fresh schema as the
 * legacy service laid them out, dropped after each test.
 */
class LegacyPostgresSourceTest {
    @TempDir
    Path dir;

    private final String schema = PostgresTestServer.newSchemaName();
    private StoreSet target;

    /** The legacy tables and rows, in a fresh schema. */
    static void createLegacy(String schema) throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA \"" + schema + "\"");
            statement.execute("SET search_path TO \"" + schema + "\"");
            String fields = "tenant_id VARCHAR(64), provider_type VARCHAR(50) NOT NULL, provider_name VARCHAR(100)"
                    + " NOT NULL, api_key TEXT, api_secret TEXT, priority VARCHAR(20), enabled BOOLEAN DEFAULT TRUE,"
                    + " config_data JSONB, version INTEGER NOT NULL DEFAULT 1";
            statement.execute("CREATE TABLE provider_configs (id SERIAL PRIMARY KEY, " + fields + ", created_by"
                    + " VARCHAR(100), updated_by VARCHAR(100), created_at TIMESTAMPTZ DEFAULT now(), updated_at"
                    + " TIMESTAMPTZ DEFAULT now(), UNIQUE (tenant_id, provider_type, provider_name))");
            statement.execute("CREATE TABLE config_versions (id SERIAL PRIMARY KEY, " + fields + ", change_type"
                    + " VARCHAR(20), changed_at TIMESTAMPTZ, changed_by VARCHAR(100), change_reason TEXT)");
            statement.execute("INSERT INTO provider_configs (tenant_id, provider_type, provider_name, api_key,"
                    + " api_secret, priority, enabled, config_data, version, created_by, updated_by) VALUES"
                    + " ('acme', 'openai', 'prod', 'sk-legacy-acme', NULL, 'high', TRUE, '{\"model\":\"gpt-4o\"}', 2,"
                    + " 'alice', 'bob'),"
                    + " ('acme', 'openai', 'batch', 'sk-legacy-batch', NULL, 'low', FALSE, '{}', 1, 'alice', 'alice'),"
                    + " ('globex', 'bedrock', 'main', 'AKIA-legacy', 'aws-secret-legacy', '7', TRUE,"
                    + " '{\"region\":\"eu-west-1\"}', 1, 'carol', 'carol'),"
                    + " (NULL, 'anthropic', 'main', 'sk-legacy-ant', NULL, NULL, TRUE, NULL, 1, 'dave', 'dave')");
            statement.execute("INSERT INTO config_versions (tenant_id, provider_type, provider_name, api_key,"
                    + " api_secret, priority, enabled, config_data, version, change_type, changed_at, changed_by,"
                    + " change_reason) VALUES"
                    + " ('acme', 'openai', 'prod', 'sk-legacy-old', NULL, 'medium', TRUE, '{\"model\":\"gpt-4\"}', 1,"
                    + " 'create', '2024-01-01T10:00:00Z', 'alice', 'first setup'),"
                    + " ('acme', 'openai', 'prod', 'sk-legacy-acme', NULL, 'high', TRUE, '{\"model\":\"gpt-4o\"}', 2,"
                    + " 'update', '2024-02-01T10:00:00Z', 'bob', 'new model, rotated key'),"
                    + " ('acme', 'openai', 'retired', 'sk-legacy-gone', NULL, 'low', TRUE, '{}', 1,"
                    + " 'delete', '2023-12-01T10:00:00Z', 'alice', 'no longer used')");
        }
    }

    @BeforeEach
    void build() throws SQLException {
        createLegacy(schema);
        target = ImportTargets.sqlite(dir.resolve("target.db"), ImportTargets.cipher());
    }

    @AfterEach
    void drop() throws SQLException {
        target.close();
        PostgresTestServer.dropSchema(schema);
    }

    private LegacyPostgresSource source() {
        return LegacyPostgresSource.of(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER,
                null);
    }

    @Test
    void a_clean_import_brings_tenants_enabled_flags_priorities_encrypted_keys_and_history() {
        ImportReport report = source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        assertThat(report.failed()).isZero();
        // 4 providers, 5 keys (one api_secret), 5 history documents (one of a provider deleted in the source).
        assertThat(report.imported()).isEqualTo(14);
        assertThat(report.verifiedSecrets()).isEqualTo(5);
        assertThat(report.warnings()).singleElement().asString()
                .contains("still holds 5 API key(s) and secret(s) in clear text").doesNotContain("sk-legacy");

        TenantStores acme = target.forTenant("acme");
        ProviderConfig prod = acme.providers().listByName("prod").get(0);
        assertThat(prod.priority()).isEqualTo(20);
        assertThat(prod.isDefault()).isTrue();
        assertThat(prod.settings().get("model").asText()).isEqualTo("gpt-4o");
        ProviderConfig batch = acme.providers().listByName("batch").get(0);
        assertThat(batch.enabled()).isFalse();
        assertThat(batch.priority()).isEqualTo(80);
        assertThat(ImportTargets.reveal(acme, "openai", "prod")).isEqualTo("sk-legacy-acme");
        TenantStores globex = target.forTenant("globex");
        assertThat(globex.providers().listByType("bedrock").get(0).priority()).isEqualTo(7);
        assertThat(ImportTargets.reveal(globex, "bedrock", "main" + LegacyPostgresSource.SECRET_SUFFIX))
                .isEqualTo("aws-secret-legacy");
        assertThat(ImportTargets.reveal(target, "anthropic", "main")).isEqualTo("sk-legacy-ant");
        assertThat(target.providers().resolve("anthropic").orElseThrow().priority()).isEqualTo(100);

        JsonNode history = acme.documents().load(LegacyPostgresSource.HISTORY_PREFIX + "openai/prod").orElseThrow()
                .content();
        assertThat(history.get("currentVersion").asInt()).isEqualTo(2);
        assertThat(history.get("versions")).hasSize(2);
        assertThat(history.get("versions").get(1).get("changeReason").asText()).isEqualTo("new model, rotated key");
        assertThat(history.get("versions").get(1).get("apiKeyChanged").asBoolean()).isTrue();
        assertThat(history.get("versions").get(0).get("configData").get("model").asText()).isEqualTo("gpt-4");
        assertThat(history.toString()).doesNotContain("sk-legacy");
        JsonNode retired = acme.documents().load(LegacyPostgresSource.HISTORY_PREFIX + "openai/retired")
                .orElseThrow().content();
        assertThat(retired.get("deleted").asBoolean()).isTrue();
        assertThat(acme.providers().listByName("retired")).isEmpty();
    }

    @Test
    void a_second_run_skips_everything_and_a_dry_run_writes_nothing() {
        ImportReport plan = source().importInto(target, ImportTargets.skip().asDryRun(), ImportProgress.NONE);
        assertThat(plan.imported()).isEqualTo(14);
        assertThat(target.tenantIds()).isEmpty();

        source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);
        ImportReport again = source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);
        assertThat(again.imported()).isZero();
        assertThat(again.skipped()).isEqualTo(14);
        assertThat(again.items()).allSatisfy(item -> assertThat(item.detail()).isEqualTo("exists, identical"));

        assertThatThrownBy(() -> source().importInto(target, ImportTargets.fail(), ImportProgress.NONE))
                .isInstanceOf(DuplicateException.class).hasMessageContaining("holds 14 of the entries");
    }

    @Test
    void an_unknown_text_priority_names_the_row_and_the_table_can_be_extended() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE \"" + schema + "\".provider_configs SET priority = 'urgent'"
                    + " WHERE provider_name = 'batch'");
        }
        assertThatThrownBy(() -> source().importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("provider_configs row (tenant_id=acme, provider_type=openai,"
                        + " provider_name=batch): priority 'urgent' is not in the priority table");
        assertThat(target.tenantIds()).isEmpty();

        source().withPriorities(PriorityTable.defaults().with("Urgent", 1))
                .importInto(target, ImportTargets.skip(), ImportProgress.NONE);
        assertThat(target.forTenant("acme").providers().listByName("batch").get(0).priority()).isEqualTo(1);
    }

    @Test
    void a_config_data_column_of_text_that_is_damaged_concatenated_or_duplicated_imports_nothing_and_is_not_repeated()
            throws SQLException {
        String secret = DamagedSourcesTest.SECRET;
        String[] damaged = {
            "{\"model\": " + secret + "}",
            "{\"model\": \"gpt-4o\"} {\"token\": \"" + secret + "\"}",
            "{\"token\": \"sk-a\", \"token\": \"" + secret + "\"}",
        };
        String[] problems = {"a syntax error", "more text after", "a key that appears twice"};
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            // Some legacy deployments kept config_data as text (or json, which keeps duplicate keys as written).
            statement.execute("ALTER TABLE \"" + schema + "\".provider_configs ALTER COLUMN config_data TYPE text");
        }
        for (int i = 0; i < damaged.length; i++) {
            try (Connection connection = admin();
                 java.sql.PreparedStatement update = connection.prepareStatement("UPDATE \"" + schema
                         + "\".provider_configs SET config_data = ? WHERE provider_name = 'batch'")) {
                update.setString(1, damaged[i]);
                update.executeUpdate();
            }
            assertThatThrownBy(() -> source().importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("provider_configs row (tenant_id=acme, provider_type=openai,"
                            + " provider_name=batch): column config_data")
                    .hasMessageContaining(problems[i])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
        }
        assertThat(target.tenantIds()).isEmpty();
    }

    @Test
    void the_ordinal_text_priorities_have_a_documented_default_mapping() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE \"" + schema + "\".provider_configs SET priority = CASE provider_name"
                    + " WHEN 'prod' THEN 'Primary' WHEN 'batch' THEN 'secondary' ELSE priority END");
            statement.execute("UPDATE \"" + schema + "\".provider_configs SET priority = ' backup'"
                    + " WHERE provider_type = 'anthropic'");
        }
        source().importInto(target, ImportTargets.skip(), ImportProgress.NONE);

        TenantStores acme = target.forTenant("acme");
        assertThat(acme.providers().listByName("prod").get(0).priority()).isEqualTo(20);
        assertThat(acme.providers().listByName("batch").get(0).priority()).isEqualTo(50);
        assertThat(target.providers().resolve("anthropic").orElseThrow().priority()).isEqualTo(100);
        assertThat(PriorityTable.defaults().asMap()).containsEntry("tertiary", 80);
    }

    @Test
    void a_missing_column_lists_the_expected_columns_instead_of_the_servers_text() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE \"" + schema + "\".provider_configs DROP COLUMN enabled");
        }
        assertThatThrownBy(() -> source().importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("lacks an expected column; expected provider_configs (tenant_id,")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("does not exist").doesNotContain("ERROR"));
    }

    @Test
    void a_database_without_the_legacy_tables_is_a_validation_error() {
        LegacyPostgresSource empty = LegacyPostgresSource.of(URL + (URL.contains("?") ? "&" : "?")
                + "currentSchema=" + schema + "_absent", USER, null);
        assertThatThrownBy(() -> empty.importInto(target, ImportTargets.skip(), ImportProgress.NONE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("has no table provider_configs");
    }
}
