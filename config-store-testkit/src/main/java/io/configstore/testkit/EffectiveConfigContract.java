package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.effective.FormatMigrations;
import io.configstore.effective.FormatUpgrade;
import io.configstore.effective.Origin;
import io.configstore.effective.UnknownKeys;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.ConfigStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Effective configuration over a real store: environment and command line laid over the stored document, origins
 * naming the stored revision, overrides never written back, and format upgrades saved on load.
 */
public interface EffectiveConfigContract extends StoreContract {

    /** The stored document the tests start from. */
    private static ObjectNode appDocument() {
        return Json.parseObject("app", """
                {"server":{"host":"localhost","port":8080},"maxConnections":10,"hosts":["a","b"]}""");
    }

    /** A loader with one environment variable and one flag over the document {@code app}. */
    private static EffectiveConfigLoader overridingLoader() {
        return EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_SERVER__PORT", "8081", "CONFIGSTORE_HOSTS__1", "env-b"))
                .commandLine(List.of("--server.host=flag-host", "serve"))
                .build();
    }

    @Test
    default void the_effective_view_lays_environment_and_flags_over_the_stored_document(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument first = documents.save("app", appDocument(), 1, ConfigDocument.NO_REVISION, CHANGE);
        documents.save("app", appDocument().put("maxConnections", 12), 1, first.revision(), CHANGE);

        EffectiveConfig effective = overridingLoader().loadEffective(documents);

        // Compared as trees, not text: a backend may keep keys in another order (PostgreSQL's JSONB does).
        assertThat(effective.tree()).isEqualTo(Json.parseObject("expected", """
                {"server":{"host":"flag-host","port":8081},"maxConnections":12,"hosts":["a","env-b"]}"""));
        assertThat(effective.positionalArguments()).containsExactly("serve");
        assertThat(effective.explain("maxConnections").orElseThrow().origin())
                .isEqualTo(Origin.storedDocument("app", 2));
        assertThat(effective.explain("server.port").orElseThrow().origin())
                .isEqualTo(Origin.environmentVariable("CONFIGSTORE_SERVER__PORT"));
        assertThat(effective.explain("server.port").orElseThrow().overridden())
                .singleElement().satisfies(lost -> {
                    assertThat(lost.origin().toString()).isEqualTo("store: document 'app' revision 2");
                    assertThat(lost.value().asInt()).isEqualTo(8080);
                });
        assertThat(effective.explain("server.host").orElseThrow().origin())
                .isEqualTo(Origin.argument(0, "--server.host"));
        assertThat(effective.stored().orElseThrow().revision()).isEqualTo(2);
    }

    @Test
    default void loading_writes_nothing_and_saving_writes_only_the_raw_document(StoreUnderTest store)
            throws Exception {
        ConfigStore documents = store.stores().documents();
        ConfigDocument stored = documents.save("app", appDocument(), 1, ConfigDocument.NO_REVISION, CHANGE);

        EffectiveConfig effective = overridingLoader().loadEffective(documents);
        assertThat(documents.load("app")).contains(stored);

        ConfigDocument saved = effective.saveStored(documents, doc -> doc.put("maxConnections", 40),
                ChangeContext.by("operator", "more connections"));

        ObjectNode expected = appDocument().put("maxConnections", 40);
        assertThat(saved.revision()).isEqualTo(stored.revision() + 1);
        assertThat(saved.content()).isEqualTo(expected);
        ConfigDocument reread = store.reopen().documents().load("app").orElseThrow();
        assertThat(reread.content()).isEqualTo(expected);
        assertThat(Json.write(reread.content())).doesNotContain("8081", "flag-host", "env-b");

        EffectiveConfig again = overridingLoader().loadEffective(store.stores().documents());
        assertThat(again.explain("maxConnections").orElseThrow().origin())
                .isEqualTo(Origin.storedDocument("app", saved.revision()));
        assertThat(again.tree().at("/server/port").asInt()).isEqualTo(8081);
    }

    @Test
    default void saving_after_the_stored_document_moved_on_is_a_conflict_and_changes_nothing(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument stored = documents.save("app", appDocument(), 1, ConfigDocument.NO_REVISION, CHANGE);
        EffectiveConfig effective = overridingLoader().loadEffective(documents);
        ConfigDocument moved = documents.save("app", appDocument().put("maxConnections", 11), 1, stored.revision(),
                CHANGE);

        assertThatThrownBy(() -> effective.saveStored(documents, doc -> doc.put("maxConnections", 40), CHANGE))
                .isInstanceOf(VersionConflictException.class);

        assertThat(documents.load("app")).contains(moved);
    }

    @Test
    default void without_a_stored_document_saving_creates_it_raw(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        EffectiveConfig effective = EffectiveConfigLoader.builder("app")
                .environment(Map.of("CONFIGSTORE_PORT", "1"), "CONFIGSTORE_", UnknownKeys.IGNORE)
                .build()
                .loadEffective(documents);
        assertThat(effective.stored()).isEmpty();
        assertThat(effective.ignored()).containsExactly("CONFIGSTORE_PORT");

        ConfigDocument created = effective.saveStored(documents, doc -> doc.put("port", 2), CHANGE);

        assertThat(created.revision()).isEqualTo(1);
        assertThat(created.formatVersion()).isEqualTo(ConfigStore.INITIAL_FORMAT_VERSION);
        assertThat(documents.load("app").orElseThrow().content()).isEqualTo(Json.object().put("port", 2));
    }

