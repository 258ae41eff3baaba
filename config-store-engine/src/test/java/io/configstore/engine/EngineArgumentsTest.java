package io.configstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.EntityKind;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.Secret;
import io.configstore.error.ConfigStoreException;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.TenantStores;
import io.configstore.store.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every public method of the engine's stores checks its arguments before it touches the storage: bad input gets a
 * typed error and changes nothing, whatever the backend. The storage here fails any call, so a check that came after
 * a storage call would show as that failure instead of the expected error.
 */
class EngineArgumentsTest {
    private static final ChangeContext CHANGE = ChangeContext.by("test");
    private final List<String> storageCalls = new ArrayList<>();
    private final Engine engine = new Engine(new RefusingStorage(), AesGcmSecretCipher.of("test",
            AesGcmSecretCipher.generateKey()), Clock.systemUTC());
    private final TenantStores stores = engine.defaultTenant();

    @Test
    void bad_provider_arguments_are_refused_before_any_storage_call() {
        NewProviderConfig config = NewProviderConfig.of("llm", "main", Json.object());
        ProviderConfig otherTenants = new ProviderConfig("p1", "other", "llm", "main", Json.object(), true, true, 100,
                1, Instant.EPOCH, Instant.EPOCH, "test", null);
        refusedBeforeStorage(ValidationException.class,
                () -> stores.providers().create(null, CHANGE),
                () -> stores.providers().create(config, null),
                () -> stores.providers().update(null, CHANGE),
                () -> stores.providers().update(otherTenants, CHANGE),
                () -> stores.providers().get("not an id!"),
                () -> stores.providers().listByType(""),
                () -> stores.providers().listByName(null),
                () -> stores.providers().delete(null, CHANGE),
                () -> stores.providers().setDefault("p1", null),
                () -> stores.providers().getDefault(""),
                () -> stores.providers().resolve(null),
                () -> stores.providers().createAll(Arrays.asList(config, null), CHANGE),
                () -> stores.providers().createAll(List.of(config), new ChangeContext("test", null, "key-1")));
        refusedBeforeStorage(DuplicateException.class,
                () -> stores.providers().createAll(List.of(config, config), CHANGE));
    }

    @Test
    void bad_api_key_arguments_are_refused_before_any_storage_call() {
        Secret destroyed = Secret.of("sk-test");
        destroyed.close();
        refusedBeforeStorage(ValidationException.class,
                () -> stores.apiKeys().store(null, "main", Secret.of("sk-test"), CHANGE),
                () -> stores.apiKeys().store("llm", "", Secret.of("sk-test"), CHANGE),
                () -> stores.apiKeys().store("llm", "main", null, CHANGE),
                () -> stores.apiKeys().store("llm", "main", destroyed, CHANGE),
                () -> stores.apiKeys().rotate("k1", destroyed, CHANGE),
                () -> stores.apiKeys().rotate("not an id!", Secret.of("sk-test"), CHANGE),
                () -> stores.apiKeys().activate(null, CHANGE),
                () -> stores.apiKeys().deactivate("k1", null),
                () -> stores.apiKeys().delete("", CHANGE),
                () -> stores.apiKeys().recordUsage(null),
                () -> stores.apiKeys().reveal(null),
                () -> stores.apiKeys().sealed(""),
                () -> stores.apiKeys().findActive(null),
                () -> stores.apiKeys().listByType(""));
    }

    @Test
    void bad_document_and_history_arguments_are_refused_before_any_storage_call() {
        refusedBeforeStorage(ValidationException.class,
                () -> stores.documents().load(""),
                () -> stores.documents().load("app", null),
                () -> stores.documents().save("app", null, 1, 0, CHANGE),
                () -> stores.documents().save("app", Json.object(), 0, 0, CHANGE),
                () -> stores.documents().save("app", Json.object(), 1, -2, CHANGE),
                () -> stores.documents().saveValue(null, "x", 0, CHANGE),
                () -> stores.documents().update("app", null, CHANGE),
                () -> stores.documents().update("app", String.class, null, CHANGE),
                () -> stores.documents().delete("app", -1 - 1, CHANGE),
                () -> stores.history().list(null, "p1"),
                () -> stores.history().list(Instant.MAX, Instant.EPOCH, 0, 10),
                () -> stores.history().list(Instant.EPOCH, Instant.MAX, -1, 10),
                () -> stores.history().rollback(EntityKind.API_KEY, "k1", 0, CHANGE),
                () -> stores.history().rollback(EntityKind.API_KEY, "k1", 1, null),
                () -> engine.tenant("not a tenant!"),
                () -> stores.forTenant(null),
                () -> engine.pruneHistory(null),
                () -> engine.inUnitOfWork(null));
    }

    @Test
    void a_rejected_expected_revision_is_named_but_not_repeated() {
        assertThatThrownBy(() -> stores.documents().save("app", Json.object(), 1, -7, CHANGE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("expectedRevision")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("-7"));
    }

    @Test
    void a_call_with_valid_arguments_reaches_the_storage() {
        assertThatThrownBy(() -> stores.providers().get("p1")).isInstanceOf(AssertionError.class);
        assertThat(storageCalls).containsExactly("reading provider config 'p1'");
    }

    @Test
    void an_engine_needs_a_storage_a_cipher_and_a_clock() {
        assertThatThrownBy(() -> new Engine(null, engine.cipher(), Clock.systemUTC()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("storage");
        assertThatThrownBy(() -> new Engine(new RefusingStorage(), null, Clock.systemUTC()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cipher");
        assertThatThrownBy(() -> new Engine(new RefusingStorage(), engine.cipher(), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("clock");
    }

    @SafeVarargs
    private void refusedBeforeStorage(Class<? extends ConfigStoreException> expected, ThrowingCallable... calls) {
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(expected);
        }
        assertThat(storageCalls).isEmpty();
    }

    /** A storage that records and refuses every call. */
    private final class RefusingStorage implements RowStorage {
        @Override
        public <R> R read(String action, Function<StoreRows, R> work) {
            return refuse(action);
        }

        @Override
        public <R> R write(String action, Function<StoreRows, R> work) {
            return refuse(action);
        }

        @Override
        public <T, X extends Exception> T unitOfWork(TenantStores stores, UnitOfWork<T, X> work) {
            return refuse("a unit of work");
        }

        private <R> R refuse(String action) {
            storageCalls.add(action);
            throw new AssertionError("the storage was called: " + action);
        }
    }
}
