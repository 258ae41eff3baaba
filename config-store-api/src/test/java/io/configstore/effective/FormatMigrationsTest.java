package io.configstore.effective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ValidationException;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FormatMigrationsTest {

    static FormatMigrations threeVersions() {
        return FormatMigrations.builder(3)
                .add(1, 2, "rename host to endpoint", doc -> {
                    doc.set("endpoint", doc.remove("host"));
                    return doc;
                })
                .add(2, 3, "timeout in milliseconds", doc -> {
                    doc.put("timeoutMs", doc.remove("timeout").asInt() * 1000);
                    return doc;
                })
                .build();
    }

    @Test
    void a_document_two_versions_old_goes_through_both_migrations_in_order() {
        ObjectNode v1 = Json.parseObject("v1", "{\"host\":\"a.example\",\"timeout\":5}");

        ObjectNode current = threeVersions().upgrade("app", v1, 1);

        assertThat(Json.write(current)).isEqualTo("{\"endpoint\":\"a.example\",\"timeoutMs\":5000}");
        assertThat(Json.write(v1)).isEqualTo("{\"host\":\"a.example\",\"timeout\":5}");
        assertThat(threeVersions().plan("app", 1)).extracting(FormatMigration::toString)
                .containsExactly("1 -> 2 (rename host to endpoint)", "2 -> 3 (timeout in milliseconds)");
        assertThat(threeVersions().plan("app", 3)).isEmpty();
    }

    @Test
    void the_shortest_chain_is_chosen_when_there_are_two() {
        FormatMigrations migrations = FormatMigrations.builder(4)
                .add(1, 2, "one to two", doc -> doc.put("path", doc.path("path").asText() + "2"))
                .add(2, 3, "two to three", doc -> doc.put("path", doc.path("path").asText() + "3"))
                .add(3, 4, "three to four", doc -> doc.put("path", doc.path("path").asText() + "4"))
                .add(1, 3, "one to three directly", doc -> doc.put("path", doc.path("path").asText() + "3!"))
                .build();

        assertThat(migrations.plan("app", 1)).extracting(FormatMigration::description)
                .containsExactly("one to three directly", "three to four");
        assertThat(migrations.upgrade("app", Json.object().put("path", "1"), 1).get("path").asText())
                .isEqualTo("13!4");
        assertThat(migrations.plan("app", 2)).extracting(FormatMigration::description)
                .containsExactly("two to three", "three to four");
    }

    @Test
    void a_document_newer_than_the_code_is_refused() {
        assertThatThrownBy(() -> threeVersions().plan("app", 4))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("document 'app' has format version 4, newer than version 3")
                .hasMessageContaining("Upgrade the application");
    }

    @Test
    void a_missing_chain_is_an_error_naming_the_versions() {
        FormatMigrations gap = FormatMigrations.builder(3).add(2, 3, "two to three", doc -> doc).build();

        assertThatThrownBy(() -> gap.upgrade("app", Json.object(), 1))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("no chain of registered migrations leads from version 1 to version 3")
                .hasMessageContaining("registered: [2 -> 3 (two to three)]");
    }

    @Test
    void a_failing_or_empty_migration_is_an_error_naming_it() {
        FormatMigrations throwing = FormatMigrations.builder(2).add(1, 2, "explode", doc -> {
            throw new IllegalStateException("boom");
        }).build();
        FormatMigrations returningNull = FormatMigrations.builder(2).add(1, 2, "forget", doc -> null).build();

        assertThatThrownBy(() -> throwing.upgrade("app", Json.object(), 1)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("format migration 1 -> 2 (explode) of document 'app' failed");
        assertThatThrownBy(() -> returningNull.upgrade("app", Json.object(), 1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("returned null");
    }

    @Test
    void registering_a_bad_migration_is_refused() {
        assertThatThrownBy(() -> FormatMigrations.builder(3).add(2, 1, "down", doc -> doc))
                .isInstanceOf(ValidationException.class).hasMessageContaining("goes down");
        assertThatThrownBy(() -> FormatMigrations.builder(3).add(1, 4, "past", doc -> doc))
                .isInstanceOf(ValidationException.class).hasMessageContaining("past the current version 3");
        assertThatThrownBy(() -> FormatMigrations.builder(3).add(1, 2, "a", doc -> doc).add(1, 2, "b", doc -> doc))
                .isInstanceOf(ValidationException.class).hasMessageContaining("already registered");
    }

    @Test
    void resolving_an_old_document_without_a_store_says_to_load_it_through_the_store() {
        ConfigDocument old = new ConfigDocument("default", "app", Json.object(), 1, 1, Instant.EPOCH, "a", null);
        EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app").formatMigrations(threeVersions()).build();

        assertThatThrownBy(() -> loader.resolve(Optional.of(old))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("loadEffective(store)");
    }
}
