package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.model.Versioned;
import io.configstore.store.ConfigStore;
import io.configstore.store.StoreSet;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ConfigStore: compare-and-set saves, typed access and read-modify-write updates. */
public interface ConfigStoreContract extends StoreContract {

    /** A host type documents are bound to. */
    record AppSettings(String endpoint, int maxConnections, List<String> features) {
    }

    @Test
    default void load_of_an_absent_document_is_empty(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();

        assertThat(documents.load("app")).isEmpty();
        assertThat(documents.load("app", AppSettings.class)).isEmpty();
        assertThat(documents.names()).isEmpty();
    }

    @Test
    default void saving_a_new_document_with_NO_REVISION_stores_revision_1(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();

        ConfigDocument saved = documents.save("app", json("endpoint", "a"), 3, ConfigDocument.NO_REVISION,
                ChangeContext.by("alice", "initial"));

        assertThat(saved.revision()).isEqualTo(1);
        assertThat(saved.formatVersion()).isEqualTo(3);
        assertThat(saved.name()).isEqualTo("app");
        assertThat(saved.tenantId()).isEqualTo("default");
        assertThat(saved.content()).isEqualTo(json("endpoint", "a"));
        assertThat(saved.changedBy()).isEqualTo("alice");
        assertThat(saved.changeReason()).isEqualTo("initial");
        assertThat(documents.load("app")).contains(saved);
    }

    @Test
    default void saving_with_the_revision_read_stores_the_next_revision(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument first = documents.save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);

        ConfigDocument second = documents.save("app", json("v", "2"), 2, first.revision(), ChangeContext.by("bob"));

