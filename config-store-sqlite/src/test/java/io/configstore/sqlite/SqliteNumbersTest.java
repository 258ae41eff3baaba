package io.configstore.sqlite;

import static io.configstore.sqlite.SqliteTestSupport.query;
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
import io.configstore.testkit.TestKeys;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents and provider settings read back on SQLite exactly as the write returned them, numbers included, before and
 * after a reopen, through every way content enters (save, saveValue, update, create, createAll, provider update,
 * rollback): {@code 1.10} was {@code 1.1} after a reopen when stored text was read through doubles.
 */
class SqliteNumbersTest {
    private static final ChangeContext CHANGE = ChangeContext.by("numbers-test");

    @TempDir
    Path dir;

    private StoreSet open() {
        return SqliteStoreSet.builder().path(dir.resolve("numbers.db")).cipher(TestKeys.cipher()).open();
    }

    /** Numbers as a caller writes them: parsed text (1.10, -0.0, 1e300, a 20-digit integer, 0.1) and doubles. */
    private static ObjectNode numbers() {
        ObjectNode content = Json.parseObject("content", "{\"scaled\":1.10,\"minusZero\":-0.0,\"huge\":1e300,"
                + "\"twenty\":12345678901234567890,\"tenth\":0.1,\"nested\":[{\"price\":2.50}]}");
        return content.put("fromDouble", 0.1d).put("third", 1.0d / 3).put("doubleMinusZero", -0.0d);
    }

    /** Values, node types and scales, in order: what {@code ObjectNode.equals} alone does not compare. */
    private static String typed(JsonNode node) {
        StringBuilder out = new StringBuilder(node.getClass().getSimpleName()).append('(');
        if (node.isContainerNode()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.append(field.getKey()).append('=').append(typed(field.getValue())).append(' ');
            }
            for (int i = 0; node.isArray() && i < node.size(); i++) {
                out.append(typed(node.get(i))).append(' ');
            }
        } else {
            out.append(node.isBigDecimal() ? node.decimalValue().toString() : node.asText());
        }
        return out.append(')').toString();
    }

    private static void assertSameJson(ObjectNode actual, ObjectNode expected) {
        assertThat(Json.write(actual)).isEqualTo(Json.write(expected));
        assertThat(actual).isEqualTo(expected);
        assertThat(typed(actual)).isEqualTo(typed(expected));
    }

    record Limits(double ratio, float weight, BigDecimal price) {
    }

    @Test
    void content_and_settings_read_back_as_every_write_returned_them_before_and_after_a_reopen() throws SQLException {
        ConfigDocument saved;
        ConfigDocument value;
        ConfigDocument updated;
        List<ProviderConfig> batch;
        ProviderConfig edited;
        ProviderConfig rolledBack;
        try (StoreSet stores = open()) {
            saved = stores.documents().save("app", numbers(), 1, ConfigDocument.NO_REVISION, CHANGE);
            assertThat(Json.write(saved.content())).isEqualTo("{\"scaled\":1.10,\"minusZero\":0.0,\"huge\":1E+300,"
                    + "\"twenty\":12345678901234567890,\"tenth\":0.1,\"nested\":[{\"price\":2.50}],"
                    + "\"fromDouble\":0.1,\"third\":0.3333333333333333,\"doubleMinusZero\":0.0}");
            assertSameJson(stores.documents().load("app").orElseThrow().content(), saved.content());
            value = stores.documents().saveValue("limits", new Limits(0.1d, 0.1f, new BigDecimal("2.50")),
                    ConfigDocument.NO_REVISION, CHANGE);
            assertThat(Json.write(value.content())).isEqualTo("{\"ratio\":0.1,\"weight\":0.1,\"price\":2.50}");
            updated = stores.documents().update("app", doc -> doc.put("added", 1e-7d), CHANGE);

            batch = stores.providers().createAll(List.of(NewProviderConfig.of("openai", "a", numbers()),
                    NewProviderConfig.of("openai", "b", numbers())), CHANGE);
            assertThat(Json.write(batch.get(1).settings())).isEqualTo(Json.write(saved.content()));
            edited = stores.providers().update(batch.get(0).withSettings(numbers().put("more", 1e300d)), CHANGE);
            stores.history().rollback(EntityKind.PROVIDER_CONFIG, batch.get(0).id(), 1, CHANGE);
            rolledBack = stores.providers().get(batch.get(0).id()).orElseThrow();
            assertSameJson(rolledBack.settings(), batch.get(0).settings());
        }

        try (StoreSet reopened = open()) {
            assertSameJson(reopened.documents().load("app").orElseThrow().content(), updated.content());
            assertSameJson(reopened.documents().load("limits").orElseThrow().content(), value.content());
            assertSameJson(reopened.providers().get(batch.get(0).id()).orElseThrow().settings(),
                    rolledBack.settings());
            assertSameJson(reopened.providers().get(batch.get(1).id()).orElseThrow().settings(),
                    batch.get(1).settings());
            assertSameJson((ObjectNode) reopened.history().list(EntityKind.PROVIDER_CONFIG, edited.id()).get(1)
                    .snapshotJson().get("settings"), edited.settings());
        }
        // SQLite's TEXT keeps the very text: what was read back is what the column holds, parsed.
        for (String content : query(dir.resolve("numbers.db"), "SELECT content FROM config_documents"
                + " WHERE name = 'app'")) {
            assertSameJson(Json.readStored("the content column", content), updated.content());
        }
    }
}
