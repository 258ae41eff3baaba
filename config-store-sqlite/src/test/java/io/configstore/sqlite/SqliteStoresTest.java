package io.configstore.sqlite;

import static io.configstore.sqlite.SqliteTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.DuplicateException;
import io.configstore.error.StorageException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores over a real SQLite file: the behaviour the contract kit will check too, plus what only SQL shows. */
class SqliteStoresTest {
    private static final ChangeContext CHANGE = ChangeContext.by("alice", "testing");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07.891234Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Path db;
    private SecretCipher cipher;
    private StoreSet stores;

    @BeforeEach
    void open() {
        db = dir.resolve("stores.db");
        cipher = TestKeys.cipher();
        stores = reopen();
    }

    private StoreSet reopen() {
        return SqliteStoreSet.builder().path(db).cipher(cipher).clock(CLOCK).open();
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private static NewProviderConfig provider(String name) {
        return NewProviderConfig.of("openai", name, Json.parseObject("settings", "{\"model\":\"" + name + "\"}"));
    }

    @Test
    void the_first_provider_of_a_type_becomes_its_default() {
        ProviderConfig first = stores.providers().create(provider("a"), CHANGE);
        ProviderConfig second = stores.providers().create(provider("b"), CHANGE);
        assertThat(first.isDefault()).isTrue();
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.createdAt()).isEqualTo(Instant.parse("2025-03-04T05:06:07.891Z"));
        assertThat(first.changedBy()).isEqualTo("alice");
        assertThat(second.isDefault()).isFalse();
        assertThat(stores.providers().getDefault("openai")).contains(first);
    }

