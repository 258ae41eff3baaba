package io.configstore.testkit;

import static io.configstore.testkit.Samples.DEADLINE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.EntityKind;
import io.configstore.crypto.Secret;
import io.configstore.error.DuplicateException;
import io.configstore.error.IdempotencyConflictException;
import io.configstore.history.HistoryEntry;
import io.configstore.history.RetentionPolicy;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idempotent writes: a retried key returns the first result, a reused key for another request is a conflict. */
public interface IdempotencyContract extends StoreContract {

    /** A change by the kit carrying {@code key}. */
    private static ChangeContext keyed(String key) {
        return ChangeContext.by("contract-kit", "idempotent").withIdempotencyKey(key);
    }

    @Test
    default void replaying_a_key_returns_the_first_result_without_writing_again(StoreUnderTest store) {
        StoreSet stores = store.stores();

        ProviderConfig first = stores.providers().create(provider("openai", "prod"), keyed("create-1"));
        ProviderConfig again = stores.providers().create(provider("openai", "prod"), keyed("create-1"));

        assertThat(again).isEqualTo(first);
        assertThat(stores.providers().list()).hasSize(1);
        assertThat(stores.history().list(EntityKind.PROVIDER_CONFIG, first.id())).hasSize(1);

        ConfigDocument doc = stores.documents().update("app", d -> d.put("n", d.path("n").asInt() + 1),
                keyed("bump-1"));
        ConfigDocument replayed = stores.documents().update("app", d -> d.put("n", d.path("n").asInt() + 1),
                keyed("bump-1"));
        assertThat(replayed).isEqualTo(doc);
        assertThat(stores.documents().load("app").orElseThrow().content().get("n").asInt()).isEqualTo(1);

        stores.documents().delete("app", doc.revision(), keyed("delete-1"));
        stores.documents().delete("app", doc.revision(), keyed("delete-1")); // a replay, not a NotFound
        assertThat(stores.documents().load("app")).isEmpty();
    }

