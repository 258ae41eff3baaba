package io.configstore.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.EntityKind;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules decided for issue 19 (once divergent between backends), as the engine writes them, on a real in-memory
 * store set: the order of update's checks, and the order of the entries and events of a default's move or deletion.
 */
class EngineRulesOnMemoryTest {
    private static final ChangeContext CHANGE = ChangeContext.by("test");
    private final StoreSet stores = InMemoryStoreSet.open(AesGcmSecretCipher.of("test",
            AesGcmSecretCipher.generateKey()));
    private final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void a_stale_copy_whose_default_flag_differs_is_a_version_conflict_not_a_validation_error() {
        stores.providers().create(NewProviderConfig.of("llm", "first", Json.object()), CHANGE);
        ProviderConfig second = stores.providers().create(NewProviderConfig.of("llm", "second", Json.object()),
                CHANGE);
        stores.providers().setDefault(second.id(), CHANGE); // someone else moves the default

        assertThatThrownBy(() -> stores.providers().update(second, CHANGE))
                .isInstanceOf(VersionConflictException.class);
        ProviderConfig current = stores.providers().get(second.id()).orElseThrow();
        ProviderConfig flagFlipped = new ProviderConfig(current.id(), current.tenantId(), current.providerType(),
                current.name(), current.settings(), false, current.enabled(), current.priority(), current.version(),
                current.createdAt(), current.updatedAt(), current.changedBy(), current.changeReason());
        assertThatThrownBy(() -> stores.providers().update(flagFlipped, CHANGE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("setDefault");
        assertThat(stores.providers().get(second.id())).contains(current);
    }

    @Test
    void deleting_the_default_records_its_deletion_before_the_heirs_default_change() throws Exception {
        ProviderConfig first = stores.providers().create(NewProviderConfig.of("llm", "first", Json.object()), CHANGE);
        ProviderConfig heir = stores.providers().create(NewProviderConfig.of("llm", "heir", Json.object()), CHANGE);
        stores.subscribe(events::add);

        stores.providers().delete(first.id(), CHANGE);

        assertThat(lastEntries(2)).extracting(HistoryEntry::entityId, HistoryEntry::changeType).containsExactly(
                tuple(first.id(), ChangeType.DELETE),
                tuple(heir.id(), ChangeType.DEFAULT_CHANGE));
        assertThat(nextEvents(2)).extracting(ChangeEvent::kind, ChangeEvent::key, ChangeEvent::version)
                .containsExactly(tuple(ChangeKind.DELETED, first.id(), 1L),
                        tuple(ChangeKind.CHANGED, heir.id(), 2L));
        assertThat(stores.providers().getDefault("llm").orElseThrow().id()).isEqualTo(heir.id());
    }

    @Test
    void moving_the_default_records_the_old_defaults_change_before_the_new_ones() throws Exception {
        ProviderConfig first = stores.providers().create(NewProviderConfig.of("llm", "first", Json.object()), CHANGE);
        ProviderConfig second = stores.providers().create(NewProviderConfig.of("llm", "second", Json.object()),
                CHANGE);
        stores.subscribe(events::add);

        stores.providers().setDefault(second.id(), CHANGE);
        ProviderConfig third = stores.providers().create(NewProviderConfig.of("llm", "third", Json.object())
                .asDefault(), CHANGE);

        assertThat(lastEntries(4)).extracting(HistoryEntry::entityId, HistoryEntry::changeType).containsExactly(
                tuple(first.id(), ChangeType.DEFAULT_CHANGE),
                tuple(second.id(), ChangeType.DEFAULT_CHANGE),
                tuple(second.id(), ChangeType.DEFAULT_CHANGE),
                tuple(third.id(), ChangeType.CREATE));
        assertThat(nextEvents(4)).extracting(ChangeEvent::key)
                .containsExactly(first.id(), second.id(), second.id(), third.id());
    }

    @Test
    void a_batch_with_a_taken_name_creates_none_and_names_the_first_taken() {
        stores.providers().create(NewProviderConfig.of("llm", "taken", Json.object()), CHANGE);

        assertThatThrownBy(() -> stores.providers().createAll(List.of(
                NewProviderConfig.of("llm", "fresh", Json.object()),
                NewProviderConfig.of("llm", "taken", Json.object()),
                NewProviderConfig.of("embed", "fresh", Json.object())), CHANGE))
                .isInstanceOf(DuplicateException.class)
                .hasMessageContaining("'taken'")
                .hasMessageContaining("none of the 3");
        assertThat(stores.providers().list()).extracting(ProviderConfig::name).containsExactly("taken");
    }

    @Test
    void a_batch_makes_the_first_provider_of_each_new_type_its_default_and_records_each_creation() {
        List<ProviderConfig> created = stores.providers().createAll(List.of(
                NewProviderConfig.of("llm", "a", Json.object()),
                NewProviderConfig.of("llm", "b", Json.object()),
                NewProviderConfig.of("embed", "c", Json.object())), CHANGE);

        assertThat(created).extracting(ProviderConfig::isDefault).containsExactly(true, false, true);
        for (ProviderConfig row : created) {
            assertThat(stores.history().list(EntityKind.PROVIDER_CONFIG, row.id()))
                    .extracting(HistoryEntry::version, HistoryEntry::changeType)
                    .containsExactly(tuple(1L, ChangeType.CREATE));
        }
    }

    @Test
    void changing_only_the_enabled_flag_is_recorded_as_disable_and_enable() {
        ProviderConfig row = stores.providers().create(NewProviderConfig.of("llm", "a", Json.object()), CHANGE);
        ProviderConfig disabled = stores.providers().update(copy(row, false), CHANGE);
        stores.providers().update(copy(disabled, true), CHANGE);

        assertThat(stores.history().list(EntityKind.PROVIDER_CONFIG, row.id())).extracting(HistoryEntry::changeType)
                .containsExactly(ChangeType.CREATE, ChangeType.DISABLE, ChangeType.ENABLE);
    }

    private static ProviderConfig copy(ProviderConfig row, boolean enabled) {
        return new ProviderConfig(row.id(), row.tenantId(), row.providerType(), row.name(), row.settings(),
                row.isDefault(), enabled, row.priority(), row.version(), row.createdAt(), row.updatedAt(),
                row.changedBy(), row.changeReason());
    }

    private List<HistoryEntry> lastEntries(int count) {
        List<HistoryEntry> all = stores.history().list(Instant.MIN, Instant.MAX, 0, 1000);
        return all.subList(all.size() - count, all.size());
    }

    private List<ChangeEvent> nextEvents(int count) throws InterruptedException {
        List<ChangeEvent> received = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChangeEvent event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("change event %s of %s", i + 1, count).isNotNull();
            received.add(event);
        }
        return received;
    }
}