        assertThat(second.revision()).isEqualTo(2);
        assertThat(second.formatVersion()).isEqualTo(2);
        assertThat(second.changedBy()).isEqualTo("bob");
        assertThat(documents.load("app").orElseThrow().content()).isEqualTo(json("v", "2"));
    }

    @Test
    default void saving_with_a_stale_revision_is_a_conflict_and_changes_nothing(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument first = documents.save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        ConfigDocument second = documents.save("app", json("v", "2"), 1, first.revision(), CHANGE);

        assertThatThrownBy(() -> documents.save("app", json("v", "lost"), 1, first.revision(), CHANGE))
                .isInstanceOf(VersionConflictException.class);
        assertThatThrownBy(() -> documents.save("app", json("v", "future"), 1, 7, CHANGE))
                .isInstanceOf(VersionConflictException.class);

        assertThat(documents.load("app")).contains(second);
    }

    @Test
    default void saving_a_new_document_when_one_exists_is_a_conflict(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument existing = documents.save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThatThrownBy(() -> documents.save("app", json("v", "2"), 1, ConfigDocument.NO_REVISION, CHANGE))
                .isInstanceOf(VersionConflictException.class);

        assertThat(documents.load("app")).contains(existing);
    }

    @Test
    default void saving_an_absent_document_with_a_revision_is_a_conflict(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();

        assertThatThrownBy(() -> documents.save("app", json("v", "1"), 1, 1, CHANGE))
                .isInstanceOf(VersionConflictException.class);

        assertThat(documents.load("app")).isEmpty();
    }

    @Test
    default void names_are_sorted(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        for (String name : List.of("zeta", "Alpha", "beta", "alpha")) {
            documents.save(name, json(), 1, ConfigDocument.NO_REVISION, CHANGE);
        }

        assertThat(documents.names()).containsExactly("Alpha", "alpha", "beta", "zeta");
    }

    @Test
    default void delete_with_the_revision_read_removes_the_document(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument saved = documents.save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        documents.save("other", json(), 1, ConfigDocument.NO_REVISION, CHANGE);

        documents.delete("app", saved.revision(), CHANGE);

        assertThat(documents.load("app")).isEmpty();
        assertThat(documents.names()).containsExactly("other");
        ConfigDocument recreated = documents.save("app", json("v", "new"), 1, ConfigDocument.NO_REVISION, CHANGE);
        assertThat(recreated.revision()).isEqualTo(1);
    }

    @Test
    default void delete_with_a_stale_revision_is_a_conflict_and_of_an_absent_document_not_found(
            StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument first = documents.save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        ConfigDocument second = documents.save("app", json("v", "2"), 1, first.revision(), CHANGE);

        assertThatThrownBy(() -> documents.delete("app", first.revision(), CHANGE))
                .isInstanceOf(VersionConflictException.class);
        assertThatThrownBy(() -> documents.delete("absent", 1, CHANGE)).isInstanceOf(NotFoundException.class);

        assertThat(documents.load("app")).contains(second);
    }

    @Test
    default void a_host_type_round_trips_through_saveValue_and_typed_load(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        AppSettings settings = new AppSettings("https://api.example", 20, List.of("a", "b"));

        ConfigDocument saved = documents.saveValue("app", settings, ConfigDocument.NO_REVISION, CHANGE);

        assertThat(saved.revision()).isEqualTo(1);
        assertThat(saved.formatVersion()).isEqualTo(ConfigStore.INITIAL_FORMAT_VERSION);
        Versioned<AppSettings> loaded = documents.load("app", AppSettings.class).orElseThrow();
        assertThat(loaded.value()).isEqualTo(settings);
        assertThat(loaded.revision()).isEqualTo(1);
        assertThat(documents.load("app").orElseThrow().content().get("maxConnections").asInt()).isEqualTo(20);
    }

    @Test
    default void saveValue_keeps_the_stored_format_version_and_checks_the_revision(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument v4 = documents.save("app", json("endpoint", "a"), 4, ConfigDocument.NO_REVISION, CHANGE);

        ConfigDocument saved = documents.saveValue("app", new AppSettings("b", 1, List.of()), v4.revision(),
                CHANGE);

        assertThat(saved.formatVersion()).isEqualTo(4);
        assertThat(saved.revision()).isEqualTo(2);
        assertThatThrownBy(() -> documents.saveValue("app", new AppSettings("c", 1, List.of()), v4.revision(),
                CHANGE)).isInstanceOf(VersionConflictException.class);
        assertThat(documents.load("app")).contains(saved);
    }

    @Test
    default void typed_load_of_a_document_that_does_not_fit_the_type_is_a_validation_error(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ObjectNode wrong = json();
        wrong.putObject("maxConnections").put("not", "a number");
        documents.save("app", wrong, 1, ConfigDocument.NO_REVISION, CHANGE);

        assertThatThrownBy(() -> documents.load("app", AppSettings.class)).isInstanceOf(ValidationException.class);
    }

    @Test
    default void update_of_an_absent_document_starts_from_an_empty_object(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();

        ConfigDocument created = documents.update("app", doc -> {
            assertThat(doc).isEqualTo(json());
            return doc.put("maxConnections", 10);
        }, ChangeContext.by("carol", "first"));

        assertThat(created.revision()).isEqualTo(1);
        assertThat(created.formatVersion()).isEqualTo(ConfigStore.INITIAL_FORMAT_VERSION);
        assertThat(created.changedBy()).isEqualTo("carol");
        assertThat(documents.load("app")).contains(created);
        assertThat(created.content().get("maxConnections").asInt()).isEqualTo(10);
    }

    @Test
    default void update_applies_the_function_to_the_stored_document_and_keeps_the_format_version(
            StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument stored = documents.save("app", json("endpoint", "a"), 5, ConfigDocument.NO_REVISION, CHANGE);

        ConfigDocument updated = documents.update("app", doc -> doc.put("extra", "b"), CHANGE);

        assertThat(updated.revision()).isEqualTo(stored.revision() + 1);
        assertThat(updated.formatVersion()).isEqualTo(5);
        assertThat(updated.content()).isEqualTo(json("endpoint", "a", "extra", "b"));
        assertThat(documents.load("app")).contains(updated);
    }

    @Test
    default void update_whose_function_returns_an_equal_document_writes_nothing(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument stored = documents.save("app", json("endpoint", "a"), 1, ConfigDocument.NO_REVISION,
                ChangeContext.by("alice"));

        ConfigDocument same = documents.update("app", doc -> doc.put("endpoint", "a"), ChangeContext.by("bob"));

        assertThat(same.revision()).isEqualTo(stored.revision());
        assertThat(same.changedBy()).isEqualTo("alice");
        assertThat(documents.load("app")).contains(stored);
    }

    @Test
    default void update_that_throws_leaves_the_document_unchanged_and_rethrows(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument stored = documents.save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, CHANGE);
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> documents.update("app", doc -> {
            doc.put("v", "half-done");
            throw boom;
        }, CHANGE)).isSameAs(boom);

        assertThat(documents.load("app")).contains(stored);
    }

    @Test
    default void typed_update_binds_applies_and_converts_back(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        documents.saveValue("app", new AppSettings("a", 1, List.of("x")), ConfigDocument.NO_REVISION, CHANGE);

        Versioned<AppSettings> updated = documents.update("app", AppSettings.class,
                s -> new AppSettings(s.endpoint(), s.maxConnections() + 1, s.features()), CHANGE);

        assertThat(updated.value()).isEqualTo(new AppSettings("a", 2, List.of("x")));
        assertThat(updated.revision()).isEqualTo(2);
        assertThat(documents.load("app", AppSettings.class).orElseThrow().value()).isEqualTo(updated.value());
    }

    @Test
    default void typed_update_of_an_absent_document_binds_an_empty_object(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();

        Versioned<AppSettings> created = documents.update("app", AppSettings.class, s -> {
            assertThat(s.endpoint()).isNull();
            assertThat(s.maxConnections()).isZero();
            return new AppSettings("fresh", 3, List.of());
        }, CHANGE);

        assertThat(created.revision()).isEqualTo(1);
        assertThat(created.formatVersion()).isEqualTo(ConfigStore.INITIAL_FORMAT_VERSION);
        assertThat(documents.load("app", AppSettings.class).orElseThrow().value())
                .isEqualTo(new AppSettings("fresh", 3, List.of()));
    }

    @Test
    default void documents_handed_in_and_out_are_copies(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ObjectNode content = json("v", "original");
        ConfigDocument saved = documents.save("app", content, 1, ConfigDocument.NO_REVISION, CHANGE);

        content.put("v", "changed by caller after save");
        saved.content().put("v", "changed through the returned document");
        documents.load("app").orElseThrow().content().put("v", "changed through load");
        ObjectNode[] captured = new ObjectNode[1];
        documents.update("app", doc -> {
            captured[0] = doc;
            return doc.put("w", "2");
        }, CHANGE);
        captured[0].put("v", "changed after update returned");

        assertThat(documents.load("app").orElseThrow().content()).isEqualTo(json("v", "original", "w", "2"));
    }

    @Test
    default void documents_keep_nested_structure_and_value_types(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ObjectNode content = json("text", "héllo \"quoted\" \\ ✓");
        content.put("int", 42).put("negative", -7).put("bool", true).put("decimal", 1.5).putNull("nothing");
        content.putObject("nested").putArray("list").add(1).add("two").addObject().put("three", 3);

        documents.save("app", content, 1, ConfigDocument.NO_REVISION, CHANGE);

        ObjectNode read = documents.load("app").orElseThrow().content();
        assertThat(read.get("text").asText()).isEqualTo("héllo \"quoted\" \\ ✓");
        assertThat(read.get("int").asInt()).isEqualTo(42);
        assertThat(read.get("negative").asInt()).isEqualTo(-7);
        assertThat(read.get("bool").asBoolean()).isTrue();
        assertThat(read.get("decimal").asDouble()).isEqualTo(1.5);
        assertThat(read.get("nothing").isNull()).isTrue();
        assertThat(read.at("/nested/list/1").asText()).isEqualTo("two");
        assertThat(read.at("/nested/list/2/three").asInt()).isEqualTo(3);
    }

    @Test
    default void numbers_read_back_as_the_save_returned_them_before_and_after_a_reopen(StoreUnderTest store)
            throws Exception {
        // 1.10 (a trailing zero), -0.0, 1e300 and a 20-digit integer: each as a tree built in code and as parsed
        // text. Whatever canonical form the library gives them, save returns it and every read (after a reopen too,
        // which reads what the storage really kept) returns the same, on every backend.
        ObjectNode content = json();
        content.put("decimal", new BigDecimal("1.10")).put("negativeZero", -0.0)
                .put("huge", new BigDecimal("1e300"))
                .put("twentyDigits", new BigInteger("12345678901234567890"));
        content.set("parsed", Json.parseObject("parsed",
                "{\"decimal\":1.10,\"negativeZero\":-0.0,\"huge\":1e300,\"twentyDigits\":12345678901234567890}"));
        ObjectNode settings = content.deepCopy();

        ConfigDocument saved = store.stores().documents().save("numbers", content, 1, ConfigDocument.NO_REVISION,
                CHANGE);
        ProviderConfig created = store.stores().providers().create(
                NewProviderConfig.of("openai", "numbers", settings), CHANGE);

        assertSameJson(store.stores().documents().load("numbers").orElseThrow().content(), saved.content());
        assertSameJson(store.stores().providers().get(created.id()).orElseThrow().settings(), created.settings());
        StoreSet reopened = store.reopen();
        assertSameJson(reopened.documents().load("numbers").orElseThrow().content(), saved.content());
        assertSameJson(reopened.providers().get(created.id()).orElseThrow().settings(), created.settings());
    }

    /**
     * Equal as trees and as text with the keys sorted: node equality alone may call 1.1 and 1.10 the same, and the
     * order of keys is not what this checks (a JSON column may keep them in its own order).
     */
    private static void assertSameJson(ObjectNode actual, ObjectNode expected) {
        assertThat(Json.write(sortedKeys(actual))).isEqualTo(Json.write(sortedKeys(expected)));
        assertThat(actual).isEqualTo(expected);
    }

    private static JsonNode sortedKeys(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode sorted = Json.object();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        Collections.sort(names);
        for (String name : names) {
            sorted.set(name, sortedKeys(node.get(name)));
        }
        return sorted;
    }
}
