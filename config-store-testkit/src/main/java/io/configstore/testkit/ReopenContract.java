package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.error.StorageException;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationState;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import org.junit.jupiter.api.Test;

/** Durability: everything committed is there after the store set is closed and opened again. */
public interface ReopenContract extends StoreContract {

    @Test
    default void everything_written_is_there_after_reopen(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        ProviderConfig first = stores.providers().create(provider("openai", "first"), CHANGE);
        ProviderConfig second = stores.providers().create(provider("openai", "second", 1), CHANGE);
        stores.providers().setDefault(second.id(), CHANGE);
        stores.providers().update(stores.providers().get(first.id()).orElseThrow().withEnabled(false), CHANGE);
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-ünïcode-🔑"), CHANGE);
        ApiKeyMetadata inactive = stores.apiKeys().store("openai", "old", Secret.of("sk-old"), CHANGE);
        stores.apiKeys().deactivate(inactive.id(), CHANGE);
        stores.apiKeys().recordUsage(key.id());
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 2, ConfigDocument.NO_REVISION, CHANGE);
        stores.documents().save("app", json("v", "2"), 2, doc.revision(), CHANGE);
        stores.forTenant("acme").documents().update("app", d -> d.put("tenant", "acme"), CHANGE);
        Snapshot before = Snapshot.of(stores, "acme");

        StoreSet reopened = store.reopen();

        assertThat(Snapshot.of(reopened, "acme")).isEqualTo(before);
        assertThat(reopened.providers().getDefault("openai")).map(ProviderConfig::id).contains(second.id());
        assertThat(reopened.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-ünïcode-🔑");
        assertThat(reopened.apiKeys().reveal(inactive.id()).reveal()).isEqualTo("sk-old");
        assertThat(reopened.apiKeys().get(key.id()).orElseThrow().lastUsedAt()).isNotNull();
        assertThat(reopened.documents().load("app").orElseThrow().revision()).isEqualTo(2);
        assertThat(reopened.documents().load("app").orElseThrow().formatVersion()).isEqualTo(2);
    }

    @Test
    default void versions_and_revisions_go_on_from_where_they_were_after_reopen(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        ProviderConfig provider = stores.providers().create(provider("openai", "prod"), CHANGE);
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);

        StoreSet reopened = store.reopen();

        assertThat(reopened.providers().update(provider.withPriority(1), CHANGE).version()).isEqualTo(2);
        assertThat(reopened.documents().save("app", json("v", "2"), 1, doc.revision(), CHANGE).revision())
                .isEqualTo(2);
        assertThat(reopened.documents().update("app", d -> d.put("v", "3"), CHANGE).revision()).isEqualTo(3);
    }

    @Test
    default void the_active_key_is_the_one_stored_or_activated_last_after_reopen_even_within_one_millisecond(
            StoreUnderTest store) throws Exception {
        // Written back to back, most of these share a millisecond: only the order of commits can tell them apart.
        StoreSet stores = store.stores();
        ApiKeyMetadata last = null;
        for (int i = 0; i < 12; i++) {
            last = stores.apiKeys().store("openai", "key-" + (11 - i), Secret.of("sk-" + i), CHANGE);
        }
        ApiKeyMetadata first = stores.apiKeys().listByType("openai").stream()
                .filter(k -> k.keyName().equals("key-11")).findFirst().orElseThrow();
        stores.apiKeys().deactivate(first.id(), CHANGE);
        stores.apiKeys().activate(first.id(), CHANGE);
        assertThat(stores.apiKeys().findActive("openai")).map(ApiKeyMetadata::id).contains(first.id());

        StoreSet reopened = store.reopen();

        assertThat(reopened.apiKeys().findActive("openai")).map(ApiKeyMetadata::id).contains(first.id());
        reopened.apiKeys().deactivate(first.id(), CHANGE);
        assertThat(reopened.apiKeys().findActive("openai")).map(ApiKeyMetadata::id).contains(last.id());
    }

    @Test
    default void a_rolled_back_unit_is_not_there_after_reopen(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        stores.documents().save("kept", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            tx.documents().save("undone", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);

        StoreSet reopened = store.reopen();

        assertThat(reopened.documents().names()).containsExactly("kept");
    }

    @Test
    default void a_closed_set_refuses_calls_with_a_storage_error_and_close_is_idempotent(StoreUnderTest store)
            throws Exception {
        StoreSet closed = store.openAnother();
        closed.documents().save("app", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        closed.close();
        closed.close();

        assertThatThrownBy(() -> closed.documents().load("app")).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> closed.providers().list()).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> closed.apiKeys().list()).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> closed.inUnitOfWork(tx -> null)).isInstanceOf(StorageException.class);
        assertThat(store.stores().documents().names()).containsExactly("app");
    }

    @Test
    default void the_schema_is_current_after_open_and_after_reopen(StoreUnderTest store) throws Exception {
        assertSchemaIsCurrent(store.stores());
        assertSchemaIsCurrent(store.reopen());
    }

    private static void assertSchemaIsCurrent(StoreSet stores) {
        stores.schema().validate();
        assertThat(stores.schema().migrate().applied()).isEmpty();
        assertThat(stores.schema().info()).extracting(MigrationInfo::state).doesNotContain(MigrationState.PENDING,
                MigrationState.CHECKSUM_MISMATCH, MigrationState.UNKNOWN_TO_CODE);
    }
}
