package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.EntityKind;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.StoreSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ProviderConfigStore.createAll: what a loop of create in one unit of work would do, all or nothing. */
public interface ProviderBatchContract extends StoreContract {

    @Test
    default void createAll_stores_every_provider_in_order_as_create_would(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig existing = providers.create(provider("openai", "existing"), CHANGE);

        List<ProviderConfig> created = providers.createAll(List.of(
                NewProviderConfig.of("openai", "second", json("url", "a")).withPriority(5),
                NewProviderConfig.of("anthropic", "first", json("url", "b")).withEnabled(false),
                NewProviderConfig.of("anthropic", "second", json("url", "c"))), CHANGE);

        assertThat(created).extracting(p -> p.providerType() + "/" + p.name())
                .containsExactly("openai/second", "anthropic/first", "anthropic/second");
        assertThat(created).extracting(ProviderConfig::isDefault).containsExactly(false, true, false);
        assertThat(created).allSatisfy(p -> {
            assertThat(p.version()).isEqualTo(1);
            assertThat(p.changedBy()).isEqualTo(CHANGE.changedBy());
            assertThat(providers.get(p.id())).contains(p);
            assertThat(store.stores().history().list(EntityKind.PROVIDER_CONFIG, p.id()))
                    .extracting(HistoryEntry::changeType).containsExactly(ChangeType.CREATE);
        });
        assertThat(created.get(0).priority()).isEqualTo(5);
        assertThat(created.get(1).enabled()).isFalse();
        assertThat(created.get(2).settings()).isEqualTo(json("url", "c"));
        assertThat(providers.getDefault("openai")).contains(existing);
        assertThat(providers.getDefault("anthropic")).contains(created.get(1));
    }

    @Test
    default void createAll_with_a_name_taken_in_the_store_creates_none(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        providers.create(provider("openai", "taken"), CHANGE);
        List<ProviderConfig> before = providers.list();

        assertThatThrownBy(() -> providers.createAll(List.of(provider("openai", "new-1"),
                provider("anthropic", "new-2"), provider("openai", "taken"), provider("openai", "new-3")), CHANGE))
                .isInstanceOf(DuplicateException.class).hasMessageContaining("'taken'");

        assertThat(providers.list()).isEqualTo(before);
        assertThat(providers.getDefault("anthropic")).isEmpty();
        // The store is still usable for the same names once the clash is gone.
        assertThat(providers.createAll(List.of(provider("openai", "new-1"), provider("anthropic", "new-2")),
                CHANGE)).hasSize(2);
    }

    @Test
    default void createAll_with_one_name_twice_in_a_type_creates_none(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();

        assertThatThrownBy(() -> providers.createAll(List.of(provider("openai", "a"), provider("anthropic", "a"),
                provider("openai", "a")), CHANGE))
                .isInstanceOf(DuplicateException.class).hasMessageContaining("configs[0]")
                .hasMessageContaining("configs[2]");

        assertThat(providers.list()).isEmpty();
    }

    @Test
    default void createAll_refuses_a_null_list_element_or_change_and_an_idempotency_key(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        List<NewProviderConfig> withNull = new ArrayList<>(Arrays.asList(provider("openai", "a"), null));

        assertThatThrownBy(() -> providers.createAll(null, CHANGE)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("configs");
        assertThatThrownBy(() -> providers.createAll(withNull, CHANGE)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("configs[1]");
        assertThatThrownBy(() -> providers.createAll(List.of(provider("openai", "a")), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("change");
        assertThatThrownBy(() -> providers.createAll(List.of(provider("openai", "a")),
                CHANGE.withIdempotencyKey("import-1")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("idempotency key");

        assertThat(providers.list()).isEmpty();
    }

    @Test
    default void createAll_of_nothing_writes_nothing(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();

        assertThat(providers.createAll(List.of(), CHANGE)).isEmpty();
        assertThat(providers.list()).isEmpty();
    }

    @Test
    default void createAll_with_one_as_default_moves_the_default_as_create_would(StoreUnderTest store) {
        ProviderConfigStore providers = store.stores().providers();
        ProviderConfig old = providers.create(provider("openai", "old"), CHANGE);

        List<ProviderConfig> created = providers.createAll(List.of(provider("openai", "plain"),
                provider("openai", "chosen").asDefault()), CHANGE);

        assertThat(providers.getDefault("openai")).contains(providers.get(created.get(1).id()).orElseThrow());
        assertThat(providers.get(old.id()).orElseThrow().isDefault()).isFalse();
        assertThat(providers.get(created.get(0).id()).orElseThrow().isDefault()).isFalse();
    }

    @Test
    default void createAll_inside_a_unit_of_work_that_fails_leaves_nothing(StoreUnderTest store) {
        StoreSet stores = store.stores();

        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            tx.providers().createAll(List.of(provider("openai", "a"), provider("openai", "b")), CHANGE);
            throw new IllegalStateException("the host's own failure");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(stores.providers().list()).isEmpty();
    }

    @Test
    default void a_failed_createAll_inside_a_unit_of_work_undoes_only_itself(StoreUnderTest store) {
        StoreSet stores = store.stores();
        stores.providers().create(provider("openai", "taken"), CHANGE);

        stores.inUnitOfWork(tx -> {
            tx.providers().create(provider("anthropic", "kept"), CHANGE);
            assertThatThrownBy(() -> tx.providers().createAll(List.of(provider("openai", "fresh"),
                    provider("openai", "taken")), CHANGE)).isInstanceOf(DuplicateException.class);
            return null;
        });

        assertThat(stores.providers().list()).extracting(ProviderConfig::name)
                .containsExactlyInAnyOrder("taken", "kept");
    }
}
