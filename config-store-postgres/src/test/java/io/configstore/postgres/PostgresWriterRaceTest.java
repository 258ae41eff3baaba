package io.configstore.postgres;

import static io.configstore.postgres.PostgresTestStores.builder;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.testkit.PostgresTestServer;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A writer outside the store (a plain connection, which the store's write lock does not hold back) changes a row
 * between the engine's read and its write: the SQL rows report it, the update runs again on a fresh read, and the
 * transaction it ran in stays usable. PostgreSQL only: there, a statement that failed on a constraint would abort the
 * whole transaction, and a plain connection can write while a store's transaction is open (SQLite's write lock holds
 * every other writer back, so this race cannot happen there).
 */
class PostgresWriterRaceTest {
    private static final ChangeContext CHANGE = ChangeContext.by("race-test");

    private String schema;
    private StoreSet store;

    @BeforeEach
    void open() {
        schema = PostgresTestServer.newSchemaName();
        store = builder(schema).open();
    }

    @AfterEach
    void close() throws SQLException {
        store.close();
        PostgresTestServer.dropSchema(schema);
    }

    /** Writes as another writer would, outside the store, committed at once. */
    private void otherWriter(String sql) {
        try {
            PostgresTestServer.execute(sql.replace("{schema}", "\"" + schema + "\""));
        } catch (SQLException e) {
            throw new AssertionError("the other writer's statement failed", e);
        }
    }

    @Test
    void a_document_another_writer_creates_during_an_update_is_updated_on_the_next_attempt_in_the_same_unit() {
        AtomicInteger attempts = new AtomicInteger();
        ConfigDocument other = store.inUnitOfWork(stores -> {
            ConfigDocument updated = stores.documents().update("app", content -> {
                if (attempts.incrementAndGet() == 1) {
                    otherWriter("INSERT INTO {schema}.config_documents (tenant_id, name, content, format_version,"
                            + " revision, updated_at, changed_by) VALUES ('default', 'app', '{\"a\": 1}', 1, 1,"
                            + " now(), 'other')");
                }
                content.put("b", 2);
                return content;
            }, CHANGE);
            assertThat(updated.revision()).isEqualTo(2);
            // The unit goes on after the refused insert: its transaction was not aborted.
            return stores.documents().save("other", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE);
        });

        assertThat(attempts).hasValue(2);
        ConfigDocument app = store.documents().load("app").orElseThrow();
        assertThat(app.revision()).isEqualTo(2);
        assertThat(Json.write(app.content())).isEqualTo("{\"a\":1,\"b\":2}");
        assertThat(other.revision()).isEqualTo(1);
        assertThat(store.documents().load("other")).isPresent();
    }

    @Test
    void a_document_another_writer_changes_during_an_update_is_updated_again_from_its_new_revision() {
        store.documents().save("app", Json.parseObject("content", "{\"a\": 1}"), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        AtomicInteger attempts = new AtomicInteger();

        ConfigDocument updated = store.documents().update("app", content -> {
            if (attempts.incrementAndGet() == 1) {
                otherWriter("UPDATE {schema}.config_documents SET content = '{\"a\": 5}', revision = 2"
                        + " WHERE tenant_id = 'default' AND name = 'app'");
            }
            content.put("b", content.get("a").asInt() + 1);
            return content;
        }, CHANGE);

        assertThat(attempts).hasValue(2);
        assertThat(updated.revision()).isEqualTo(3);
        assertThat(Json.write(store.documents().load("app").orElseThrow().content())).isEqualTo("{\"a\":5,\"b\":6}");
    }
}
