package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.DEADLINE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.error.DuplicateException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** StoreSet.inUnitOfWork: commit, rollback, nesting as savepoints and isolation from other threads. */
public interface UnitOfWorkContract extends StoreContract {

    /** A checked exception thrown by a unit of work. */
    final class UnitFailed extends Exception {
        private static final long serialVersionUID = 1L;

        UnitFailed(String message) {
            super(message);
        }
    }

    @Test
    default void a_unit_commits_writes_to_all_three_stores_when_it_returns(StoreUnderTest store) {
        StoreSet stores = store.stores();

        String providerId = stores.inUnitOfWork(tx -> {
            ProviderConfig p = tx.providers().create(provider("openai", "prod"), CHANGE);
            tx.apiKeys().store("openai", "prod", Secret.of("sk-1"), CHANGE);
            tx.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
            return p.id();
        });

        assertThat(stores.providers().get(providerId)).isPresent();
        ApiKeyMetadata key = stores.apiKeys().findActive("openai").orElseThrow();
        assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-1");
        assertThat(stores.documents().load("app")).isPresent();
    }

    @Test
    default void a_unit_that_throws_a_runtime_exception_leaves_nothing_and_rethrows_it_as_is(StoreUnderTest store) {
        StoreSet stores = store.stores();
        Snapshot before = Snapshot.of(stores);
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            tx.providers().create(provider("openai", "prod"), CHANGE);
            tx.apiKeys().store("openai", "prod", Secret.of("sk-1"), CHANGE);
            tx.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
            throw boom;
        })).isSameAs(boom);

        assertThat(Snapshot.of(stores)).isEqualTo(before);
        assertThat(stores.providers().list()).isEmpty();
        assertThat(stores.apiKeys().list()).isEmpty();
        assertThat(stores.documents().names()).isEmpty();
    }

    @Test
    default void a_unit_that_throws_a_checked_exception_leaves_nothing_and_rethrows_it_as_is(StoreUnderTest store) {
        StoreSet stores = store.stores();
        UnitFailed failure = new UnitFailed("checked");

        assertThatThrownBy(() -> stores.<Void, UnitFailed>inUnitOfWork(tx -> {
            tx.providers().create(provider("openai", "prod"), CHANGE);
            tx.apiKeys().store("openai", "prod", Secret.of("sk-1"), CHANGE);
            tx.documents().update("app", doc -> doc.put("v", 1), CHANGE);
            throw failure;
        })).isSameAs(failure);

        assertThat(stores.providers().list()).isEmpty();
        assertThat(stores.apiKeys().list()).isEmpty();
        assertThat(stores.documents().names()).isEmpty();
    }

    @Test
    default void a_rolled_back_unit_restores_changed_and_deleted_rows(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ProviderConfig a = stores.providers().create(provider("openai", "a"), CHANGE);
        ProviderConfig b = stores.providers().create(provider("openai", "b"), CHANGE);
        ApiKeyMetadata key = stores.apiKeys().store("openai", "k", Secret.of("original"), CHANGE);
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        Snapshot before = Snapshot.of(stores);

        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            tx.providers().setDefault(b.id(), CHANGE);
            tx.providers().delete(a.id(), CHANGE);
            tx.apiKeys().rotate(key.id(), Secret.of("rotated"), CHANGE);
            tx.apiKeys().deactivate(key.id(), CHANGE);
            tx.documents().save("app", json("v", "2"), 1, doc.revision(), CHANGE);
            tx.documents().delete("app", doc.revision() + 1, CHANGE);
            throw new IllegalStateException("undo all of it");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(Snapshot.of(stores)).isEqualTo(before);
        assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("original");
    }

    @Test
    default void reads_inside_a_unit_see_its_own_writes(StoreUnderTest store) {
        StoreSet stores = store.stores();

        List<String> seen = stores.inUnitOfWork(tx -> {
            ProviderConfig p = tx.providers().create(provider("openai", "prod"), CHANGE);
            tx.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
            return List.of(tx.providers().get(p.id()).orElseThrow().name(),
                    String.valueOf(tx.documents().load("app").orElseThrow().revision()),
                    tx.providers().getDefault("openai").orElseThrow().id().equals(p.id()) ? "default" : "none");
        });

        assertThat(seen).containsExactly("prod", "1", "default");
    }

    @Test
    default void a_nested_unit_that_throws_is_undone_alone_while_the_outer_unit_commits(StoreUnderTest store) {
        StoreSet stores = store.stores();

        stores.inUnitOfWork(outer -> {
            outer.documents().save("before", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            try {
                stores.inUnitOfWork(inner -> {
                    inner.documents().save("inner", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
                    inner.providers().create(provider("openai", "inner"), CHANGE);
                    inner.documents().update("before", doc -> doc.put("touched", true), CHANGE);
                    throw new IllegalStateException("inner fails");
                });
            } catch (IllegalStateException expected) {
                assertThat(outer.documents().names()).containsExactly("before");
            }
            outer.documents().save("after", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            return null;
        });

        assertThat(stores.documents().names()).containsExactly("after", "before");
        assertThat(stores.documents().load("before").orElseThrow().content()).isEqualTo(json());
        assertThat(stores.providers().list()).isEmpty();
    }

    @Test
    default void a_nested_unit_that_returns_commits_only_with_the_outer_unit(StoreUnderTest store) {
        StoreSet stores = store.stores();

        assertThatThrownBy(() -> stores.inUnitOfWork(outer -> {
            stores.inUnitOfWork(inner -> inner.documents().save("inner", json(), 1, ConfigDocument.NO_REVISION,
                    CHANGE));
            assertThat(outer.documents().names()).containsExactly("inner");
            throw new IllegalStateException("outer fails after the inner unit returned");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(stores.documents().names()).isEmpty();
    }

    @Test
    default void calls_on_the_set_itself_from_the_unit_thread_join_the_unit(StoreUnderTest store) {
        StoreSet stores = store.stores();

        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            stores.providers().create(provider("openai", "through-the-set"), CHANGE);
            stores.apiKeys().store("openai", "through-the-set", Secret.of("s"), CHANGE);
            stores.documents().save("through-the-set", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            assertThat(tx.providers().listByName("through-the-set")).hasSize(1);
            throw new IllegalStateException("roll back what went through the set");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(stores.providers().list()).isEmpty();
        assertThat(stores.apiKeys().list()).isEmpty();
        assertThat(stores.documents().names()).isEmpty();
    }

    @Test
    default void other_tenants_reached_inside_a_unit_take_part_in_it(StoreUnderTest store) {
        StoreSet stores = store.stores();

        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            TenantStores acme = tx.forTenant("acme");
            acme.providers().create(provider("openai", "acme"), CHANGE);
            stores.forTenant("globex").documents().save("app", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            throw new IllegalStateException("undo both tenants");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(stores.forTenant("acme").providers().list()).isEmpty();
        assertThat(stores.forTenant("globex").documents().names()).isEmpty();

        stores.inUnitOfWork(tx -> tx.forTenant("acme").documents().save("app", json(), 1,
                ConfigDocument.NO_REVISION, CHANGE));
        assertThat(stores.forTenant("acme").documents().names()).containsExactly("app");
        assertThat(stores.documents().names()).isEmpty();
    }

    @Test
    default void a_failed_call_inside_a_unit_changes_nothing_and_the_unit_can_go_on(StoreUnderTest store) {
        StoreSet stores = store.stores();

        stores.inUnitOfWork(tx -> {
            tx.providers().create(provider("openai", "prod"), CHANGE);
            assertThatThrownBy(() -> tx.providers().create(provider("openai", "prod"), CHANGE))
                    .isInstanceOf(DuplicateException.class);
            tx.providers().create(provider("openai", "staging"), CHANGE);
            return null;
        });

        assertThat(stores.providers().list()).extracting(ProviderConfig::name)
                .containsExactlyInAnyOrder("prod", "staging");
    }

    @Test
    default void another_thread_does_not_see_the_writes_of_a_running_unit_until_it_commits(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<String> unit = executor.submit(() -> stores.inUnitOfWork(tx -> {
                tx.providers().create(provider("openai", "uncommitted"), CHANGE);
                tx.apiKeys().store("openai", "uncommitted", Secret.of("s"), CHANGE);
                tx.documents().save("uncommitted", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
                written.countDown();
                if (!checked.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the reading thread never finished");
                }
                return "committed";
            }));
            assertThat(written.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

            Optional<ConfigDocument> seenDocument = stores.documents().load("uncommitted");
            List<ProviderConfig> seenProviders = stores.providers().list();
            List<ApiKeyMetadata> seenKeys = stores.apiKeys().list();
            checked.countDown();

            assertThat(seenDocument).isEmpty();
            assertThat(seenProviders).isEmpty();
            assertThat(seenKeys).isEmpty();
            assertThat(unit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("committed");
            assertThat(stores.documents().load("uncommitted")).isPresent();
            assertThat(stores.providers().list()).hasSize(1);
        } finally {
            checked.countDown();
            executor.shutdownNow();
        }
    }
}
