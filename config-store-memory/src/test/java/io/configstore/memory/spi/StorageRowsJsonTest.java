package io.configstore.memory.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.crypto.Secret;
import io.configstore.error.StorageException;
import io.configstore.history.RetentionPolicy;
import io.configstore.memory.InMemoryStorage;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.testkit.StoreUnderTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The row codec every storage-path backend (and the file backend's store file) maps rows with. */
class StorageRowsJsonTest {
    private static final ChangeContext CHANGE = ChangeContext.by("test", "codec");

    /** Rows of every type, as an engine committed them. */
    private static StorageRows committedRows() {
        AtomicReference<StorageRows> committed = new AtomicReference<>();
        InMemoryStorage storage = new InMemoryStorage(StorageRows.empty(), new StorageJournal() {
            @Override
            public boolean changedOutside() {
                return false;
            }

            @Override
            public java.util.Optional<ExternalChange> reload() {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<ExternalChange> beginWrite() {
                return java.util.Optional.empty();
            }

            @Override
            public void commit(StorageRows rows, List<ChangeEvent> changes) {
                committed.set(rows);
            }

            @Override
            public void endWrite() {
                // Nothing to release.
            }
        });
        try (StoreSet stores = InMemoryStoreSet.builder().storage(storage).cipher(StoreUnderTest.freshCipher("k")).open()) {
            stores.providers().create(NewProviderConfig.of("openai", "main",
                    Json.parseObject("settings", "{\"model\": \"gpt\", \"t\": 0.5}")), CHANGE);
            stores.forTenant("acme").apiKeys().store("openai", "prod", Secret.of("sk-codec"),
                    CHANGE.withIdempotencyKey("once"));
            stores.forTenant("acme").documents().save("app/settings v2", Json.parseObject("doc", "{\"a\": [1]}"), 2,
                    ConfigDocument.NO_REVISION, CHANGE);
            stores.pruneHistory(RetentionPolicy.keepVersions(10));
        }
        return committed.get();
    }

    @Test
    void every_row_read_back_from_its_entries_equals_the_row_written() {
        StorageRows rows = committedRows();

        Map<String, JsonNode> entries = StorageRowsJson.entries(rows);
        StorageRowsJson.Reader reader = new StorageRowsJson.Reader();
        entries.forEach(reader::entry);
        StorageRows back = reader.rows("test rows");

        assertThat(entries).containsKeys("metadata", "history", "idempotency",
                "tenants/acme/documents/app%2Fsettings+v2");
        assertThat(back.providers()).containsExactlyInAnyOrderElementsOf(rows.providers());
        assertThat(back.apiKeys()).containsExactlyInAnyOrderElementsOf(rows.apiKeys());
        assertThat(back.documents()).containsExactlyInAnyOrderElementsOf(rows.documents());
        assertThat(back.metadata()).isEqualTo(rows.metadata()).isNotEmpty();
        assertThat(back.history()).isEqualTo(rows.history()).isNotEmpty();
        assertThat(back.idempotency()).containsExactlyInAnyOrderElementsOf(rows.idempotency()).isNotEmpty();
    }

    @Test
    void an_api_key_keeps_its_ciphertext_exactly_and_never_the_secret() {
        StorageRows rows = committedRows();

        ObjectNode key = StorageRowsJson.apiKey(rows.apiKeys().get(0));

        assertThat(key.path("ciphertext").asText()).isEqualTo(rows.apiKeys().get(0).ciphertext());
        assertThat(StorageRowsJson.entries(rows).toString()).doesNotContain("sk-codec");
    }

    @Test
    void every_problem_is_named_by_row_and_field_and_no_value_is_repeated() {
        StorageRows rows = committedRows();
        ObjectNode provider = StorageRowsJson.provider(rows.providers().get(0));
        provider.put("priority", "secret-value-1");
        provider.put("colour", "secret-value-2");
        provider.remove("name");
        StorageRowsJson.Reader reader = new StorageRowsJson.Reader();

        reader.entry("tenants/default/providers/p1", provider);
        reader.entry("tenants/default/gadgets/g1", Json.object());
        reader.entry("history", Json.object());

        assertThat(reader.problems()).containsExactly(
                "tenants/default/providers/p1.name: expected a string (required), found nothing (the field is missing)",
                "tenants/default/providers/p1.priority: expected an integer from -2147483648 to 2147483647, found a"
                        + " string of 14 characters",
                "tenants/default/providers/p1.colour: unknown field; expected only [changeReason, changedBy,"
                        + " createdAt, default, enabled, id, name, priority, providerType, settings, updatedAt,"
                        + " version]",
                "tenants/default/gadgets/g1: unknown key; expected metadata, history, idempotency or"
                        + " tenants/TENANT/(providers|api-keys|documents)/NAME",
                "history: expected a JSON array, found an object of 0 entries");
        assertThatThrownBy(() -> reader.rows("the test directory")).isInstanceOf(StorageException.class)
                .hasMessageContaining("the test directory").hasMessageContaining("p1.priority")
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void a_document_key_that_is_not_url_encoded_is_a_problem_not_a_decoder_error() {
        StorageRowsJson.Reader reader = new StorageRowsJson.Reader();

        reader.entry("tenants/default/documents/bad%zzname", Json.object());

        assertThat(reader.problems()).singleElement().asString().startsWith("tenants/default/documents/bad%zzname:")
                .contains("URL-encoded");
    }

    @Test
    void change_events_read_back_as_remote_events_in_order_and_a_resync_is_refused() {
        List<ChangeEvent> changes = List.of(
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "acme", "app", 3, ChangeOrigin.LOCAL),
                ChangeEvent.deleted(EntityKind.API_KEY, "default", "k1", 2, ChangeOrigin.LOCAL));
        StorageRowsJson.Reader reader = new StorageRowsJson.Reader();

        List<ChangeEvent> back = reader.changeEvents(StorageRowsJson.changeEvents(changes), "changes");
        reader.changeEvent(StorageRowsJson.changeEvent(ChangeEvent.resync(ChangeOrigin.LOCAL)), "resync");

        assertThat(back).containsExactly(
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "acme", "app", 3, ChangeOrigin.REMOTE),
                ChangeEvent.deleted(EntityKind.API_KEY, "default", "k1", 2, ChangeOrigin.REMOTE));
        assertThat(reader.problems()).anySatisfy(p -> assertThat(p).startsWith("resync.kind: expected CHANGED or"
                + " DELETED"));
    }
}
