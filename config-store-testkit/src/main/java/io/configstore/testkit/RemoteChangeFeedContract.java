package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The change feed across store sets: a change committed through another store set on the same storage (a second
 * instance of the application, another process or machine) reaches this set's subscribers as
 * {@link ChangeOrigin#REMOTE}, with its entity, tenant, key and version; the writer's own subscribers see it once, as
 * {@link ChangeOrigin#LOCAL}.
 */
public interface RemoteChangeFeedContract extends StoreContract {

    /** Collects the events of one subscriber, leaving out RESYNC requests (a backend may send one at any time). */
    final class Collector {
        final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();

        static Collector subscribe(StoreSet stores) {
            Collector collector = new Collector();
            stores.subscribe(event -> {
                if (event.kind() != ChangeKind.RESYNC) {
                    collector.events.add(event);
                }
            });
            return collector;
        }

        /** The events up to and including the first about document {@code marker}, failing after the deadline. */
        List<ChangeEvent> untilMarker(String marker) throws InterruptedException {
            List<ChangeEvent> seen = new ArrayList<>();
            Await.next(events, "a change event about '" + marker + "'", event -> {
                seen.add(event);
                return event.entity() == EntityKind.CONFIG_DOCUMENT && marker.equals(event.key());
            });
            return seen;
        }
    }

    @Test
    default void a_write_through_another_store_set_reaches_this_sets_subscribers_as_remote(StoreUnderTest store)
            throws Exception {
        Collector here = Collector.subscribe(store.stores());
        StoreSet other = store.openAnother();
        Collector there = Collector.subscribe(other);

        ConfigDocument saved = other.forTenant("acme").documents().save("app", json("a", "1"), 1,
                ConfigDocument.NO_REVISION, CHANGE);
        other.forTenant("acme").documents().save("app", json("a", "2"), 1, saved.revision(), CHANGE);
        other.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(here.untilMarker("marker")).containsExactly(
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "acme", "app", 1, ChangeOrigin.REMOTE),
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "acme", "app", 2, ChangeOrigin.REMOTE),
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "marker", 1, ChangeOrigin.REMOTE));
        assertThat(there.untilMarker("marker")).containsExactly(
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "acme", "app", 1, ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "acme", "app", 2, ChangeOrigin.LOCAL),
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "marker", 1, ChangeOrigin.LOCAL));
    }

    @Test
    default void a_remote_deletion_and_a_remote_unit_of_work_are_told_with_their_versions(StoreUnderTest store)
            throws Exception {
        StoreSet other = store.openAnother();
        Collector here = Collector.subscribe(store.stores());
        Collector there = Collector.subscribe(other);
        ProviderConfig created = other.providers().create(provider("openai", "a"), CHANGE);
        other.documents().save("setup", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        assertThat(here.untilMarker("setup")).hasSize(2);
        assertThat(there.untilMarker("setup")).hasSize(2);

        other.inUnitOfWork(tx -> {
            tx.providers().update(created.withPriority(7), CHANGE);
            tx.documents().save("in-unit", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            return null;
        });
        other.providers().delete(created.id(), CHANGE);
        other.documents().save("marker", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        List<ChangeEvent> expectedRemote = List.of(
                ChangeEvent.changed(EntityKind.PROVIDER_CONFIG, "default", created.id(), 2, ChangeOrigin.REMOTE),
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "in-unit", 1, ChangeOrigin.REMOTE),
                ChangeEvent.deleted(EntityKind.PROVIDER_CONFIG, "default", created.id(), 2, ChangeOrigin.REMOTE),
                ChangeEvent.changed(EntityKind.CONFIG_DOCUMENT, "default", "marker", 1, ChangeOrigin.REMOTE));
        assertThat(here.untilMarker("marker")).containsExactlyElementsOf(expectedRemote);
        assertThat(there.untilMarker("marker")).containsExactlyElementsOf(expectedRemote.stream()
                .map(e -> new ChangeEvent(e.kind(), e.entity(), e.tenantId(), e.key(), e.version(),
                        ChangeOrigin.LOCAL))
                .toList());
    }
}
