package io.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.EntityKind;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.testkit.PostgresTestServer;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Documents and provider settings read back on PostgreSQL exactly as the write returned them, numbers included, before
 * and after a reopen: the columns are JSON, which keeps the text configstore wrote (JSONB turned {@code 1E+300} into
 * a 301-digit integer, {@code -0.0} into {@code 0.0} and reordered keys).
 */
class PostgresNumbersTest {
    private static final ChangeContext CHANGE = ChangeContext.by("numbers-test");
    /** What every number below becomes once stored: the canonical form of {@link Json#asStored}. */
    private static final String STORED = "{\"scaled\":1.10,\"minusZero\":0.0,\"huge\":1E+300,"
            + "\"twenty\":12345678901234567890,\"tenth\":0.1,\"zebra\":{\"list\":[2.50,-7]},\"fromDouble\":0.1,"
            + "\"third\":0.3333333333333333,\"hugeDouble\":1.0E+300,\"doubleMinusZero\":0.0,\"alpha\":1}";

    private String schema;

    @BeforeEach
    void freshSchema() {
        PostgresTestServer.admin();
        schema = PostgresTestServer.newSchemaName();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        PostgresTestServer.dropSchema(schema);
    }

    /** Numbers as a caller writes them: parsed text (1.10, -0.0, 1e300, a 20-digit integer, 0.1) and doubles. */
    private static ObjectNode numbers() {
        ObjectNode content = Json.parseObject("content", "{\"scaled\":1.10,\"minusZero\":-0.0,\"huge\":1e300,"
                + "\"twenty\":12345678901234567890,\"tenth\":0.1,\"zebra\":{\"list\":[2.50,-7]}}");
        return content.put("fromDouble", 0.1d).put("third", 1.0d / 3).put("hugeDouble", 1e300d)
                .put("doubleMinusZero", -0.0d).put("alpha", 1);
    }

    /** Each field's path and node class, so that trees are compared by type as well as by value and text. */
    private static List<String> nodeTypes(JsonNode node, String path, List<String> into) {
        into.add(path + ":" + node.getClass().getSimpleName());
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                nodeTypes(field.getValue(), path + "." + field.getKey(), into);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nodeTypes(node.get(i), path + "[" + i + "]", into);
            }
        }
        return into;
    }

    /** {@code actual} is {@code expected}: the same text (so the same scale and key order), value and node types. */
    private static void assertSameJson(ObjectNode actual, ObjectNode expected) {
        assertThat(Json.write(actual)).isEqualTo(Json.write(expected));
        assertThat(actual).isEqualTo(expected);
        assertThat(nodeTypes(actual, "$", new ArrayList<>())).isEqualTo(nodeTypes(expected, "$", new ArrayList<>()));
    }

    private List<String> column(String sql) throws SQLException {
        return PostgresTestServer.query(sql.replace("{schema}", "\"" + schema + "\""));
    }

    @Test
    void a_document_and_provider_settings_read_back_as_the_write_returned_them_before_and_after_a_reopen()
            throws SQLException {
        ConfigDocument saved;
        ConfigDocument updated;
        ProviderConfig created;
        ProviderConfig edited;
        try (StoreSet stores = PostgresTestStores.builder(schema).open()) {
            saved = stores.documents().save("app", numbers(), 1, ConfigDocument.NO_REVISION, CHANGE);
            assertThat(Json.write(saved.content())).isEqualTo(STORED);
            assertSameJson(stores.documents().load("app").orElseThrow().content(), saved.content());
            updated = stores.documents().update("app", doc -> doc.put("added", new BigDecimal("3.000")), CHANGE);
            assertThat(Json.write(updated.content())).endsWith(",\"added\":3.000}");

            created = stores.providers().create(NewProviderConfig.of("openai", "prod", numbers()), CHANGE);
            assertThat(Json.write(created.settings())).isEqualTo(STORED);
            assertSameJson(stores.providers().get(created.id()).orElseThrow().settings(), created.settings());
            edited = stores.providers().update(created.withSettings(numbers().put("more", -0.50d)), CHANGE);
            assertThat(Json.write(edited.settings())).endsWith(",\"more\":-0.5}");

            assertSameJson((ObjectNode) stores.history().list(EntityKind.CONFIG_DOCUMENT, "app").get(0)
                    .snapshotJson().get("content"), saved.content());
        }

        try (StoreSet reopened = PostgresTestStores.builder(schema).open()) {
            assertSameJson(reopened.documents().load("app").orElseThrow().content(), updated.content());
            assertSameJson(reopened.providers().get(created.id()).orElseThrow().settings(), edited.settings());
        }
        // The columns keep the text written (JSONB held a 301-digit integer for 1e300, 0.0 for -0.0, keys by length).
        String content = column("SELECT content::text FROM {schema}.config_documents").get(0);
        assertThat(content).startsWith("{\"scaled\":1.10,\"minusZero\":0.0,\"huge\":1E+300,").hasSizeLessThan(300);
        assertSameJson(Json.readStored("the content column", content), updated.content());
        String settings = column("SELECT settings::text FROM {schema}.provider_configs").get(0);
        assertThat(settings).startsWith("{\"scaled\":1.10,").hasSizeLessThan(300);
        assertSameJson(Json.readStored("the settings column", settings), edited.settings());
    }

    @Test
    void rows_written_as_jsonb_before_version_3_still_read_back_after_the_migration() throws SQLException {
        try (StoreSet stores = PostgresTestStores.builder(schema).open()) {
            stores.documents().save("app", Json.object().put("keep", "me"), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        // The schema as version 2 left it: JSONB columns holding JSONB's normal form, and no record of version 3.
        for (String sql : List.of(
                "ALTER TABLE {schema}.config_documents DROP CONSTRAINT config_documents_content_check,"
                        + " ALTER COLUMN content TYPE JSONB USING content::jsonb,"
                        + " ADD CONSTRAINT config_documents_content_check CHECK (jsonb_typeof(content) = 'object')",
                "ALTER TABLE {schema}.provider_configs DROP CONSTRAINT provider_configs_settings_check,"
                        + " ALTER COLUMN settings TYPE JSONB USING settings::jsonb,"
                        + " ADD CONSTRAINT provider_configs_settings_check CHECK (jsonb_typeof(settings) = 'object')",
                "UPDATE {schema}.config_documents SET content = '{\"b\": 1.10, \"a\": 1e300}'::jsonb",
                "DELETE FROM {schema}.schema_version WHERE version = 3")) {
            PostgresTestServer.execute(sql.replace("{schema}", "\"" + schema + "\""));
        }

        try (StoreSet stores = PostgresTestStores.builder(schema).open()) {
            ObjectNode content = stores.documents().load("app").orElseThrow().content();
            assertThat(content.get("b").decimalValue()).isEqualTo(new BigDecimal("1.10"));
            assertThat(content.get("a").bigIntegerValue()).as("what JSONB made of 1e300 stays as it was")
                    .isEqualTo(BigDecimal.TEN.pow(300).toBigInteger());
        }
        assertThat(column("SELECT data_type FROM information_schema.columns WHERE table_schema = '" + schema + "'"
                + " AND column_name IN ('content', 'settings')")).containsExactly("json", "json");
        assertThat(column("SELECT max(version)::text FROM {schema}.schema_version")).containsExactly("3");
    }
}
