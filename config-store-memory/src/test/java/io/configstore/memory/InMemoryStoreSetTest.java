package io.configstore.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import org.junit.jupiter.api.Test;

/** What the in-memory backend offers beyond the contract: the way host applications use it in their own tests. */
class InMemoryStoreSetTest {
    private final SecretCipher cipher = AesGcmSecretCipher.of("test", AesGcmSecretCipher.generateKey());
    private final ChangeContext change = ChangeContext.by("test");

    @Test
    void a_host_keeps_providers_keys_and_documents_in_memory_in_its_own_tests() {
        try (StoreSet stores = InMemoryStoreSet.builder().cipher(cipher).open()) {
            ProviderConfig openai = stores.providers().create(NewProviderConfig.of("openai", "prod",
                    Json.parseObject("settings", "{\"model\": \"gpt-4o\"}")), change);
            ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-test"), change);
            stores.documents().update("app", doc -> doc.put("maxConnections", 20), change);

            assertThat(stores.providers().resolve("openai")).contains(openai);
            assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-test");
            assertThat(stores.documents().load("app").orElseThrow().content().get("maxConnections").asInt())
                    .isEqualTo(20);
        }
    }

    @Test
    void a_shared_storage_keeps_everything_after_its_store_set_is_closed() {
        InMemoryStorage storage = new InMemoryStorage();
        ApiKeyMetadata key;
        try (StoreSet first = InMemoryStoreSet.builder().storage(storage).cipher(cipher).open()) {
            key = first.apiKeys().store("openai", "prod", Secret.of("sk-kept"), change);
            first.documents().save("app", Json.object().put("v", 1), 1, ConfigDocument.NO_REVISION, change);
        }

        try (StoreSet again = InMemoryStoreSet.builder().storage(storage).cipher(cipher).open()) {
            assertThat(again.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-kept");
            assertThat(again.documents().names()).containsExactly("app");
        }
        assertThat(storage.toString()).contains("apiKeys=1").doesNotContain("sk-kept");
    }

    @Test
    void opening_without_a_cipher_or_storage_is_a_validation_error() {
        assertThatThrownBy(() -> InMemoryStoreSet.builder().cipher(null)
                .open()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> InMemoryStoreSet.builder().storage(null).cipher(cipher)
                .open()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> InMemoryStoreSet.builder().storage(new InMemoryStorage()).cipher(null).open())
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void the_schema_has_nothing_to_apply() {
        try (StoreSet stores = InMemoryStoreSet.builder().cipher(cipher).open()) {
            assertThat(stores.schema().migrate().applied()).isEmpty();
            assertThat(stores.schema().info()).isEmpty();
            stores.schema().validate();
        }
    }

    @Test
    void writing_through_a_second_set_while_this_thread_runs_a_unit_fails_instead_of_deadlocking() {
        InMemoryStorage storage = new InMemoryStorage();
        try (StoreSet first = InMemoryStoreSet.builder().storage(storage).cipher(cipher).open();
             StoreSet second = InMemoryStoreSet.builder().storage(storage).cipher(cipher).open()) {
            assertThatThrownBy(() -> first.inUnitOfWork(tx -> {
                tx.documents().save("from-unit", Json.object(), 1, ConfigDocument.NO_REVISION, change);
                return second.documents().save("from-second", Json.object(), 1, ConfigDocument.NO_REVISION,
                        change);
            })).isInstanceOf(StorageException.class);

            assertThat(second.documents().names()).isEmpty();
            first.documents().save("afterwards", Json.object(), 1, ConfigDocument.NO_REVISION, change);
            assertThat(second.documents().names()).containsExactly("afterwards");
        }
    }
}