    @Test
    void creating_as_default_moves_the_default_and_bumps_both_versions() {
        ProviderConfig first = stores.providers().create(provider("a"), CHANGE);
        ProviderConfig second = stores.providers().create(provider("b").asDefault(), CHANGE);
        assertThat(second.isDefault()).isTrue();
        ProviderConfig oldDefault = stores.providers().get(first.id()).orElseThrow();
        assertThat(oldDefault.isDefault()).isFalse();
        assertThat(oldDefault.version()).isEqualTo(2);

        ProviderConfig back = stores.providers().setDefault(first.id(), CHANGE);
        assertThat(back.isDefault()).isTrue();
        assertThat(back.version()).isEqualTo(3);
        assertThat(stores.providers().get(second.id()).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void deleting_the_default_hands_it_to_the_best_enabled_provider() {
        ProviderConfig first = stores.providers().create(provider("a"), CHANGE);
        stores.providers().create(provider("b").withPriority(5).withEnabled(false), CHANGE);
        ProviderConfig c = stores.providers().create(provider("c").withPriority(50), CHANGE);
        stores.providers().delete(first.id(), CHANGE);
        assertThat(stores.providers().getDefault("openai")).get().extracting(ProviderConfig::id).isEqualTo(c.id());
        assertThat(stores.providers().resolve("openai")).get().extracting(ProviderConfig::id).isEqualTo(c.id());
    }

    @Test
    void the_database_allows_at_most_one_default_per_type() throws SQLException {
        stores.providers().create(provider("a"), CHANGE);
        stores.providers().create(provider("b"), CHANGE);
        assertThatThrownBy(() -> SqliteTestSupport.execute(db, "UPDATE provider_configs SET is_default = 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("UNIQUE");
    }

    @Test
    void a_duplicate_name_within_a_type_is_refused() {
        stores.providers().create(provider("a"), CHANGE);
        assertThatThrownBy(() -> stores.providers().create(provider("a"), CHANGE))
                .isInstanceOf(DuplicateException.class).hasMessageContaining("already has a provider named 'a'");
        assertThat(stores.providers().list()).hasSize(1);
    }

    @Test
    void a_stale_version_is_a_conflict_and_changes_nothing() {
        ProviderConfig read = stores.providers().create(provider("a"), CHANGE);
        stores.providers().update(read.withPriority(1), CHANGE);
        assertThatThrownBy(() -> stores.providers().update(read.withPriority(2), CHANGE))
                .isInstanceOf(VersionConflictException.class);
        assertThat(stores.providers().get(read.id()).orElseThrow().priority()).isEqualTo(1);
    }

    @Test
    void tenants_never_see_each_others_rows() {
        stores.providers().create(provider("a"), CHANGE);
        assertThat(stores.forTenant("other").providers().list()).isEmpty();
        assertThat(stores.forTenant("other").providers().getDefault("openai")).isEmpty();
    }

    @Test
    void api_keys_are_stored_encrypted_and_revealed_on_request() throws SQLException {
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-plaintext-123"), CHANGE);
        assertThat(key.encryptionKeyId()).isEqualTo("test");
        assertThat(stores.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-plaintext-123");
        String stored = query(db, "SELECT ciphertext FROM api_keys").get(0);
        assertThat(stored).startsWith("v1:test:").doesNotContain("sk-plaintext-123");
        assertThatThrownBy(() -> stores.apiKeys().store("openai", "prod", Secret.of("x"), CHANGE))
                .isInstanceOf(DuplicateException.class);
    }

    @Test
    void rotating_and_activating_keys_moves_the_active_one() {
        ApiKeyMetadata a = stores.apiKeys().store("openai", "a", Secret.of("1"), CHANGE);
        ApiKeyMetadata b = stores.apiKeys().store("openai", "b", Secret.of("2"), CHANGE);
        assertThat(stores.apiKeys().findActive("openai")).get().extracting(ApiKeyMetadata::id).isEqualTo(b.id());
        ApiKeyMetadata rotated = stores.apiKeys().rotate(a.id(), Secret.of("3"), CHANGE);
        assertThat(rotated.version()).isEqualTo(2);
        assertThat(stores.apiKeys().findActive("openai")).get().extracting(ApiKeyMetadata::id).isEqualTo(a.id());
        stores.apiKeys().deactivate(a.id(), CHANGE);
        assertThat(stores.apiKeys().findActive("openai")).get().extracting(ApiKeyMetadata::id).isEqualTo(b.id());
        stores.apiKeys().recordUsage(b.id());
        assertThat(stores.apiKeys().get(b.id()).orElseThrow().lastUsedAt()).isNotNull();
        assertThat(stores.apiKeys().get(b.id()).orElseThrow().version()).isEqualTo(1);
        assertThatThrownBy(() -> stores.apiKeys().recordUsage("no-such-key")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void save_is_compare_and_set() {
        ConfigDocument first = stores.documents().save("app", Json.parseObject("c", "{\"a\":1}"), 1,
                ConfigDocument.NO_REVISION, CHANGE);
        assertThat(first.revision()).isEqualTo(1);
        assertThatThrownBy(() -> stores.documents().save("app", Json.object(), 1, ConfigDocument.NO_REVISION, CHANGE))
                .isInstanceOf(VersionConflictException.class);
        ConfigDocument second = stores.documents().save("app", Json.parseObject("c", "{\"a\":2}"), 3, 1, CHANGE);
        assertThat(second.revision()).isEqualTo(2);
        assertThat(second.formatVersion()).isEqualTo(3);
        assertThatThrownBy(() -> stores.documents().delete("app", 1, CHANGE))
                .isInstanceOf(VersionConflictException.class);
        stores.documents().delete("app", 2, CHANGE);
        assertThat(stores.documents().load("app")).isEmpty();
    }

    @Test
    void an_update_that_changes_nothing_writes_nothing() {
        stores.documents().update("app", doc -> doc.put("a", 1), CHANGE);
        ConfigDocument same = stores.documents().update("app", doc -> doc, ChangeContext.by("bob"));
        assertThat(same.revision()).isEqualTo(1);
        assertThat(same.changedBy()).isEqualTo("alice");
    }

    @Test
    void a_unit_of_work_commits_everything_or_nothing() {
        stores.inUnitOfWork(tx -> {
            tx.providers().create(provider("a"), CHANGE);
            tx.apiKeys().store("openai", "a", Secret.of("k"), CHANGE);
            return null;
        });
        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            tx.providers().create(provider("b"), CHANGE);
            tx.documents().update("app", doc -> doc.put("x", 1), CHANGE);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(stores.providers().list()).extracting(ProviderConfig::name).containsExactly("a");
        assertThat(stores.documents().names()).isEmpty();
        assertThat(stores.apiKeys().list()).hasSize(1);
    }

    @Test
    void a_nested_unit_that_throws_undoes_only_its_own_writes() {
        stores.inUnitOfWork(outer -> {
            outer.providers().create(provider("kept"), CHANGE);
            try {
                stores.inUnitOfWork(inner -> {
                    inner.providers().create(provider("undone"), CHANGE);
                    throw new IllegalArgumentException("inner fails");
                });
            } catch (IllegalArgumentException expected) {
                // the outer unit goes on
            }
            // A failed store call inside the unit leaves the unit usable.
            assertThatThrownBy(() -> outer.providers().create(provider("kept"), CHANGE))
                    .isInstanceOf(DuplicateException.class);
            outer.forTenant("t2").documents().update("d", doc -> doc.put("y", 2), CHANGE);
            return null;
        });
        assertThat(stores.providers().list()).extracting(ProviderConfig::name).containsExactly("kept");
        assertThat(stores.forTenant("t2").documents().names()).containsExactly("d");
    }

    @Test
    void everything_survives_a_reopen() {
        ProviderConfig p = stores.providers().create(provider("a"), CHANGE);
        ApiKeyMetadata k = stores.apiKeys().store("openai", "a", Secret.of("secret-value"), CHANGE);
        stores.documents().update("app", doc -> doc.put("n", 7), CHANGE);
        stores.close();
        stores = reopen();
        assertThat(stores.providers().get(p.id())).contains(p);
        assertThat(stores.apiKeys().get(k.id())).contains(k);
        assertThat(stores.apiKeys().reveal(k.id()).reveal()).isEqualTo("secret-value");
        assertThat(stores.documents().load("app").orElseThrow().content().get("n").asInt()).isEqualTo(7);
    }

    @Test
    void bad_input_is_a_validation_error_and_changes_nothing() {
        assertThatThrownBy(() -> stores.providers().get("not an id")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> stores.providers().create(null, CHANGE)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> stores.documents().update("app", doc -> null, CHANGE))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> stores.forTenant("bad tenant")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> stores.providers().delete("unknown-id", CHANGE))
                .isInstanceOf(NotFoundException.class);
        assertThat(stores.documents().names()).isEmpty();
        assertThat(stores.providers().list()).isEmpty();
    }

    @Test
    void a_row_written_outside_configstore_that_breaks_the_rules_is_a_storage_error_naming_the_row_not_bad_input() throws SQLException {
        ProviderConfig stored = stores.providers().create(provider("good"), ChangeContext.by("test"));
        SqliteTestSupport.execute(db, "UPDATE provider_configs SET name = ' padded by hand' WHERE id = '"
                + stored.id() + "'");

        assertThatThrownBy(() -> stores.providers().list())
                .isInstanceOf(StorageException.class)
                .isNotInstanceOf(ValidationException.class)
                .hasMessageContaining("row with id '" + stored.id() + "'")
                .hasMessageContaining("correct or delete that row");
    }
}
