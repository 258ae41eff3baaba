package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import org.junit.jupiter.api.Test;

/** Tenants: no tenant ever sees another's rows, defaults or ids. */
public interface TenantIsolationContract extends StoreContract {

    @Test
    default void the_set_itself_addresses_the_default_tenant(StoreUnderTest store) {
        StoreSet stores = store.stores();

        assertThat(stores.tenantId()).isEqualTo(TenantStores.DEFAULT_TENANT);
        assertThat(stores.providers().tenantId()).isEqualTo(TenantStores.DEFAULT_TENANT);
        assertThat(stores.apiKeys().tenantId()).isEqualTo(TenantStores.DEFAULT_TENANT);
        assertThat(stores.documents().tenantId()).isEqualTo(TenantStores.DEFAULT_TENANT);
        TenantStores acme = stores.forTenant("acme");
        assertThat(acme.tenantId()).isEqualTo("acme");
        assertThat(acme.providers().tenantId()).isEqualTo("acme");
        assertThat(acme.apiKeys().tenantId()).isEqualTo("acme");
        assertThat(acme.documents().tenantId()).isEqualTo("acme");
        assertThat(acme.forTenant("globex").tenantId()).isEqualTo("globex");
    }

    @Test
    default void two_tenants_with_the_same_names_never_see_each_others_rows(StoreUnderTest store) {
        TenantStores acme = store.stores().forTenant("acme");
        TenantStores globex = store.stores().forTenant("globex");

        ProviderConfig acmeProvider = acme.providers().create(provider("openai", "prod"), CHANGE);
        ProviderConfig globexProvider = globex.providers().create(provider("openai", "prod"), CHANGE);
        ApiKeyMetadata acmeKey = acme.apiKeys().store("openai", "prod", Secret.of("acme-secret"), CHANGE);
        ApiKeyMetadata globexKey = globex.apiKeys().store("openai", "prod", Secret.of("globex-secret"), CHANGE);
        acme.documents().save("app", json("owner", "acme"), 1, ConfigDocument.NO_REVISION, CHANGE);
        globex.documents().save("app", json("owner", "globex"), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(acme.providers().list()).containsExactly(acmeProvider);
        assertThat(globex.providers().list()).containsExactly(globexProvider);
        assertThat(acme.providers().listByName("prod")).containsExactly(acmeProvider);
        assertThat(acme.providers().listByType("openai")).containsExactly(acmeProvider);
        assertThat(acme.apiKeys().list()).containsExactly(acmeKey);
        assertThat(globex.apiKeys().listByType("openai")).containsExactly(globexKey);
        assertThat(acme.apiKeys().reveal(acmeKey.id()).reveal()).isEqualTo("acme-secret");
        assertThat(globex.apiKeys().reveal(globexKey.id()).reveal()).isEqualTo("globex-secret");
        assertThat(acme.documents().load("app").orElseThrow().content()).isEqualTo(json("owner", "acme"));
        assertThat(globex.documents().load("app").orElseThrow().content()).isEqualTo(json("owner", "globex"));
        assertThat(acmeProvider.tenantId()).isEqualTo("acme");
        assertThat(globexKey.tenantId()).isEqualTo("globex");

        TenantStores defaultTenant = store.stores();
        assertThat(defaultTenant.providers().list()).isEmpty();
        assertThat(defaultTenant.apiKeys().list()).isEmpty();
        assertThat(defaultTenant.documents().names()).isEmpty();
    }

    @Test
    default void defaults_and_resolve_are_per_tenant(StoreUnderTest store) {
        TenantStores acme = store.stores().forTenant("acme");
        TenantStores globex = store.stores().forTenant("globex");
        ProviderConfig acmeFirst = acme.providers().create(provider("openai", "first"), CHANGE);
        ProviderConfig globexFirst = globex.providers().create(provider("openai", "first"), CHANGE);
        ProviderConfig acmeSecond = acme.providers().create(provider("openai", "second"), CHANGE);

        assertThat(globexFirst.isDefault()).isTrue();
        acme.providers().setDefault(acmeSecond.id(), CHANGE);
        acme.providers().delete(acmeFirst.id(), CHANGE);

        assertThat(globex.providers().getDefault("openai")).contains(globexFirst);
        assertThat(globex.providers().resolve("openai")).contains(globexFirst);
        assertThat(acme.providers().getDefault("openai")).map(ProviderConfig::id).contains(acmeSecond.id());
        assertThat(acme.apiKeys().findActive("openai")).isEmpty();
        globex.apiKeys().store("openai", "k", Secret.of("g"), CHANGE);
        assertThat(acme.apiKeys().findActive("openai")).isEmpty();
    }

    @Test
    default void ids_of_one_tenant_are_unknown_in_another(StoreUnderTest store) {
        TenantStores acme = store.stores().forTenant("acme");
        TenantStores globex = store.stores().forTenant("globex");
        ProviderConfig provider = acme.providers().create(provider("openai", "prod"), CHANGE);
        ApiKeyMetadata key = acme.apiKeys().store("openai", "prod", Secret.of("acme-secret"), CHANGE);
        acme.documents().save("app", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        Snapshot before = Snapshot.of(store.stores(), "acme", "globex");

        assertThat(globex.providers().get(provider.id())).isEmpty();
        assertThat(globex.apiKeys().get(key.id())).isEmpty();
        assertThat(globex.documents().load("app")).isEmpty();
        assertThatThrownBy(() -> globex.providers().delete(provider.id(), CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.providers().setDefault(provider.id(), CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.apiKeys().reveal(key.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.apiKeys().rotate(key.id(), Secret.of("stolen"), CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.apiKeys().deactivate(key.id(), CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.apiKeys().activate(key.id(), CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.apiKeys().recordUsage(key.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.apiKeys().delete(key.id(), CHANGE)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.documents().delete("app", 1, CHANGE)).isInstanceOf(NotFoundException.class);

        assertThat(Snapshot.of(store.stores(), "acme", "globex")).isEqualTo(before);
    }

    @Test
    default void a_row_of_one_tenant_cannot_be_updated_through_another(StoreUnderTest store) {
        TenantStores acme = store.stores().forTenant("acme");
        TenantStores globex = store.stores().forTenant("globex");
        ProviderConfig provider = acme.providers().create(provider("openai", "prod"), CHANGE);

        assertThatThrownBy(() -> globex.providers().update(provider.withName("hijacked"), CHANGE))
                .isInstanceOf(ValidationException.class);

        assertThat(acme.providers().get(provider.id())).contains(provider);
        assertThat(globex.providers().list()).isEmpty();
    }

    @Test
    default void tenant_ids_lists_every_tenant_holding_data_sorted_and_nothing_else(StoreUnderTest store) {
        StoreSet stores = store.stores();
        assertThat(stores.tenantIds()).isEmpty();

        stores.forTenant("zeta").documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        stores.forTenant("acme").apiKeys().store("openai", "k", Secret.of("sk-1"), CHANGE);
        stores.providers().create(provider("openai", "p"), CHANGE);
        stores.forTenant("empty");

        assertThat(stores.tenantIds()).containsExactly("acme", "default", "zeta");
    }
}