    /** Three format versions: 1 has {@code host}, 2 renames it {@code endpoint}, 3 adds {@code timeoutMs}. */
    private static FormatMigrations threeVersions() {
        return FormatMigrations.builder(3)
                .add(1, 2, "rename host to endpoint", doc -> {
                    doc.set("endpoint", doc.remove("host"));
                    return doc;
                })
                .add(2, 3, "timeout in milliseconds", doc -> doc.put("timeoutMs", doc.path("timeout").asInt() * 1000))
                .build();
    }

    @Test
    default void a_document_older_than_the_code_is_upgraded_on_load_and_saved_upgraded(StoreUnderTest store)
            throws Exception {
        ConfigStore documents = store.stores().documents();
        documents.save("app", Json.object().put("host", "a.example").put("timeout", 5), 1,
                ConfigDocument.NO_REVISION, CHANGE);
        EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app")
                .formatMigrations(threeVersions())
                .commandLine(List.of("--endpoint=flag.example"))
                .build();

        EffectiveConfig effective = loader.loadEffective(documents);

        assertThat(effective.formatUpgrade()).hasValueSatisfying(upgrade -> {
            assertThat(upgrade.fromVersion()).isEqualTo(1);
            assertThat(upgrade.applied()).extracting(m -> m.from() + "->" + m.to()).containsExactly("1->2", "2->3");
        });
        assertThat(effective.tree().get("endpoint").asText()).isEqualTo("flag.example");
        assertThat(effective.explain("endpoint").orElseThrow().overridden()).singleElement()
                .satisfies(lost -> assertThat(lost.origin()).isEqualTo(Origin.storedDocument("app", 2)));
        ConfigDocument upgraded = store.reopen().documents().load("app").orElseThrow();
        assertThat(upgraded.formatVersion()).isEqualTo(3);
        assertThat(upgraded.revision()).isEqualTo(2);
        assertThat(upgraded.changedBy()).isEqualTo(EffectiveConfigLoader.FORMAT_UPGRADE_ACTOR);
        assertThat(upgraded.content()).isEqualTo(Json.parseObject("expected",
                "{\"timeout\":5,\"endpoint\":\"a.example\",\"timeoutMs\":5000}"));

        EffectiveConfig second = loader.loadEffective(store.stores().documents());
        assertThat(second.formatUpgrade()).isEmpty();
        assertThat(store.stores().documents().load("app").orElseThrow().revision()).isEqualTo(2);
    }

    @Test
    default void a_document_newer_than_the_code_is_refused_and_left_as_it_is(StoreUnderTest store) {
        ConfigStore documents = store.stores().documents();
        ConfigDocument newer = documents.save("app", Json.object().put("future", true), 4,
                ConfigDocument.NO_REVISION, CHANGE);
        EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app").formatMigrations(threeVersions()).build();

        assertThatThrownBy(() -> loader.loadEffective(documents)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("format version 4, newer than version 3");

        assertThat(documents.load("app")).contains(newer);
    }

    @Test
    default void effective_configuration_reads_the_tenant_of_the_store_it_is_given(StoreUnderTest store) {
        store.stores().documents().save("app", appDocument(), 1, ConfigDocument.NO_REVISION, CHANGE);
        ConfigStore acme = store.stores().forTenant("acme").documents();
        acme.save("app", Json.object().put("maxConnections", 99), 1, ConfigDocument.NO_REVISION, CHANGE);

        EffectiveConfig effective = EffectiveConfigLoader.builder("app").build().loadEffective(acme);

        assertThat(effective.tree()).isEqualTo(Json.object().put("maxConnections", 99));
    }

    @Test
    default void an_upgrade_that_races_another_writer_is_redone_on_a_fresh_read(StoreUnderTest store)
            throws Exception {
        ConfigStore documents = store.stores().documents();
        ConfigStore otherInstance = store.openAnother().documents();
        ConfigDocument v1 = documents.save("app", Json.object().put("host", "a.example"), 1,
                ConfigDocument.NO_REVISION, CHANGE);
        AtomicInteger runs = new AtomicInteger();
        FormatMigrations racing = FormatMigrations.builder(2).add(1, 2, "rename host to endpoint", doc -> {
            if (runs.getAndIncrement() == 0) {
                // Another instance saves between this upgrade's read and its write.
                otherInstance.save("app", Json.object().put("host", "b.example"), 1, v1.revision(), CHANGE);
            }
            doc.set("endpoint", doc.remove("host"));
            return doc;
        }).build();

        FormatUpgrade upgrade = racing.loadUpgraded(documents, "app", CHANGE).orElseThrow();

        assertThat(runs.get()).isEqualTo(2);
        assertThat(upgrade.document().revision()).isEqualTo(3);
        assertThat(upgrade.document().formatVersion()).isEqualTo(2);
        assertThat(upgrade.document().content()).isEqualTo(Json.object().put("endpoint", "b.example"));
        assertThat(documents.load("app")).contains(upgrade.document());
    }
}
