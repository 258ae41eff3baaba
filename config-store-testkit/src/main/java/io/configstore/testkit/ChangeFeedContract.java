package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.DEADLINE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.change.Subscription;
import io.configstore.crypto.Secret;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The change feed of {@link StoreSet#subscribe}: every committed change made through the store set is told to its
 * subscribers, after the commit and never for work that rolled back.
 */
public interface ChangeFeedContract extends StoreContract {

    /** Collects events, and whether each one's entity was already visible (committed) when it arrived. */
    final class Recorder {
        final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        final List<Boolean> visibleOnArrival = new ArrayList<>();

        void record(StoreSet stores, ChangeEvent event) {
            if (event.kind() == ChangeKind.CHANGED && event.entity() == EntityKind.CONFIG_DOCUMENT) {
                synchronized (visibleOnArrival) {
                    visibleOnArrival.add(stores.forTenant(event.tenantId()).documents().load(event.key())
                            .map(ConfigDocument::revision).orElse(0L) >= event.version());
                }
            }
            events.add(event);
        }

        /** The next event, failing the test when none arrives within the kit's deadline. */
        ChangeEvent next() throws InterruptedException {
            ChangeEvent event = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(event).as("a change event within " + DEADLINE).isNotNull();
            return event;
        }

        /** The next events up to and including the first that matches the marker document. */
        List<ChangeEvent> untilMarker(String marker) throws InterruptedException {
            List<ChangeEvent> seen = new ArrayList<>();
            while (true) {
                ChangeEvent event = next();
                if (event.entity() == EntityKind.CONFIG_DOCUMENT && marker.equals(event.key())) {
                    return seen;
                }
                seen.add(event);
            }
        }
    }

    private static Recorder subscribe(StoreSet stores) {
        Recorder recorder = new Recorder();
        stores.subscribe(event -> recorder.record(stores, event));
        return recorder;
    }

    @Test
    default void a_created_document_is_told_to_subscribers_after_it_is_committed(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        Recorder recorder = subscribe(stores);

        stores.documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);

        ChangeEvent event = recorder.next();
        assertThat(event).isEqualTo(ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1,
                ChangeOrigin.LOCAL));
        assertThat(recorder.visibleOnArrival).containsExactly(true);
    }

    @Test
    default void each_change_names_the_entity_its_tenant_and_its_new_version(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        Recorder recorder = subscribe(stores);

        ProviderConfig created = stores.forTenant("acme").providers().create(provider("openai", "a"), CHANGE);
        stores.forTenant("acme").providers().update(created.withPriority(1), CHANGE);
        ApiKeyMetadata key = stores.apiKeys().store("openai", "k", Secret.of("sk-1"), CHANGE);
        stores.apiKeys().rotate(key.id(), Secret.of("sk-2"), CHANGE);
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).containsExactly(
                ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "acme", created.id(), 1, ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "acme", created.id(), 2, ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.API_KEY, "default", key.id(), 1, ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.API_KEY, "default", key.id(), 2, ChangeOrigin.LOCAL));
    }

    @Test
    default void moving_the_default_tells_both_rows_it_touched(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        ProviderConfig first = stores.providers().create(provider("openai", "first"), CHANGE);
        ProviderConfig second = stores.providers().create(provider("openai", "second"), CHANGE);
        Recorder recorder = subscribe(stores);

        stores.providers().setDefault(second.id(), CHANGE);
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).containsExactlyInAnyOrder(
                ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "default", first.id(), first.version() + 1,
                        ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "default", second.id(), second.version() + 1,
                        ChangeOrigin.LOCAL));
    }

    @Test
    default void moving_the_default_tells_the_old_default_first_then_the_new_one(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        ProviderConfig old = stores.providers().create(provider("openai", "old"), CHANGE);
        ProviderConfig chosen = stores.providers().create(provider("openai", "chosen"), CHANGE);
        Recorder recorder = subscribe(stores);

        stores.providers().setDefault(chosen.id(), CHANGE);
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).containsExactly(
                ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "default", old.id(), old.version() + 1,
                        ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "default", chosen.id(), chosen.version() + 1,
                        ChangeOrigin.LOCAL));
    }

    @Test
    default void deleting_the_default_tells_its_deletion_first_then_the_heirs_default_change(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        ProviderConfig theDefault = stores.providers().create(provider("openai", "first"), CHANGE);
        stores.providers().create(provider("openai", "worse", 50), CHANGE);
        ProviderConfig heir = stores.providers().create(provider("openai", "heir", 10), CHANGE);
        Recorder recorder = subscribe(stores);

        stores.providers().delete(theDefault.id(), CHANGE);
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).containsExactly(
                ChangeEvent.deleted(EntityKind.PROVIDER_CONFIG, "default", theDefault.id(), theDefault.version(),
                        ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "default", heir.id(), heir.version() + 1,
                        ChangeOrigin.LOCAL));
    }

    @Test
    default void a_deletion_is_told_with_the_last_version_the_entity_had(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        ApiKeyMetadata key = stores.apiKeys().store("openai", "k", Secret.of("sk-1"), CHANGE);
        ApiKeyMetadata rotated = stores.apiKeys().rotate(key.id(), Secret.of("sk-2"), CHANGE);
        Recorder recorder = subscribe(stores);

        stores.apiKeys().delete(key.id(), CHANGE);
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).containsExactly(
                ChangeEvent.deleted(EntityKind.API_KEY, "default", key.id(), rotated.version(), ChangeOrigin.LOCAL));
    }

    @Test
    default void a_unit_of_work_is_told_after_it_commits_and_a_rolled_back_one_is_never_told(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        Recorder recorder = subscribe(stores);

        try {
            stores.inUnitOfWork(tx -> {
                tx.documents().save("rolled-back", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
                throw new IllegalStateException("roll it back");
            });
        } catch (IllegalStateException expected) {
            // the unit rolled back
        }
        stores.inUnitOfWork(tx -> {
            tx.documents().save("committed", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            try {
                stores.inUnitOfWork(inner -> {
                    inner.documents().save("inner-rolled-back", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
                    throw new IllegalStateException("roll the savepoint back");
                });
            } catch (IllegalStateException expected) {
                // only the nested unit rolled back
            }
            return null;
        });
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).containsExactly(
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "committed", 1, ChangeOrigin.LOCAL));
        assertThat(recorder.visibleOnArrival).containsOnly(true);
    }

    @Test
    default void an_update_that_changes_nothing_is_not_told(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        stores.documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        Recorder recorder = subscribe(stores);

        stores.documents().update("app", doc -> doc, CHANGE);
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).isEmpty();
    }

    @Test
    default void a_closed_subscription_is_told_nothing_more(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        Recorder closedOne = new Recorder();
        Subscription subscription = stores.subscribe(event -> closedOne.record(stores, event));
        Recorder open = subscribe(stores);
        subscription.close();

        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(open.untilMarker("marker")).isEmpty();
        assertThat(closedOne.events).isEmpty();
    }

    @Test
    default void a_failing_listener_does_not_stop_delivery_to_the_others(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        stores.subscribe(event -> {
            throw new IllegalStateException("a broken listener");
        });
        Recorder recorder = subscribe(stores);

        stores.documents().save("first", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).extracting(ChangeEvent::key).containsExactly("first");
    }

    @Test
    default void deleting_and_creating_a_document_again_in_one_unit_tells_the_deletion_then_the_new_document(
            StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        ConfigDocument first = stores.documents().save("app", json("a", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        ConfigDocument second = stores.documents().save("app", json("a", "2"), 1, first.revision(), CHANGE);
        Recorder recorder = subscribe(stores);

        stores.inUnitOfWork(tx -> {
            tx.documents().delete("app", second.revision(), CHANGE);
            tx.documents().save("app", json("a", "3"), 1, ConfigDocument.NO_REVISION, CHANGE);
            return null;
        });
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(recorder.untilMarker("marker")).containsExactly(
                ChangeEvent.deleted(EntityKind.CONFIG_DOCUMENT, "default", "app", 2, ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "app", 1, ChangeOrigin.LOCAL));
    }

    @Test
    default void listeners_are_called_on_one_notification_thread_never_the_writers_and_each_event_reaches_all_first(
            StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (String name : List.of("first", "second")) {
            stores.subscribe(event -> {
                threads.add(Thread.currentThread());
                if (event.kind() != ChangeKind.RESYNC) { // a backend may send one at any time
                    calls.add(name + ":" + event.key());
                }
            });
        }
        Recorder recorder = subscribe(stores);

        stores.documents().save("a", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        stores.inUnitOfWork(tx -> {
            tx.documents().save("b", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            tx.documents().save("c", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            return null;
        });
        stores.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        recorder.untilMarker("marker");

        // The recorder subscribed last, so the other two were called for every event before it saw the marker.
        assertThat(calls).containsExactly("first:a", "second:a", "first:b", "second:b", "first:c", "second:c",
                "first:marker", "second:marker");
        assertThat(threads).singleElement().satisfies(thread -> {
            assertThat(thread).isNotSameAs(Thread.currentThread());
            assertThat(thread.getName()).startsWith("configstore-changes-");
        });
    }
}