    @Test
    default void a_key_replays_after_the_store_is_opened_again(StoreUnderTest store) throws Exception {
        StoreSet stores = store.stores();
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), keyed("store-1"));

        StoreSet reopened = store.reopen();
        ApiKeyMetadata again = reopened.apiKeys().store("openai", "prod", Secret.of("sk-1"), keyed("store-1"));

        assertThat(again).isEqualTo(key);
        assertThat(reopened.apiKeys().list()).hasSize(1);
        assertThat(reopened.apiKeys().reveal(key.id()).reveal()).isEqualTo("sk-1");
    }

    @Test
    default void the_same_key_for_a_different_request_is_a_conflict_and_writes_nothing(StoreUnderTest store) {
        StoreSet stores = store.stores();
        stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), keyed("k"));

        assertThatThrownBy(() -> stores.apiKeys().store("openai", "prod", Secret.of("sk-2"), keyed("k")))
                .isInstanceOf(IdempotencyConflictException.class).hasMessageContaining("'k'")
                .hasMessageNotContaining("sk-2").hasMessageNotContaining("sk-1");
        assertThatThrownBy(() -> stores.documents().save("app", json(), 1, ConfigDocument.NO_REVISION, keyed("k")))
                .isInstanceOf(IdempotencyConflictException.class);
        assertThatThrownBy(() -> stores.forTenant("acme").apiKeys().store("openai", "prod", Secret.of("sk-1"),
                keyed("k"))).isInstanceOf(IdempotencyConflictException.class);

        assertThat(stores.documents().names()).isEmpty();
        assertThat(stores.forTenant("acme").apiKeys().list()).isEmpty();
        assertThat(stores.apiKeys().reveal(stores.apiKeys().list().get(0).id()).reveal()).isEqualTo("sk-1");
    }

    @Test
    default void keys_are_scoped_by_actor(StoreUnderTest store) {
        StoreSet stores = store.stores();

        stores.documents().update("app", d -> d.put("n", d.path("n").asInt() + 1),
                ChangeContext.by("alice").withIdempotencyKey("same"));
        stores.documents().update("app", d -> d.put("n", d.path("n").asInt() + 1),
                ChangeContext.by("bob").withIdempotencyKey("same"));

        assertThat(stores.documents().load("app").orElseThrow().content().get("n").asInt()).isEqualTo(2);
    }

    @Test
    default void a_write_that_fails_records_nothing_so_the_key_can_be_used_again(StoreUnderTest store) {
        StoreSet stores = store.stores();
        stores.providers().create(provider("openai", "prod"), ChangeContext.by("other"));

        assertThatThrownBy(() -> stores.providers().create(provider("openai", "prod"), keyed("retry")))
                .isInstanceOf(DuplicateException.class);
        ProviderConfig created = stores.providers().create(provider("openai", "staging"), keyed("retry"));

        assertThat(created.name()).isEqualTo("staging");
    }

    @Test
    default void a_key_used_in_a_rolled_back_unit_of_work_is_not_recorded(StoreUnderTest store) {
        StoreSet stores = store.stores();

        assertThatThrownBy(() -> stores.inUnitOfWork(tx -> {
            tx.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION, keyed("unit"));
            throw new IllegalStateException("undo");
        })).isInstanceOf(IllegalStateException.class);
        ConfigDocument saved = stores.documents().save("app", json("v", "2"), 1, ConfigDocument.NO_REVISION,
                keyed("unit"));

        assertThat(saved.content()).isEqualTo(json("v", "2"));
    }

    @Test
    default void two_concurrent_replays_of_one_key_write_once_and_return_the_same_result(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        StoreSet second = store.openAnother();
        int rounds = 5;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                String key = "concurrent-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ConfigDocument>> results = new ArrayList<>();
                for (StoreSet set : List.of(stores, second)) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return set.documents().update("counter", d -> d.put("n", d.path("n").asInt() + 1),
                                keyed(key));
                    }));
                }
                start.countDown();
                ConfigDocument a = results.get(0).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                ConfigDocument b = results.get(1).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertThat(a).isEqualTo(b);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stores.documents().load("counter").orElseThrow().content().get("n").asInt()).isEqualTo(rounds);
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "counter")).hasSize(rounds);
    }

    @Test
    default void a_rollback_with_a_key_replays_too(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ConfigDocument doc = stores.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION,
                keyed("save"));
        stores.documents().save("app", json("v", "2"), 1, doc.revision(), keyed("save-2"));

        HistoryEntry first = stores.history().rollback(EntityKind.CONFIG_DOCUMENT, "app", 1, keyed("undo"));
        HistoryEntry again = stores.history().rollback(EntityKind.CONFIG_DOCUMENT, "app", 1, keyed("undo"));

        assertThat(again).isEqualTo(first);
        assertThat(stores.history().list(EntityKind.CONFIG_DOCUMENT, "app")).hasSize(3);
    }

    @Test
    default void pruned_records_no_longer_replay(StoreUnderTest store) {
        StoreSet stores = store.stores();
        ConfigDocument first = stores.documents().update("app", d -> d.put("n", d.path("n").asInt() + 1),
                keyed("old"));
        Samples.awaitClockPast(first.updatedAt());

        long pruned = stores.pruneHistory(RetentionPolicy.keepVersions(10).withIdempotencyMaxAge(Duration.ZERO))
                .idempotencyRecords();
        stores.documents().update("app", d -> d.put("n", d.path("n").asInt() + 1), keyed("old"));

        assertThat(pruned).isEqualTo(1);
        assertThat(stores.documents().load("app").orElseThrow().content().get("n").asInt()).isEqualTo(2);
        assertThat(RetentionPolicy.keepVersions(1).idempotencyMaxAge())
                .isEqualTo(RetentionPolicy.DEFAULT_IDEMPOTENCY_MAX_AGE);
    }

    @Test
    default void no_idempotency_record_holds_a_secret_its_sha256_or_a_ciphertext(StoreUnderTest store)
            throws Exception {
        StoreSet stores = store.stores();
        String first = "sk-PLAINTEXT-stored-4242";
        String second = "sk-PLAINTEXT-rotated-4343";
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of(first), keyed("store"));
        stores.apiKeys().rotate(key.id(), Secret.of(second), keyed("rotate"));
        stores.history().rollback(EntityKind.API_KEY, key.id(), 1, keyed("rollback"));

        String records = store.storedIdempotencyRecords();

        assertThat(records).contains(key.id()).contains("store").contains("rotate").contains("rollback");
        for (String secret : List.of(first, second)) {
            String hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(records).doesNotContain(secret).doesNotContain("PLAINTEXT")
                    .doesNotContainIgnoringCase(hex);
        }
        assertThat(records).doesNotContain("ciphertext").doesNotContain("v1:");
    }

    @Test
    default void a_key_store_or_rotation_replays_only_with_the_same_secret_and_an_unchanged_key(
            StoreUnderTest store) {
        StoreSet stores = store.stores();
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), keyed("s1"));

        assertThat(stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), keyed("s1"))).isEqualTo(key);
        assertThatThrownBy(() -> stores.apiKeys().store("openai", "prod", Secret.of("sk-other"), keyed("s1")))
                .isInstanceOf(IdempotencyConflictException.class).hasMessageContaining("'s1'")
                .hasMessageNotContaining("sk-");

        ApiKeyMetadata rotated = stores.apiKeys().rotate(key.id(), Secret.of("sk-2"), keyed("r1"));
        // The stored key has changed version since: the store's replay is refused, conservatively.
        assertThatThrownBy(() -> stores.apiKeys().store("openai", "prod", Secret.of("sk-1"), keyed("s1")))
                .isInstanceOf(IdempotencyConflictException.class);
        assertThat(stores.apiKeys().rotate(key.id(), Secret.of("sk-2"), keyed("r1"))).isEqualTo(rotated);
        assertThatThrownBy(() -> stores.apiKeys().rotate(key.id(), Secret.of("sk-3"), keyed("r1")))
                .isInstanceOf(IdempotencyConflictException.class).hasMessageNotContaining("sk-");

        stores.apiKeys().delete(key.id(), keyed("d1"));
        assertThatThrownBy(() -> stores.apiKeys().rotate(key.id(), Secret.of("sk-2"), keyed("r1")))
                .isInstanceOf(IdempotencyConflictException.class);
        assertThat(stores.apiKeys().list()).isEmpty();
    }
}
