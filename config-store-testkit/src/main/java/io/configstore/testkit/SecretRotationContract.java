package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.KeyRing;
import io.configstore.crypto.MasterKey;
import io.configstore.crypto.Secret;
import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.store.RewrapReport;
import io.configstore.store.StoreSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Master-key rotation through {@link StoreSet#secrets()}: rewrap every stored secret under a new primary key, in
 * batches that survive an interruption, and remove the old key only once nothing needs it.
 */
public interface SecretRotationContract extends StoreContract {

    /** A store set on the location opened with a key ring whose primary is {@code old}. */
    private static StoreSet openWithRing(StoreUnderTest store, KeyRing ring) throws Exception {
        return store.openAnother(ring);
    }

    /** Stores {@code count} keys over two tenants and returns id to secret. */
    private static Map<String, String> storeSecrets(StoreSet stores, int count) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String secret = "sk-rotation-" + i + "-ü";
            String tenant = i % 2 == 0 ? "default" : "acme";
            ApiKeyMetadata key = stores.forTenant(tenant).apiKeys()
                    .store("openai", "key-" + i, Secret.of(secret), CHANGE);
            secrets.put(tenant + "/" + key.id(), secret);
        }
        return secrets;
    }

    private static void assertAllReveal(StoreSet stores, Map<String, String> secrets) {
        secrets.forEach((tenantAndId, secret) -> {
            String[] parts = tenantAndId.split("/", 2);
            assertThat(stores.forTenant(parts[0]).apiKeys().reveal(parts[1]).reveal()).isEqualTo(secret);
        });
    }

    @Test
    default void rewrap_moves_every_secret_of_every_tenant_to_the_new_primary_key(StoreUnderTest store)
            throws Exception {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("old"));
        StoreSet stores = openWithRing(store, ring);
        Map<String, String> secrets = storeSecrets(stores, 7);
        ring.addKey(MasterKey.generateAes256("new"));
        ring.makePrimary("new");

        List<RewrapReport> progress = new ArrayList<>();
        RewrapReport report = stores.secrets().rewrap(3, progress::add, CHANGE);

        assertThat(report.rewrapped()).isEqualTo(7);
        assertThat(report.batches()).isEqualTo(3);
        assertThat(report.complete()).isTrue();
        assertThat(progress).extracting(RewrapReport::rewrapped).containsExactly(3L, 6L, 7L);
        assertThat(stores.secrets().countByKeyId()).containsOnlyKeys("new").containsEntry("new", 7L);
        ring.disable("old");
        assertAllReveal(stores, secrets);
    }

    @Test
    default void an_interrupted_rewrap_keeps_its_finished_batches_and_a_second_run_finishes_the_work(
            StoreUnderTest store) throws Exception {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("old"));
        StoreSet stores = openWithRing(store, ring);
        Map<String, String> secrets = storeSecrets(stores, 10);
        ring.addKey(MasterKey.generateAes256("new"));
        ring.makePrimary("new");

        AtomicInteger batches = new AtomicInteger();
        assertThatThrownBy(() -> stores.secrets().rewrap(4, soFar -> {
            if (batches.incrementAndGet() == 1) {
                throw new IllegalStateException("the process dies after the first batch");
            }
        }, CHANGE)).isInstanceOf(IllegalStateException.class);
        assertThat(stores.secrets().countByKeyId()).containsEntry("new", 4L).containsEntry("old", 6L);

        RewrapReport second = stores.secrets().rewrap(4, soFar -> { }, CHANGE);

        assertThat(second.rewrapped()).isEqualTo(6);
        assertThat(second.complete()).isTrue();
        ring.disable("old");
        stores.secrets().removeKey("old");
        assertAllReveal(stores, secrets);
    }

    @Test
    default void removing_a_key_that_still_encrypts_secrets_is_refused_with_their_count(StoreUnderTest store)
            throws Exception {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("old"));
        StoreSet stores = openWithRing(store, ring);
        Map<String, String> secrets = storeSecrets(stores, 3);
        ring.addKey(MasterKey.generateAes256("new"));
        ring.makePrimary("new");
        ring.disable("old");

        assertThatThrownBy(() -> stores.secrets().removeKey("old"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("3 stored secret(s) are still encrypted with master key 'old'")
                .hasMessageContaining("rewrap");
        ring.enable("old");
        assertAllReveal(stores, secrets);
    }

    @Test
    default void counting_rewrap_and_removal_go_by_the_key_inside_each_ciphertext_not_the_key_id_beside_it(
            StoreUnderTest store) throws Exception {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("old"));
        StoreSet stores = openWithRing(store, ring);
        Map<String, String> secrets = storeSecrets(stores, 3);
        ring.addKey(MasterKey.generateAes256("new"));
        ring.makePrimary("new");
        ring.disable("old");
        // Every row now says "new" beside its ciphertext, while every ciphertext still needs "old".
        store.relabelStoredKeyIds("new");

        assertThat(stores.secrets().countByKeyId()).containsOnlyKeys("old").containsEntry("old", 3L);
        assertThatThrownBy(() -> stores.secrets().removeKey("old"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("3 stored secret(s) are still encrypted with master key 'old'");
        ring.enable("old");
        assertAllReveal(stores, secrets);

        RewrapReport report = stores.secrets().rewrap(2, soFar -> { }, CHANGE);

        assertThat(report.rewrapped()).isEqualTo(3);
        assertThat(stores.secrets().countByKeyId()).containsOnlyKeys("new");
        ring.disable("old");
        stores.secrets().removeKey("old");
        assertAllReveal(stores, secrets);
    }

    @Test
    default void a_rewrap_bumps_each_version_but_keeps_updated_at_and_the_active_key(StoreUnderTest store)
            throws Exception {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("old"));
        StoreSet stores = openWithRing(store, ring);
        ApiKeyMetadata first = stores.apiKeys().store("openai", "first", Secret.of("sk-1"), CHANGE);
        Samples.awaitClockPast(first.updatedAt());
        ApiKeyMetadata second = stores.apiKeys().store("openai", "second", Secret.of("sk-2"), CHANGE);
        ring.addKey(MasterKey.generateAes256("new"));
        ring.makePrimary("new");

        stores.secrets().rewrap(1, soFar -> { }, CHANGE);

        ApiKeyMetadata rewrapped = stores.apiKeys().get(first.id()).orElseThrow();
        assertThat(rewrapped.version()).isEqualTo(first.version() + 1);
        assertThat(rewrapped.updatedAt()).isEqualTo(first.updatedAt());
        assertThat(rewrapped.encryptionKeyId()).isEqualTo("new");
        assertThat(stores.apiKeys().findActive("openai")).map(ApiKeyMetadata::id).contains(second.id());
    }

    @Test
    default void secrets_stored_after_a_new_primary_are_written_under_it_and_a_second_rewrap_has_nothing_to_do(
            StoreUnderTest store) throws Exception {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("old"));
        StoreSet stores = openWithRing(store, ring);
        ring.addKey(MasterKey.generateAes256("new"));
        ring.makePrimary("new");

        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of("sk-new"), CHANGE);

        assertThat(key.encryptionKeyId()).isEqualTo("new");
        RewrapReport report = stores.secrets().rewrap(10, soFar -> { }, CHANGE);
        assertThat(report.rewrapped()).isZero();
        assertThat(report.batches()).isZero();
    }

    @Test
    default void a_secret_that_cannot_be_decrypted_stops_the_rewrap_with_a_crypto_error_naming_the_row(
            StoreUnderTest store) throws Exception {
        KeyRing writer = KeyRing.of(MasterKey.generateAes256("lost"));
        storeSecrets(openWithRing(store, writer), 1);
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("new"));
        StoreSet stores = openWithRing(store, ring);

        assertThatThrownBy(() -> stores.secrets().rewrap(10, soFar -> { }, CHANGE))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("key-0")
                .hasMessageContaining("lost");
        assertThat(stores.secrets().countByKeyId()).containsEntry("lost", 1L);
    }

    @Test
    default void a_rewrap_batch_size_outside_1_to_10000_is_rejected(StoreUnderTest store) {
        assertThatThrownBy(() -> store.stores().secrets().rewrap(0, soFar -> { }, CHANGE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("batchSize");
        assertThatThrownBy(() -> store.stores().secrets().rewrap(10_001, soFar -> { }, CHANGE))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.stores().secrets().rewrap(10, null, CHANGE))
                .isInstanceOf(ValidationException.class);
    }
}
