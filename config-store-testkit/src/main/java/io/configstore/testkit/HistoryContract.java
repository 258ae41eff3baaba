package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.awaitClockPast;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.EntityKind;
import io.configstore.crypto.Secret;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeHistory;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.history.PruneReport;
import io.configstore.history.RetentionPolicy;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change history: a row per write in the write's transaction, listing, rollback and retention. */
public interface HistoryContract extends StoreContract {

    private static List<ChangeType> types(ChangeHistory history, EntityKind entity, String id) {
        return history.list(entity, id).stream().map(HistoryEntry::changeType).toList();
    }

    private static List<HistoryEntry> all(StoreSet stores, String tenant) {
        List<HistoryEntry> entries = new ArrayList<>();
        int offset = 0;
        while (true) {
            List<HistoryEntry> page = stores.forTenant(tenant).history()
                    .list(Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)), offset, 100);
            entries.addAll(page);
            if (page.size() < 100) {
                return entries;
            }
            offset += 100;
        }
    }

    @Test
    default void every_provider_write_appends_one_row_of_its_change_type(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ProviderConfig first = stores.providers().create(provider("openai", "first"), CHANGE);
        ProviderConfig second = stores.providers().create(provider("openai", "second").asDefault(), CHANGE);
        ProviderConfig edited = stores.providers().update(stores.providers().get(first.id()).orElseThrow()
                .withPriority(5), CHANGE);
        ProviderConfig disabled = stores.providers().update(edited.withEnabled(false), CHANGE);
        stores.providers().update(disabled.withEnabled(true), CHANGE);
        stores.providers().setDefault(first.id(), CHANGE);
        stores.providers().delete(second.id(), CHANGE);

        ChangeHistory history = stores.history();
        assertThat(types(history, EntityKind.PROVIDER_CONFIG, first.id())).containsExactly(ChangeType.CREATE,
                ChangeType.DEFAULT_CHANGE, ChangeType.UPDATE, ChangeType.DISABLE, ChangeType.ENABLE,
                ChangeType.DEFAULT_CHANGE);
        assertThat(types(history, EntityKind.PROVIDER_CONFIG, second.id())).containsExactly(ChangeType.CREATE,
                ChangeType.DEFAULT_CHANGE, ChangeType.DELETE);
        ProviderConfig now = stores.providers().get(first.id()).orElseThrow();
        List<HistoryEntry> entries = history.list(EntityKind.PROVIDER_CONFIG, first.id());
        assertThat(entries).extracting(HistoryEntry::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(entries.get(entries.size() - 1).version()).isEqualTo(now.version());
        assertThat(EntitySnapshots.toProvider(entries.get(2).snapshotJson()).priority()).isEqualTo(5);
    }

    @Test
    default void every_key_and_document_write_appends_one_row_and_recording_a_use_appends_none(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-one"), CHANGE);
        stores.apiKeys().rotate(key.id(), Secret.of("sk-two"), CHANGE);
        stores.apiKeys().deactivate(key.id(), CHANGE);
        stores.apiKeys().deactivate(key.id(), CHANGE); // no change, no row
        stores.apiKeys().activate(key.id(), CHANGE);
        stores.apiKeys().recordUsage(key.id());
        stores.apiKeys().delete(key.id(), CHANGE);
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        stores.documents().saveValue("app", java.util.Map.of("v", "2"), doc.revision(), CHANGE);
        ConfigDocument updated = stores.documents().update("app", d -> d.put("v", "3"), CHANGE);
        stores.documents().update("app", d -> d, CHANGE); // no change, no row
        stores.documents().delete("app", updated.revision(), CHANGE);

        assertThat(types(stores.history(), EntityKind.API_KEY, key.id())).containsExactly(ChangeType.CREATE,
                ChangeType.KEY_ROTATION, ChangeType.DISABLE, ChangeType.ENABLE, ChangeType.DELETE);
        assertThat(types(stores.history(), EntityKind.CONFIG_DOCUMENT, "app")).containsExactly(ChangeType.CREATE,
                ChangeType.UPDATE, ChangeType.UPDATE, ChangeType.DELETE);
    }

    @Test
    default void deleting_the_default_records_its_deletion_before_the_heirs_default_change(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ProviderConfig theDefault = stores.providers().create(provider("openai", "first"), CHANGE);
        ProviderConfig worse = stores.providers().create(provider("openai", "worse", 50), CHANGE);
        ProviderConfig heir = stores.providers().create(provider("openai", "heir", 10), CHANGE);
        int before = all(stores, "default").size();

        stores.providers().delete(theDefault.id(), CHANGE);

        // The heir is ProviderSelection.successor's pick (the best enabled one), and its entry follows the deletion.
        assertThat(all(stores, "default").subList(before, before + 2))
                .extracting(e -> e.entityId() + " v" + e.version() + " " + e.changeType())
                .containsExactly(theDefault.id() + " v" + (theDefault.version() + 1) + " " + ChangeType.DELETE,
                        heir.id() + " v" + (heir.version() + 1) + " " + ChangeType.DEFAULT_CHANGE);
        assertThat(all(stores, "default")).hasSize(before + 2);
        assertThat(stores.providers().get(worse.id()).orElseThrow().isDefault()).isFalse();
    }

    @Test
    default void moving_the_default_records_the_old_defaults_change_before_the_new_defaults(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ProviderConfig old = stores.providers().create(provider("openai", "old"), CHANGE);
        ProviderConfig chosen = stores.providers().create(provider("openai", "chosen"), CHANGE);
        int before = all(stores, "default").size();

        stores.providers().setDefault(chosen.id(), CHANGE);

        assertThat(all(stores, "default").subList(before, before + 2))
                .extracting(e -> e.entityId() + " v" + e.version() + " " + e.changeType())
                .containsExactly(old.id() + " v" + (old.version() + 1) + " " + ChangeType.DEFAULT_CHANGE,
                        chosen.id() + " v" + (chosen.version() + 1) + " " + ChangeType.DEFAULT_CHANGE);
        assertThat(all(stores, "default")).hasSize(before + 2);
    }

    @Test
    default void an_entry_says_who_why_and_when_and_its_snapshot_is_the_state_after_the_write(StoreUnderTest store) {
        StoreSet stores = store.stores();
        Instant before = Instant.now().minusMillis(1);
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 3, ConfigDocument.NO_REVISION,
                ChangeContext.by("alice@example.com", "first cut"));

        HistoryEntry entry = stores.history().list(EntityKind.CONFIG_DOCUMENT, "app").get(0);

        assertThat(entry.tenantId()).isEqualTo("default");
        assertThat(entry.entityId()).isEqualTo("app");
        assertThat(entry.version()).isEqualTo(doc.revision());
        assertThat(entry.changedBy()).isEqualTo("alice@example.com");
        assertThat(entry.reason()).isEqualTo("first cut");
        assertThat(entry.changedAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(EntitySnapshots.toDocument(entry.snapshotJson())).isEqualTo(doc);
    }

    @Test
    default void a_rolled_back_unit_of_work_leaves_no_history_row(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ProviderConfig kept = stores.providers().create(provider("openai", "kept"), CHANGE);

        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            tx.providers().update(kept.withPriority(1), CHANGE);
            tx.documents().save("undone", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
            tx.apiKeys().store("openai", "undone", Secret.of("sk-undone"), CHANGE);
            assertThat(tx.history().list(EntityKind.CONFIG_DOCUMENT, "undone")).hasSize(1);
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(types(stores.history(), EntityKind.PROVIDER_CONFIG, kept.id())).containsExactly(ChangeType.CREATE);
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "undone")).isEmpty();
        assertThat(all(stores, "default")).hasSize(1);
    }

    @Test
    default void a_failed_write_leaves_no_history_row(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThatThrownBy(() -> stores.documents().save("app", json("v", "2"), 1, doc.revision() + 5, CHANGE))
                .isInstanceOf(io.configstore.error.VersionConflictException.class);

        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "app")).hasSize(1);
    }

    @Test
    default void listing_by_time_range_is_oldest_first_paged_and_of_one_tenant(StoreUnderTest store) {
        StoreSet stores = store.stores();
        stores.documents().save("early", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        Instant early = stores.history().list(EntityKind.CONFIG_DOCUMENT, "early").get(0).changedAt();
        awaitClockPast(early);
        Instant from = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        for (int i = 0; i < 5; i++) {
            stores.documents().save("doc" + i, json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        }
        stores.forTenant("acme").documents().save("other", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        Instant to = Instant.now().plusSeconds(1);

        List<HistoryEntry> firstPage = stores.history().list(from, to, 0, 3);
        List<HistoryEntry> secondPage = stores.history().list(from, to, 3, 3);

        assertThat(firstPage).extracting(HistoryEntry::entityId).containsExactly("doc0", "doc1", "doc2");
        assertThat(secondPage).extracting(HistoryEntry::entityId).containsExactly("doc3", "doc4");
        assertThat(stores.forTenant("acme").history().list(Instant.EPOCH, to, 0, 10))
                .extracting(HistoryEntry::entityId).containsExactly("other");
        assertThat(stores.history().list(Instant.EPOCH, from, 0, 10)).extracting(HistoryEntry::entityId)
                .containsExactly("early");
        assertThatThrownBy(() -> stores.history().list(to, from, 0, 10)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> stores.history().list(from, to, 0, 0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> stores.history().list(from, to, -1, 10)).isInstanceOf(ValidationException.class);
    }

    @Test
    default void listing_from_the_earliest_to_the_latest_instant_returns_every_entry(StoreUnderTest store) {
        StoreSet stores = store.stores();
        stores.documents().save("first", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        stores.documents().save("second", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        ChangeHistory history = stores.history();

        assertThat(history.list(Instant.MIN, Instant.MAX, 0, 10)).extracting(HistoryEntry::entityId)
                .containsExactly("first", "second");
        assertThat(history.list(Instant.EPOCH, Instant.MAX, 0, 10)).extracting(HistoryEntry::entityId)
                .containsExactly("first", "second");
        assertThat(history.list(Instant.MIN, Instant.EPOCH, 0, 10)).isEmpty();
        assertThat(history.list(Instant.MIN, Instant.MIN, 0, 10)).isEmpty();
        assertThat(history.list(Instant.MAX, Instant.MAX, 0, 10)).isEmpty();
        assertThat(history.list(Instant.MIN, Instant.MAX, 1, ChangeHistory.MAX_PAGE_SIZE))
                .extracting(HistoryEntry::entityId).containsExactly("second");
        assertThatThrownBy(() -> history.list(Instant.MAX, Instant.MIN, 0, 10))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    default void a_retention_of_forever_keeps_every_entry_and_idempotency_record(StoreUnderTest store) {
        StoreSet stores = store.stores();
        for (int i = 0; i < 3; i++) {
            stores.documents().update("busy", d -> d.put("n", d.path("n").asInt() + 1), CHANGE);
        }
        ChangeContext keyed = ChangeContext.by("actor").withIdempotencyKey("once");
        ConfigDocument first = stores.documents().save("keyed", json(), 1, ConfigDocument.NO_REVISION, keyed);
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

        for (Duration age : List.of(forever, Duration.ofSeconds(Long.MAX_VALUE), ChronoUnit.FOREVER.getDuration(),
                Duration.ofDays(365L * 1_000_000_000L))) {
            PruneReport report = stores.pruneHistory(RetentionPolicy.maxAge(age).withIdempotencyMaxAge(age));
            assertThat(report.historyEntries()).as("entries pruned with maxAge %s", age).isZero();
            assertThat(report.idempotencyRecords()).as("records pruned with maxAge %s", age).isZero();
        }
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "busy")).hasSize(3);
        // The kept idempotency record still answers the retry (which would otherwise conflict) with the first result.
        assertThat(stores.documents().save("keyed", json(), 1, ConfigDocument.NO_REVISION, keyed).revision())
                .isEqualTo(first.revision());
    }

    @Test
    default void rolling_back_an_update_restores_the_old_state_as_a_new_version(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ProviderConfig created = stores.providers().create(provider("openai", "prod"), CHANGE);
        ProviderConfig changed = stores.providers().update(created.withName("renamed")
                .withSettings(json("url", "https://changed.example")), CHANGE);

        HistoryEntry entry = stores.history().rollback(EntityKind.PROVIDER_CONFIG, created.id(), 1,
                ChangeContext.by("ops", "bad rename"));

        ProviderConfig restored = stores.providers().get(created.id()).orElseThrow();
        assertThat(restored.name()).isEqualTo("prod");
        assertThat(restored.settings()).isEqualTo(created.settings());
        assertThat(restored.version()).isEqualTo(changed.version() + 1);
        assertThat(restored.changedBy()).isEqualTo("ops");
        assertThat(entry.changeType()).isEqualTo(ChangeType.ROLLBACK);
        assertThat(entry.version()).isEqualTo(restored.version());
        assertThat(entry.reason()).isEqualTo("bad rename");
        assertThat(types(stores.history(), EntityKind.PROVIDER_CONFIG, created.id())).containsExactly(
                ChangeType.CREATE, ChangeType.UPDATE, ChangeType.ROLLBACK);
    }

    @Test
    default void rolling_back_a_deleted_entity_creates_it_again_with_its_id(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ProviderConfig provider = stores.providers().create(provider("openai", "prod"), CHANGE);
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 2, ConfigDocument.NO_REVISION, CHANGE);
        stores.providers().delete(provider.id(), CHANGE);
        stores.documents().delete("app", doc.revision(), CHANGE);

        stores.history().rollback(EntityKind.PROVIDER_CONFIG, provider.id(), 1, CHANGE);
        HistoryEntry docEntry = stores.history().rollback(EntityKind.CONFIG_DOCUMENT, "app", 1, CHANGE);

        ProviderConfig back = stores.providers().get(provider.id()).orElseThrow();
        assertThat(back.name()).isEqualTo("prod");
        assertThat(back.isDefault()).isTrue();
        ConfigDocument docBack = stores.documents().load("app").orElseThrow();
        assertThat(docBack.content()).isEqualTo(json("v", "1"));
        assertThat(docBack.formatVersion()).isEqualTo(2);
        assertThat(docEntry.version()).isEqualTo(3);
        assertThat(types(stores.history(), EntityKind.CONFIG_DOCUMENT, "app")).containsExactly(ChangeType.CREATE,
                ChangeType.DELETE, ChangeType.ROLLBACK);
        // Writes go on from the restored version.
        assertThat(stores.documents().save("app", json("v", "2"), 2, docBack.revision(), CHANGE).revision())
                .isEqualTo(docBack.revision() + 1);
    }

    @Test
    default void rolling_back_a_key_rotation_restores_the_old_secret(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-original"), CHANGE);
        stores.apiKeys().rotate(key.id(), Secret.of("sk-leaked"), CHANGE);
        stores.apiKeys().deactivate(key.id(), CHANGE);

        stores.history().rollback(EntityKind.API_KEY, key.id(), 1, CHANGE);

        ApiKeyMetadata back = stores.apiKeys().get(key.id()).orElseThrow();
        assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-original");
        assertThat(back.active()).isTrue();
        assertThat(back.version()).isEqualTo(4);
        assertThat(stores.apiKeys().findActive("openai")).map(ApiKeyMetadata::id).contains(key.id());

        stores.apiKeys().delete(key.id(), CHANGE);
        stores.history().rollback(EntityKind.API_KEY, key.id(), 2, CHANGE);
        assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-leaked");
    }

    @Test
    default void rolling_back_to_a_version_that_does_not_exist_or_to_a_deletion_is_refused(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        stores.documents().delete("app", doc.revision(), CHANGE);

        assertThatThrownBy(() -> stores.history().rollback(EntityKind.CONFIG_DOCUMENT, "app", 7, CHANGE))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("7");
        assertThatThrownBy(() -> stores.history().rollback(EntityKind.CONFIG_DOCUMENT, "nothing", 1, CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> stores.history().rollback(EntityKind.CONFIG_DOCUMENT, "app", 2, CHANGE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("deletion");
        assertThatThrownBy(() -> stores.history().rollback(null, "app", 1, CHANGE))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> stores.history().rollback(EntityKind.CONFIG_DOCUMENT, "app", 0, CHANGE))
                .isInstanceOf(ValidationException.class);
        assertThat(stores.documents().load("app")).isEmpty();
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "app")).hasSize(2);
    }

    @Test
    default void a_rollback_inside_a_unit_of_work_is_undone_with_it(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        stores.documents().save("app", json("v", "2"), 1, doc.revision(), CHANGE);

        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            tx.history().rollback(EntityKind.CONFIG_DOCUMENT, "app", 1, CHANGE);
            throw new IllegalStateException("undo");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(stores.documents().load("app").orElseThrow().content()).isEqualTo(json("v", "2"));
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "app")).hasSize(2);
    }

    @Test
    default void retention_keeps_the_newest_versions_and_never_the_latest_row_of_an_entity(StoreUnderTest store) {
        StoreSet stores = store.stores();
        for (int i = 0; i < 5; i++) {
            stores.documents().update("busy", d -> d.put("n", d.path("n").asInt() + 1), CHANGE);
        }
        ConfigDocument once = stores.documents().save("once", json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        stores.documents().delete("once", once.revision(), CHANGE);

        PruneReport kept2 = stores.pruneHistory(RetentionPolicy.keepVersions(2));

        assertThat(kept2.historyEntries()).isEqualTo(3);
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "busy")).extracting(HistoryEntry::version)
                .containsExactly(4L, 5L);
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "once")).hasSize(2);

        Instant last = stores.history().list(EntityKind.CONFIG_DOCUMENT, "busy").get(1).changedAt();
        awaitClockPast(last.plusMillis(5));
        PruneReport byAge = stores.pruneHistory(RetentionPolicy.maxAge(Duration.ofMillis(1)));

        assertThat(byAge.historyEntries()).isEqualTo(2);
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "busy")).extracting(HistoryEntry::version)
                .containsExactly(5L);
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "once")).extracting(HistoryEntry::changeType)
                .containsExactly(ChangeType.DELETE);
        // The next write goes on numbering after the kept row.
        stores.documents().update("busy", d -> d.put("n", 0), CHANGE);
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "busy")).extracting(HistoryEntry::version)
                .containsExactly(5L, 6L);
        assertThatThrownBy(() -> stores.pruneHistory(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> RetentionPolicy.keepVersions(0)).isInstanceOf(ValidationException.class);
    }

    @Test
    default void no_history_row_holds_a_plaintext_secret_and_no_entry_shows_its_ciphertext(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-PLAINTEXT-first-1234"), CHANGE);
        stores.apiKeys().rotate(key.id(), Secret.of("sk-PLAINTEXT-second-5678"), CHANGE);
        stores.apiKeys().deactivate(key.id(), CHANGE);
        stores.apiKeys().delete(key.id(), CHANGE);
        stores.history().rollback(EntityKind.API_KEY, key.id(), 2, CHANGE);

        ChangeContext keyed = ChangeContext.by("tester", "undo").withIdempotencyKey("rollback-1");
        HistoryEntry first = stores.history().rollback(EntityKind.API_KEY, key.id(), 1, keyed);
        HistoryEntry replayed = stores.history().rollback(EntityKind.API_KEY, key.id(), 1, keyed);
        assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-PLAINTEXT-first-1234");

        List<HistoryEntry> entries = new ArrayList<>(all(stores, "default"));
        entries.addAll(stores.history().list(EntityKind.API_KEY, key.id()));
        entries.add(first);
        entries.add(replayed);

        assertThat(all(stores, "default")).hasSize(6);
        for (HistoryEntry entry : entries) {
            assertThat(entry.snapshot()).doesNotContain("PLAINTEXT").doesNotContain("v1:");
            assertThat(entry.snapshotJson().has(EntitySnapshots.CIPHERTEXT)).isFalse();
            assertThat(entry.snapshotJson().path("keyName").asText()).isEqualTo("prod");
            assertThat(entry.toString()).doesNotContain("PLAINTEXT");
        }
    }

    @Test
    default void history_is_there_after_reopen_and_numbering_goes_on(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        ProviderConfig created = stores.providers().create(provider("openai", "prod"), CHANGE);
        stores.providers().update(created.withPriority(3), CHANGE);

        StoreSet reopened = store.reopen();

        assertThat(types(reopened.history(), EntityKind.PROVIDER_CONFIG, created.id()))
                .containsExactly(ChangeType.CREATE, ChangeType.UPDATE);
        reopened.history().rollback(EntityKind.PROVIDER_CONFIG, created.id(), 1, CHANGE);
        assertThat(reopened.providers().get(created.id()).orElseThrow().priority()).isEqualTo(created.priority());
        assertThat(reopened.history().list(EntityKind.PROVIDER_CONFIG, created.id()))
                .extracting(HistoryEntry::version).containsExactly(1L, 2L, 3L);
    }

    @Test
    default void rolling_a_key_back_to_a_secret_whose_master_key_is_gone_fails_clearly_and_changes_nothing(
            StoreUnderTest store) throws Exception {
        io.configstore.crypto.KeyRing ring = io.configstore.crypto.KeyRing.of(
                io.configstore.crypto.MasterKey.generateAes256("old"));
        StoreSet stores = store.openAnother(ring);
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-under-old"), CHANGE);
        ring.addKey(io.configstore.crypto.MasterKey.generateAes256("new"));
        ring.makePrimary("new");
        stores.secrets().rewrap(10, report -> { }, CHANGE);
        stores.apiKeys().rotate(key.id(), Secret.of("sk-under-new"), CHANGE);
        ring.disable("old");

        assertThatThrownBy(() -> stores.history().rollback(EntityKind.API_KEY, key.id(), 1, CHANGE))
                .isInstanceOf(io.configstore.error.CryptoException.class).hasMessageContaining("'old'")
                .hasMessageContaining("master key").hasMessageNotContaining("sk-under");

        assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-under-new");
        assertThat(types(stores.history(), EntityKind.API_KEY, key.id())).containsExactly(ChangeType.CREATE,
                ChangeType.KEY_ROTATION);
        ring.enable("old");
        stores.history().rollback(EntityKind.API_KEY, key.id(), 1, CHANGE);
        assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-under-old");
    }

    @Test
    default void an_api_key_deletion_keeps_no_ciphertext_and_is_no_rollback_target(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-deleted"), CHANGE);
        stores.apiKeys().delete(key.id(), CHANGE);
        assertThat(store.storedHistory()).contains("v1:");

        // Retention never prunes an entity's latest entry: only the deletion stays, and it holds no ciphertext.
        stores.pruneHistory(RetentionPolicy.keepVersions(1));

        assertThat(stores.history().list(EntityKind.API_KEY, key.id())).extracting(HistoryEntry::changeType)
                .containsExactly(ChangeType.DELETE);
        String stored = store.storedHistory();
        assertThat(stored).contains(key.id()).doesNotContain("v1:").doesNotContain(EntitySnapshots.CIPHERTEXT)
                .doesNotContain("sk-deleted");
        assertThatThrownBy(() -> stores.history().rollback(EntityKind.API_KEY, key.id(), 2, CHANGE))
                .isInstanceOf(ValidationException.class).hasMessageContaining("deletion");
        assertThatThrownBy(() -> stores.history().rollback(EntityKind.API_KEY, key.id(), 1, CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThat(stores.apiKeys().list()).isEmpty();
    }

    @Test
    default void history_calls_check_ids_by_entity_kind(StoreUnderTest store) {
        ChangeHistory history = store.stores().history();
        assertThatThrownBy(() -> history.list(EntityKind.PROVIDER_CONFIG, "not an id"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> history.list(EntityKind.API_KEY, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> history.rollback(EntityKind.API_KEY, "bad id", 1, CHANGE))
                .isInstanceOf(ValidationException.class);
        assertThat(history.list(EntityKind.CONFIG_DOCUMENT, "my app")).isEmpty();
        assertThatThrownBy(() -> history.rollback(EntityKind.CONFIG_DOCUMENT, "my app", 1, CHANGE))
                .isInstanceOf(NotFoundException.class);
    }
}
