package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.awaitClockPast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.error.CryptoException;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.StoreSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ApiKeyStore: encrypted storage, redaction, rotation, activation and usage. */
public interface ApiKeyStoreContract extends StoreContract {

    @Test
    default void a_stored_key_is_active_at_version_1_with_its_metadata(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();

        ApiKeyMetadata stored = keys.store("openai", "prod", Secret.of("sk-live-123"),
                ChangeContext.by("alice", "onboarding"));

        assertThat(stored.id()).isNotBlank();
        assertThat(stored.tenantId()).isEqualTo("default");
        assertThat(stored.providerType()).isEqualTo("openai");
        assertThat(stored.keyName()).isEqualTo("prod");
        assertThat(stored.active()).isTrue();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.encryptionKeyId()).isNotBlank();
        assertThat(stored.lastUsedAt()).isNull();
        assertThat(stored.changedBy()).isEqualTo("alice");
        assertThat(stored.changeReason()).isEqualTo("onboarding");
        assertThat(keys.get(stored.id())).contains(stored);
    }

    @Test
    default void get_of_an_unknown_key_id_is_empty(StoreUnderTest store) {
        assertThat(store.stores().apiKeys().get(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    default void key_list_orders_by_type_then_key_name_and_listByType_by_key_name(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        keys.store("openai", "zeta", Secret.of("1"), CHANGE);
        keys.store("anthropic", "main", Secret.of("2"), CHANGE);
        keys.store("openai", "alpha", Secret.of("3"), CHANGE);

        assertThat(keys.list()).extracting(k -> k.providerType() + "/" + k.keyName())
                .containsExactly("anthropic/main", "openai/alpha", "openai/zeta");
        assertThat(keys.listByType("openai")).extracting(ApiKeyMetadata::keyName).containsExactly("alpha", "zeta");
        assertThat(keys.listByType("mistral")).isEmpty();
    }

    @Test
    default void metadata_and_secret_never_show_the_secret_in_toString(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        String plaintext = "sk-very-secret-value-4711";
        Secret secret = Secret.of(plaintext);

        ApiKeyMetadata stored = keys.store("openai", "prod", secret, CHANGE);

        assertThat(secret.toString()).doesNotContain(plaintext).doesNotContain("4711");
        assertThat(stored.toString()).doesNotContain(plaintext);
        assertThat(keys.list().toString()).doesNotContain(plaintext);
        assertThat(keys.reveal(stored.id()).toString()).doesNotContain(plaintext);
        assertThat(store.stores().toString()).doesNotContain(plaintext);
    }

    @Test
    default void reveal_returns_exactly_the_secret_stored_including_non_ascii_and_long_ones(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        String nonAscii = "clé-Schlüssel-鍵-🔑-ключ";
        String longSecret = "x".repeat(Secret.MAX_BYTES - 1) + "!";
        ApiKeyMetadata a = keys.store("openai", "non-ascii", Secret.of(nonAscii), CHANGE);
        ApiKeyMetadata b = keys.store("openai", "long", Secret.of(longSecret), CHANGE);
        ApiKeyMetadata c = keys.store("openai", "short", Secret.of("k"), CHANGE);

        assertThat(keys.reveal(a.id()).reveal()).isEqualTo(nonAscii);
        assertThat(keys.reveal(b.id()).reveal()).isEqualTo(longSecret);
        assertThat(keys.reveal(c.id()).reveal()).isEqualTo("k");
    }

    @Test
    default void reveal_of_an_unknown_id_is_not_found(StoreUnderTest store) {
        assertThatThrownBy(() -> store.stores().apiKeys().reveal(UUID.randomUUID().toString()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    default void secrets_are_really_encrypted_with_the_store_key_so_another_key_cannot_reveal_them(
            StoreUnderTest store) throws Exception {
        ApiKeyMetadata stored = store.stores().apiKeys().store("openai", "prod", Secret.of("sk-abc"), CHANGE);

        // Another key: only a real encryption with the store's key makes this fail.
        StoreSet withOtherKey = store.openAnother(StoreUnderTest.freshCipher("other-key"));

        assertThat(withOtherKey.apiKeys().get(stored.id())).contains(stored);
        assertThatThrownBy(() -> withOtherKey.apiKeys().reveal(stored.id()))
                .isInstanceOf(CryptoException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-abc"));
        assertThat(store.stores().apiKeys().reveal(stored.id()).reveal()).isEqualTo("sk-abc");
    }

    @Test
    default void opening_with_the_wrong_material_under_the_stores_key_id_fails_at_open_as_a_wrong_key(
            StoreUnderTest store) {
        store.stores().apiKeys().store("openai", "prod", Secret.of("sk-abc"), CHANGE);

        assertThatThrownBy(() -> store.openAnother(StoreUnderTest.freshCipher("contract-key")))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("master key 'contract-key' is the wrong key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-abc"));
        assertThat(store.stores().apiKeys().reveal(store.stores().apiKeys().list().get(0).id()).reveal())
                .isEqualTo("sk-abc");
    }

    @Test
    default void a_duplicate_key_name_within_a_type_is_rejected_but_fine_in_another_type(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata original = keys.store("openai", "prod", Secret.of("first"), CHANGE);

        assertThatThrownBy(() -> keys.store("openai", "prod", Secret.of("second"), CHANGE))
                .isInstanceOf(DuplicateException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("second"));
        keys.store("anthropic", "prod", Secret.of("third"), CHANGE);

        assertThat(keys.listByType("openai")).containsExactly(original);
        assertThat(keys.reveal(original.id()).reveal()).isEqualTo("first");
    }

    @Test
    default void findActive_hands_out_the_most_recently_stored_active_key(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata older = keys.store("openai", "b-older", Secret.of("1"), CHANGE);
        awaitClockPast(older.updatedAt());
        ApiKeyMetadata newer = keys.store("openai", "a-newer", Secret.of("2"), CHANGE);
        keys.store("anthropic", "other-type", Secret.of("3"), CHANGE);

        assertThat(keys.findActive("openai")).map(ApiKeyMetadata::id).contains(newer.id());

        keys.deactivate(newer.id(), CHANGE);
        assertThat(keys.findActive("openai")).map(ApiKeyMetadata::id).contains(older.id());
        assertThat(keys.findActive("mistral")).isEmpty();
    }

    @Test
    default void findActive_prefers_a_key_rotated_or_activated_more_recently(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata first = keys.store("openai", "first", Secret.of("1"), CHANGE);
        awaitClockPast(first.updatedAt());
        ApiKeyMetadata second = keys.store("openai", "second", Secret.of("2"), CHANGE);
        awaitClockPast(second.updatedAt());

        ApiKeyMetadata rotated = keys.rotate(first.id(), Secret.of("1b"), CHANGE);
        assertThat(keys.findActive("openai")).map(ApiKeyMetadata::id).contains(first.id());

        ApiKeyMetadata off = keys.deactivate(second.id(), CHANGE);
        awaitClockPast(rotated.updatedAt().isAfter(off.updatedAt()) ? rotated.updatedAt() : off.updatedAt());
        keys.activate(second.id(), CHANGE);
        assertThat(keys.findActive("openai")).map(ApiKeyMetadata::id).contains(second.id());
    }

    @Test
    default void findActive_is_empty_when_every_key_of_the_type_is_inactive(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata a = keys.store("openai", "a", Secret.of("1"), CHANGE);
        ApiKeyMetadata b = keys.store("openai", "b", Secret.of("2"), CHANGE);

        keys.deactivate(a.id(), CHANGE);
        keys.deactivate(b.id(), CHANGE);

        assertThat(keys.findActive("openai")).isEmpty();
    }

    @Test
    default void rotate_replaces_the_secret_and_bumps_the_version(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata stored = keys.store("openai", "prod", Secret.of("old-secret"), CHANGE);

        ApiKeyMetadata rotated = keys.rotate(stored.id(), Secret.of("new-secret"), ChangeContext.by("bob", "leak"));

        assertThat(rotated.version()).isEqualTo(2);
        assertThat(rotated.changedBy()).isEqualTo("bob");
        assertThat(rotated.changeReason()).isEqualTo("leak");
        assertThat(rotated.id()).isEqualTo(stored.id());
        assertThat(rotated.createdAt()).isEqualTo(stored.createdAt());
        assertThat(keys.get(stored.id())).contains(rotated);
        assertThat(keys.reveal(stored.id()).reveal()).isEqualTo("new-secret");
    }

    @Test
    default void rotate_of_an_unknown_id_is_not_found(StoreUnderTest store) {
        assertThatThrownBy(() -> store.stores().apiKeys().rotate(UUID.randomUUID().toString(), Secret.of("x"),
                CHANGE)).isInstanceOf(NotFoundException.class);
        assertThat(store.stores().apiKeys().list()).isEmpty();
    }

    @Test
    default void deactivate_and_activate_bump_the_version_only_when_the_state_changes(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata stored = keys.store("openai", "prod", Secret.of("s"), CHANGE);

        ApiKeyMetadata activeAgain = keys.activate(stored.id(), CHANGE);
        assertThat(activeAgain.version()).isEqualTo(1);
        assertThat(activeAgain.active()).isTrue();

        ApiKeyMetadata off = keys.deactivate(stored.id(), ChangeContext.by("carol"));
        assertThat(off.active()).isFalse();
        assertThat(off.version()).isEqualTo(2);
        assertThat(off.changedBy()).isEqualTo("carol");

        ApiKeyMetadata offAgain = keys.deactivate(stored.id(), CHANGE);
        assertThat(offAgain.version()).isEqualTo(2);
        assertThat(offAgain.active()).isFalse();

        ApiKeyMetadata on = keys.activate(stored.id(), CHANGE);
        assertThat(on.active()).isTrue();
        assertThat(on.version()).isEqualTo(3);
        assertThat(keys.get(stored.id())).contains(on);
        assertThat(keys.reveal(stored.id()).reveal()).isEqualTo("s");
    }

    @Test
    default void an_inactive_key_can_still_be_revealed(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata stored = keys.store("openai", "prod", Secret.of("still-here"), CHANGE);
        keys.deactivate(stored.id(), CHANGE);

        assertThat(keys.reveal(stored.id()).reveal()).isEqualTo("still-here");
    }

    @Test
    default void activate_and_deactivate_of_an_unknown_id_are_not_found(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        String unknown = UUID.randomUUID().toString();

        assertThatThrownBy(() -> keys.activate(unknown, CHANGE)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> keys.deactivate(unknown, CHANGE)).isInstanceOf(NotFoundException.class);
    }

    @Test
    default void delete_removes_the_key_and_its_secret(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata gone = keys.store("openai", "gone", Secret.of("1"), CHANGE);
        ApiKeyMetadata kept = keys.store("openai", "kept", Secret.of("2"), CHANGE);

        keys.delete(gone.id(), CHANGE);

        assertThat(keys.get(gone.id())).isEmpty();
        assertThat(keys.list()).containsExactly(kept);
        assertThatThrownBy(() -> keys.reveal(gone.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> keys.delete(gone.id(), CHANGE)).isInstanceOf(NotFoundException.class);
        ApiKeyMetadata again = keys.store("openai", "gone", Secret.of("3"), CHANGE);
        assertThat(keys.reveal(again.id()).reveal()).isEqualTo("3");
    }

    @Test
    default void recordUsage_sets_lastUsedAt_without_bumping_the_version(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata stored = keys.store("openai", "prod", Secret.of("s"), CHANGE);

        keys.recordUsage(stored.id());

        ApiKeyMetadata used = keys.get(stored.id()).orElseThrow();
        assertThat(used.lastUsedAt()).isNotNull().isAfterOrEqualTo(stored.createdAt());
        assertThat(used.version()).isEqualTo(stored.version());
        assertThat(used.active()).isTrue();
        assertThat(used.changedBy()).isEqualTo(stored.changedBy());
        assertThat(keys.reveal(stored.id()).reveal()).isEqualTo("s");
    }

    @Test
    default void recordUsage_of_an_unknown_id_is_not_found(StoreUnderTest store) {
        assertThatThrownBy(() -> store.stores().apiKeys().recordUsage(UUID.randomUUID().toString()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    default void the_caller_may_destroy_its_secret_after_storing_it(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        Secret secret = Secret.of("caller-owned");
        ApiKeyMetadata stored = keys.store("openai", "prod", secret, CHANGE);

        secret.destroy();

        assertThat(keys.reveal(stored.id()).reveal()).isEqualTo("caller-owned");
    }

    @Test
    default void sealed_returns_the_stored_ciphertext_bound_to_its_row_which_the_stores_cipher_opens(
            StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata stored = keys.store("openai", "prod", Secret.of("sk-sealed-42"), CHANGE);

        io.configstore.crypto.SealedSecret sealed = keys.sealed(stored.id());

        assertThat(sealed.masterKeyId()).isEqualTo(stored.encryptionKeyId());
        assertThat(sealed.binding().rowId()).isEqualTo(stored.id());
        assertThat(sealed.binding().keyName()).isEqualTo("prod");
        assertThat(sealed.ciphertext()).doesNotContain("sk-sealed-42");
        assertThat(sealed.toString()).doesNotContain(sealed.ciphertext()).doesNotContain("sk-sealed-42");
        assertThat(store.stores().secrets().open(sealed).reveal()).isEqualTo("sk-sealed-42");
    }

    @Test
    default void sealed_follows_a_rotation_and_of_an_unknown_id_is_not_found(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata stored = keys.store("openai", "prod", Secret.of("old"), CHANGE);
        String before = keys.sealed(stored.id()).ciphertext();

        keys.rotate(stored.id(), Secret.of("new"), CHANGE);

        assertThat(keys.sealed(stored.id()).ciphertext()).isNotEqualTo(before);
        assertThat(store.stores().secrets().open(keys.sealed(stored.id())).reveal()).isEqualTo("new");
        assertThatThrownBy(() -> keys.sealed(UUID.randomUUID().toString())).isInstanceOf(NotFoundException.class);
    }

    @Test
    default void a_sealed_secret_moved_to_another_row_does_not_open(StoreUnderTest store) {
        ApiKeyStore keys = store.stores().apiKeys();
        ApiKeyMetadata a = keys.store("openai", "a", Secret.of("secret-a"), CHANGE);
        ApiKeyMetadata b = keys.store("openai", "b", Secret.of("secret-b"), CHANGE);
        io.configstore.crypto.SealedSecret sealedA = keys.sealed(a.id());
        io.configstore.crypto.SealedSecret moved = new io.configstore.crypto.SealedSecret(sealedA.masterKeyId(),
                keys.sealed(b.id()).binding(), sealedA.ciphertext());

        assertThatThrownBy(() -> store.stores().secrets().open(moved)).isInstanceOf(CryptoException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-a"));
    }
}
