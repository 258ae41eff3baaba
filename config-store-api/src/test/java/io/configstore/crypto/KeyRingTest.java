package io.configstore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRingTest {
    private static final SecretBinding ROW = new SecretBinding("default", "openai", "prod", "row-1");
    private static final String PLAINTEXT = "sk-live-PLAINTEXT-0123456789";
    private static final byte[] KEY_A = bytes(1);
    private static final byte[] KEY_B = bytes(2);

    private static byte[] bytes(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i * 7);
        }
        return key;
    }

    private static KeyRing ring(String id, byte[] key) {
        return KeyRing.of(MasterKey.aes256(id, key));
    }

    /** Asserts that a message names the key and the row and shows no secret or key material. */
    private static void assertCleanMessage(Throwable error, String keyId) {
        assertThat(error).isInstanceOf(CryptoException.class);
        assertThat(error.getMessage()).contains("'" + keyId + "'").contains(ROW.describe());
        assertNoSecrets(error.getMessage());
    }

    static void assertNoSecrets(String text) {
        assertThat(text).doesNotContain(PLAINTEXT);
        for (byte[] key : List.of(KEY_A, KEY_B)) {
            assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(key))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(key))
                    .doesNotContainIgnoringCase(HexFormat.of().formatHex(key));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "sk-live-0123456789abcdef", "clé secrète: ключ 鍵 🔑", "line\nbreak\u0000nul"})
    void encrypted_secret_decrypts_to_the_same_plaintext(String plaintext) {
        KeyRing ring = ring("k1", KEY_A);
        String stored = ring.encrypt(Secret.of(plaintext), ROW);
        assertThat(stored).startsWith("v1:k1:");
        if (plaintext.length() > 8) {
            // A one-letter plaintext may occur in base64 by chance; a long one may not.
            assertThat(stored).doesNotContain(plaintext);
        }
        assertThat(ring.decrypt(stored, ROW).reveal()).isEqualTo(plaintext);
    }

    @Test
    void largest_accepted_secret_round_trips() {
        KeyRing ring = ring("k1", KEY_A);
        String big = "s".repeat(Secret.MAX_BYTES);
        assertThat(ring.decrypt(ring.encrypt(Secret.of(big), ROW), ROW).reveal()).isEqualTo(big);
    }

    @Test
    void every_encryption_uses_a_fresh_nonce() {
        KeyRing ring = ring("k1", KEY_A);
        String first = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        String second = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        assertThat(first).isNotEqualTo(second);
        byte[] a = Base64.getUrlDecoder().decode(first.substring(6));
        byte[] b = Base64.getUrlDecoder().decode(second.substring(6));
        // nonce sits after marker(1), key check(8), length(2)
        assertThat(java.util.Arrays.copyOfRange(a, 11, 23)).isNotEqualTo(java.util.Arrays.copyOfRange(b, 11, 23));
    }

    @Test
    void key_id_of_reads_the_prefix() {
        KeyRing ring = ring("k1", KEY_A);
        assertThat(ring.keyIdOf(ring.encrypt(Secret.of(PLAINTEXT), ROW))).isEqualTo("k1");
        assertThatThrownBy(() -> ring.keyIdOf("v9:k1:abc")).isInstanceOf(CryptoException.class)
                .hasMessageContaining("v1:<keyId>:<payload>");
        assertThatThrownBy(() -> ring.keyIdOf("plaintext-looking")).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> ring.keyIdOf(null)).isInstanceOf(CryptoException.class);
    }

    @Test
    void wrong_key_under_the_same_id_is_reported_as_a_wrong_key() {
        String stored = ring("k1", KEY_A).encrypt(Secret.of(PLAINTEXT), ROW);
        Throwable error = catchDecrypt(ring("k1", KEY_B), stored, ROW);
        assertCleanMessage(error, "k1");
        assertThat(error.getMessage()).contains("wrong key").doesNotContain("altered").doesNotContain("another row");
    }

    @Test
    void altered_ciphertext_is_reported_as_altered() {
        KeyRing ring = ring("k1", KEY_A);
        String stored = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        for (int index : new int[] {11, 20, 30, 40}) {
            Throwable error = catchDecrypt(ring, flipByte(stored, index), ROW);
            assertCleanMessage(error, "k1");
            assertThat(error.getMessage()).contains("altered").doesNotContain("wrong key")
                    .doesNotContain("another row");
        }
    }

    @Test
    void altered_integrity_tag_is_reported_as_altered() {
        KeyRing ring = ring("k1", KEY_A);
        String stored = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        int last = Base64.getUrlDecoder().decode(stored.substring(6)).length - 1;
        Throwable error = catchDecrypt(ring, flipByte(stored, last), ROW);
        assertCleanMessage(error, "k1");
        assertThat(error.getMessage()).contains("altered");
    }

    @Test
    void value_with_bytes_appended_is_reported_as_altered() {
        KeyRing ring = ring("k1", KEY_A);
        String stored = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        byte[] payload = Base64.getUrlDecoder().decode(stored.substring(6));
        byte[] longer = java.util.Arrays.copyOf(payload, payload.length + 3);
        Throwable error = catchDecrypt(ring, "v1:k1:" + encode(longer), ROW);
        assertCleanMessage(error, "k1");
        assertThat(error.getMessage()).contains("altered");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 17, 30})
    void truncated_value_is_reported_as_truncated(int charactersCut) {
        KeyRing ring = ring("k1", KEY_A);
        String stored = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        Throwable error = catchDecrypt(ring, stored.substring(0, stored.length() - charactersCut), ROW);
        assertCleanMessage(error, "k1");
        assertThat(error.getMessage()).contains("truncated").doesNotContain("wrong key");
    }

    @Test
    void value_cut_to_a_few_bytes_is_reported_as_truncated() {
        KeyRing ring = ring("k1", KEY_A);
        String stored = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        Throwable error = catchDecrypt(ring, stored.substring(0, 6 + 16), ROW);
        assertCleanMessage(error, "k1");
        assertThat(error.getMessage()).contains("truncated");
    }

    @Test
    void value_that_is_not_base64_is_reported_as_altered() {
        KeyRing ring = ring("k1", KEY_A);
        Throwable error = catchDecrypt(ring, "v1:k1:!!!!not+base64", ROW);
        assertCleanMessage(error, "k1");
        assertThat(error.getMessage()).contains("altered");
    }

    @Test
    void value_copied_from_another_row_is_reported_as_belonging_to_another_row() {
        KeyRing ring = ring("k1", KEY_A);
        List<SecretBinding> others = List.of(
                new SecretBinding("other-tenant", "openai", "prod", "row-1"),
                new SecretBinding("default", "anthropic", "prod", "row-1"),
                new SecretBinding("default", "openai", "staging", "row-1"),
                new SecretBinding("default", "openai", "prod", "row-2"));
        for (SecretBinding other : others) {
            String stored = ring.encrypt(Secret.of(PLAINTEXT), other);
            Throwable error = catchDecrypt(ring, stored, ROW);
            assertCleanMessage(error, "k1");
            assertThat(error.getMessage()).contains("another row").doesNotContain("wrong key")
                    .doesNotContain("altered");
        }
    }

    @Test
    void value_naming_an_unknown_key_says_which_key_is_needed() {
        String stored = ring("old", KEY_A).encrypt(Secret.of(PLAINTEXT), ROW);
        Throwable error = catchDecrypt(ring("k1", KEY_A), stored, ROW);
        assertCleanMessage(error, "old");
        assertThat(error.getMessage()).contains("does not hold").contains("k1");
    }

    @Test
    void rotation_adds_a_key_makes_it_primary_and_rewraps_old_values() {
        KeyRing ring = ring("k1", KEY_A);
        String old = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        ring.addKey(MasterKey.aes256("k2", KEY_B));
        assertThat(ring.primaryKeyId()).isEqualTo("k1");
        assertThat(ring.keyIdOf(ring.encrypt(Secret.of(PLAINTEXT), ROW))).isEqualTo("k1");

        ring.makePrimary("k2");
        assertThat(ring.keyIdOf(ring.encrypt(Secret.of(PLAINTEXT), ROW))).isEqualTo("k2");
        assertThat(ring.decrypt(old, ROW).reveal()).isEqualTo(PLAINTEXT);
        assertThat(ring.needsRewrap(old)).isTrue();

        String rewrapped = ring.rewrap(old, ROW);
        assertThat(ring.keyIdOf(rewrapped)).isEqualTo("k2");
        assertThat(ring.needsRewrap(rewrapped)).isFalse();
        assertThat(ring.rewrap(rewrapped, ROW)).isSameAs(rewrapped);
        assertThat(ring.decrypt(rewrapped, ROW).reveal()).isEqualTo(PLAINTEXT);
        assertThat(ring.countByKeyId(List.of(old, rewrapped, rewrapped, "garbage")))
                .isEqualTo(Map.of("k1", 1L, "k2", 2L, "?", 1L));

        ring.disable("k1");
        Throwable disabled = catchDecrypt(ring, old, ROW);
        assertCleanMessage(disabled, "k1");
        assertThat(disabled.getMessage()).contains("disabled");
        assertThat(ring.decrypt(rewrapped, ROW).reveal()).isEqualTo(PLAINTEXT);

        ring.remove("k1");
        assertThat(ring.keys()).extracting(KeyInfo::keyId).containsExactly("k2");
        assertThat(catchDecrypt(ring, old, ROW).getMessage()).contains("does not hold");
    }

    @Test
    void rewrap_of_a_value_from_another_row_fails_and_produces_nothing() {
        KeyRing ring = ring("k1", KEY_A);
        String foreign = ring.encrypt(Secret.of(PLAINTEXT), new SecretBinding("default", "openai", "prod", "row-9"));
        ring.addKey(MasterKey.aes256("k2", KEY_B));
        ring.makePrimary("k2");
        assertThatThrownBy(() -> ring.rewrap(foreign, ROW)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("another row");
    }

    @Test
    void key_management_refuses_unsafe_changes() {
        KeyRing ring = ring("k1", KEY_A);
        assertThatThrownBy(() -> ring.addKey(MasterKey.aes256("k1", KEY_B))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("already has a key 'k1'");
        assertThatThrownBy(() -> ring.disable("k1")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("primary");
        assertThatThrownBy(() -> ring.remove("k1")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("disable it");
        assertThatThrownBy(() -> ring.makePrimary("nope")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("no key 'nope'");
        ring.addKey(MasterKey.aes256("k2", KEY_B));
        ring.disable("k2");
        assertThatThrownBy(() -> ring.makePrimary("k2")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("disabled");
        ring.enable("k2");
        ring.makePrimary("k2");
        assertThat(ring.keys()).extracting(KeyInfo::keyId, KeyInfo::status, KeyInfo::primary)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k1", KeyStatus.ENABLED, false),
                        org.assertj.core.groups.Tuple.tuple("k2", KeyStatus.ENABLED, true));
    }

    @Test
    void key_check_value_detects_a_wrong_key_at_open() {
        String recorded = ring("master", KEY_A).keyCheckValue("master");
        assertThat(recorded).hasSize(16).matches("[0-9a-f]{16}");
        ring("master", KEY_A).verifyKeyCheckValue("master", recorded);
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(
                () -> ring("master", KEY_B).verifyKeyCheckValue("master", recorded));
        assertThat(error).isInstanceOf(CryptoException.class).hasMessageContaining("'master' is the wrong key");
        assertNoSecrets(error.getMessage());
        assertThatThrownBy(() -> ring("master", KEY_A).verifyKeyCheckValue("master", "zz"))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void fernet_entry_round_trips_and_reports_each_failure_distinctly() {
        FernetKey fernetKey = FernetKey.fromBytes(KEY_A);
        KeyRing ring = KeyRing.of(MasterKey.fernet("py", fernetKey));
        String stored = ring.encrypt(Secret.of(PLAINTEXT), ROW);
        assertThat(stored).startsWith("v1:py:");
        assertThat(ring.decrypt(stored, ROW).reveal()).isEqualTo(PLAINTEXT);
        assertThat(ring.keys().get(0).algorithm()).isEqualTo(KeyAlgorithm.FERNET);

        KeyRing wrong = KeyRing.of(MasterKey.fernet("py", FernetKey.fromBytes(KEY_B)));
        assertThat(catchDecrypt(wrong, stored, ROW).getMessage()).contains("wrong key");
        Throwable altered = catchDecrypt(ring, flipByte(stored, 60), ROW);
        assertCleanMessage(altered, "py");
        assertThat(altered.getMessage()).contains("altered");
        Throwable copied = catchDecrypt(ring, stored, new SecretBinding("default", "openai", "prod", "row-2"));
        assertThat(copied.getMessage()).contains("another row");
        Throwable truncated = catchDecrypt(ring, stored.substring(0, stored.length() - 8), ROW);
        assertCleanMessage(truncated, "py");
        assertThat(truncated.getMessage()).contains("truncated");
    }

    @Test
    void aes_key_and_fernet_key_with_the_same_material_are_not_confused() {
        String stored = KeyRing.of(MasterKey.fernet("k", FernetKey.fromBytes(KEY_A))).encrypt(Secret.of(PLAINTEXT),
                ROW);
        assertThat(catchDecrypt(ring("k", KEY_A), stored, ROW).getMessage()).contains("wrong key");
    }

    @Test
    void bare_fernet_token_is_taken_over_bound_to_its_row() {
        FernetKey fernetKey = FernetKey.fromBytes(KEY_A);
        String token = Fernet.of(fernetKey).encrypt(PLAINTEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        KeyRing ring = ring("k1", KEY_B);
        ring.addKey(MasterKey.fernet("legacy", fernetKey));
        String stored = ring.wrapFernetToken("legacy", token, ROW);
        assertThat(ring.keyIdOf(stored)).isEqualTo("legacy");
        assertThat(ring.decrypt(stored, ROW).reveal()).isEqualTo(PLAINTEXT);
        assertThat(catchDecrypt(ring, stored, new SecretBinding("default", "openai", "prod", "row-2")).getMessage())
                .contains("another row");
        assertThat(ring.keyIdOf(ring.rewrap(stored, ROW))).isEqualTo("k1");
        assertThatThrownBy(() -> ring.wrapFernetToken("k1", token, ROW)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("not a Fernet key");
        String otherKeysToken = Fernet.of(FernetKey.fromBytes(KEY_B)).encrypt(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ring.wrapFernetToken("legacy", otherKeysToken, ROW))
                .isInstanceOf(CryptoException.class).hasMessageContaining(ROW.describe());
    }

    @Test
    void a_fernet_token_whose_plaintext_no_secret_can_hold_is_refused_when_wrapped_without_repeating_the_token() {
        FernetKey fernetKey = FernetKey.fromBytes(KEY_A);
        KeyRing ring = ring("k1", KEY_B);
        ring.addKey(MasterKey.fernet("legacy", fernetKey));
        String empty = Fernet.of(fernetKey).encrypt(new byte[0]);
        String tooLarge = Fernet.of(fernetKey).encrypt(new byte[Secret.MAX_BYTES + 1]);

        assertThatThrownBy(() -> ring.wrapFernetToken("legacy", empty, ROW))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(ROW.describe()).hasMessageContaining("empty secret")
                .hasMessageContaining("never be revealed").hasMessageNotContaining(empty);
        assertThatThrownBy(() -> ring.wrapFernetToken("legacy", tooLarge, ROW))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining((Secret.MAX_BYTES + 1) + " bytes").hasMessageNotContaining(tooLarge);
        // The limits are the ones decrypt enforces: the largest and smallest secrets are taken over and revealed.
        String one = Fernet.of(fernetKey).encrypt(new byte[] {'x'});
        assertThat(ring.decrypt(ring.wrapFernetToken("legacy", one, ROW), ROW).reveal()).isEqualTo("x");
        String largest = Fernet.of(fernetKey).encrypt("y".repeat(Secret.MAX_BYTES).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ring.decrypt(ring.wrapFernetToken("legacy", largest, ROW), ROW).reveal())
                .hasSize(Secret.MAX_BYTES);
    }

    @Test
    void aes_gcm_secret_cipher_keeps_its_contract_on_the_key_ring() {
        byte[] key = AesGcmSecretCipher.generateKey();
        assertThat(key).hasSize(AesGcmSecretCipher.KEY_BYTES);
        AesGcmSecretCipher cipher = AesGcmSecretCipher.of("k1", key);
        String stored = cipher.encrypt(Secret.of(PLAINTEXT), ROW);
        assertThat(cipher.keyIdOf(stored)).isEqualTo("k1");
        assertThat(cipher.keyId()).isEqualTo("k1");
        assertThat(cipher.decrypt(stored, ROW).reveal()).isEqualTo(PLAINTEXT);
        // The same key in a ring reads what the single-key cipher wrote.
        assertThat(KeyRing.of(MasterKey.aes256("k1", key)).decrypt(stored, ROW).reveal()).isEqualTo(PLAINTEXT);
        assertThat(cipher.toString()).doesNotContain(Base64.getEncoder().encodeToString(key));
        assertThatThrownBy(() -> AesGcmSecretCipher.of("bad:id", key)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> AesGcmSecretCipher.of("k1", new byte[16])).isInstanceOf(ValidationException.class);
    }

    @Test
    void to_string_of_keys_and_rings_shows_no_material() {
        KeyRing ring = ring("k1", KEY_A);
        ring.addKey(MasterKey.fernet("py", FernetKey.fromBytes(KEY_B)));
        MasterKey master = MasterKey.aes256("k3", KEY_A);
        for (Object value : List.of(ring, master, FernetKey.fromBytes(KEY_B), Fernet.of(FernetKey.fromBytes(KEY_B)),
                ring.keys())) {
            assertNoSecrets(value.toString());
        }
        assertThat(ring.toString()).contains("k1").contains("py").contains("redacted");
        master.destroy();
        assertThat(master.isDestroyed()).isTrue();
        assertThatThrownBy(() -> KeyRing.of(master)).isInstanceOf(IllegalStateException.class);
    }

    private static Throwable catchDecrypt(KeyRing ring, String stored, SecretBinding binding) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> ring.decrypt(stored, binding));
        assertThat(error).as("decrypting must fail, never return garbage").isInstanceOf(CryptoException.class);
        return error;
    }

    /** Flips one bit of payload byte {@code index} and re-encodes. */
    private static String flipByte(String stored, int index) {
        int prefix = stored.indexOf(':', 3) + 1;
        byte[] payload = Base64.getUrlDecoder().decode(stored.substring(prefix));
        payload[index] ^= 0x01;
        return stored.substring(0, prefix) + encode(payload);
    }

    private static String encode(byte[] payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }
}
