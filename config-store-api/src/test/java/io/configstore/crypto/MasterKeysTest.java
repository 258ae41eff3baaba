package io.configstore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {
    private static final SecretBinding ROW = new SecretBinding("default", "openai", "prod", "row-1");
    private static final byte[] KEY = new byte[32];
    private static final String KEY_BASE64;
    private static final String PASSWORD = "correct horse battery staple";

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 13 + 5);
        }
        KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);
    }

    @TempDir
    Path dir;

    private static MasterKeys.Builder env(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return MasterKeys.builder().environment(values::get);
    }

    /** A ring that reads what a ring over {@link #KEY} wrote is a ring over {@link #KEY}. */
    private static void assertHoldsKey(KeyRing ring) {
        String stored = KeyRing.of(MasterKey.aes256(MasterKeys.DEFAULT_KEY_ID, KEY)).encrypt(Secret.of("sk-1"), ROW);
        assertThat(ring.decrypt(stored, ROW).reveal()).isEqualTo("sk-1");
    }

    @Test
    void loads_a_base64_key_from_the_environment() {
        LoadedMasterKey loaded = env(MasterKeys.ENV_KEY, KEY_BASE64).build().load();
        assertThat(loaded.source()).isEqualTo(MasterKeySource.BASE64_KEY);
        assertThat(loaded.keyRing().primaryKeyId()).isEqualTo("master");
        assertThat(loaded.kdfParameters()).isEmpty();
        assertHoldsKey(loaded.keyRing());
        assertThat(loaded.toString()).doesNotContain(KEY_BASE64);
    }

    @Test
    void loads_a_url_safe_unpadded_key_too() {
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(KEY);
        assertHoldsKey(MasterKeys.builder().base64Key(urlSafe).build().load().keyRing());
    }

    @Test
    void loads_a_key_file_named_by_the_environment() throws IOException {
        Path file = dir.resolve("master.key");
        Files.writeString(file, KEY_BASE64 + "\n");
        LoadedMasterKey loaded = env(MasterKeys.ENV_KEY_FILE, file.toString()).build().load();
        assertThat(loaded.source()).isEqualTo(MasterKeySource.KEY_FILE);
        assertHoldsKey(loaded.keyRing());
    }

    @Test
    void missing_key_file_is_a_clear_error() {
        Path missing = dir.resolve("nope.key");
        assertThatThrownBy(() -> MasterKeys.builder().environment(name -> null).keyFile(missing).build().load())
                .isInstanceOf(CryptoException.class).hasMessageContaining("does not exist")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void a_key_pasted_into_the_key_file_variable_is_named_by_the_variable_never_repeated() {
        String pasted = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'Q');
        assertThatThrownBy(() -> env(MasterKeys.ENV_KEY_FILE, pasted).build().load())
                .isInstanceOf(CryptoException.class).hasMessageContaining("does not exist")
                .hasMessageContaining("named by " + MasterKeys.ENV_KEY_FILE).hasMessageNotContaining(pasted);
    }

    @Test
    void bad_fernet_key_material_is_refused_in_our_own_words_without_the_material() {
        String material = "fernet:sk_live_NotAFernetKey_0123456789";
        assertThatThrownBy(() -> env(MasterKeys.ENV_KEY, material).build().load())
                .isInstanceOf(ValidationException.class).hasMessageContaining(MasterKeys.ENV_KEY)
                .hasMessageContaining("URL-safe base64 of 32 bytes")
                .hasMessageNotContaining("sk_live_NotAFernetKey_0123456789");
    }

    @Test
    void key_file_variable_that_is_no_path_is_a_validation_error_that_does_not_echo_it() {
        assertThatThrownBy(() -> env(MasterKeys.ENV_KEY_FILE, "secret\0value").build().load())
                .isInstanceOf(ValidationException.class).hasMessageContaining(MasterKeys.ENV_KEY_FILE)
                .hasMessageNotContaining("secret");
    }

    @Test
    void password_derives_the_same_key_again_from_the_stored_parameters() {
        KdfParameters small = KdfParameters.argon2id(256, 2, 1, new byte[16]);
        LoadedMasterKey first = env(MasterKeys.ENV_PASSWORD, PASSWORD)
                .keyDerivation(PasswordKeyDerivation.allowingWeakParameters()).kdfParameters(small).build().load();
        assertThat(first.source()).isEqualTo(MasterKeySource.PASSWORD);
        assertThat(first.kdfParameters()).contains(small);
        assertThat(first.kdfParametersCreated()).isFalse();
        String stored = first.keyRing().encrypt(Secret.of("sk-1"), ROW);

        KdfParameters reread = KdfParameters.parse(first.kdfParameters().orElseThrow().toPhcString());
        LoadedMasterKey second = MasterKeys.builder().password(PASSWORD.toCharArray()).kdfParameters(reread)
                .keyDerivation(PasswordKeyDerivation.allowingWeakParameters()).build().load();
        assertThat(second.keyRing().decrypt(stored, ROW).reveal()).isEqualTo("sk-1");

        LoadedMasterKey wrongPassword = MasterKeys.builder().password("not it".toCharArray()).kdfParameters(reread)
                .keyDerivation(PasswordKeyDerivation.allowingWeakParameters()).build().load();
        assertThatThrownBy(() -> wrongPassword.keyRing().decrypt(stored, ROW)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("wrong key");
        assertThatThrownBy(() -> wrongPassword.keyRing().verifyKeyCheckValue("master",
                first.keyRing().keyCheckValue("master"))).isInstanceOf(CryptoException.class);
    }

    @Test
    void password_without_stored_parameters_makes_default_argon2id_parameters_to_store() {
        LoadedMasterKey loaded = MasterKeys.builder().password(PASSWORD.toCharArray()).build().load();
        assertThat(loaded.kdfParametersCreated()).isTrue();
        assertThat(loaded.kdfParameters().orElseThrow().toPhcString()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void weak_stored_parameters_are_refused_by_default() {
        KdfParameters weak = KdfParameters.pbkdf2(100_000, new byte[16]);
        assertThatThrownBy(() -> MasterKeys.builder().password(PASSWORD.toCharArray()).kdfParameters(weak).build()
                .load()).isInstanceOf(ValidationException.class).hasMessageContaining("allowingWeakParameters");
    }

    @Test
    void no_key_configured_fails_closed_naming_the_variables() {
        assertThatThrownBy(() -> env().build().load()).isInstanceOf(CryptoException.class)
                .hasMessageContaining(MasterKeys.ENV_KEY).hasMessageContaining(MasterKeys.ENV_KEY_FILE)
                .hasMessageContaining(MasterKeys.ENV_PASSWORD).hasMessageContaining("no default");
        assertThatThrownBy(() -> env(MasterKeys.ENV_KEY, "  ", MasterKeys.ENV_PASSWORD, "").build().load())
                .isInstanceOf(CryptoException.class).hasMessageContaining("no master key is configured");
    }

    @Test
    void several_sources_are_ambiguous_and_refused() {
        assertThatThrownBy(() -> env(MasterKeys.ENV_KEY, KEY_BASE64, MasterKeys.ENV_PASSWORD, PASSWORD).build().load())
                .isInstanceOf(ValidationException.class).hasMessageContaining("exactly one")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY_BASE64).doesNotContain(PASSWORD));
        assertThatThrownBy(() -> MasterKeys.builder().base64Key(KEY_BASE64).password(PASSWORD.toCharArray()).build()
                .load()).isInstanceOf(ValidationException.class).hasMessageContaining("exactly one");
    }

    @Test
    void programmatic_source_wins_over_the_environment() {
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        LoadedMasterKey loaded = env(MasterKeys.ENV_KEY, otherKey).base64Key(KEY_BASE64).build().load();
        assertHoldsKey(loaded.keyRing());
    }

    @Test
    void malformed_keys_are_rejected_without_echoing_them() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> env(MasterKeys.ENV_KEY, shortKey).build().load())
                .isInstanceOf(ValidationException.class).hasMessageContaining("16 bytes")
                .hasMessageContaining(MasterKeys.ENV_KEY)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(shortKey));
        String garbage = "secret-ish*garbage*value";
        assertThatThrownBy(() -> env(MasterKeys.ENV_KEY, garbage).build().load())
                .isInstanceOf(ValidationException.class).hasMessageContaining("not valid base64")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(garbage));
    }

    @Test
    void fernet_prefixed_key_becomes_a_fernet_entry() {
        String fernetKey = FernetKey.fromBytes(KEY).encoded();
        LoadedMasterKey loaded = env(MasterKeys.ENV_KEY, "fernet:" + fernetKey).build().load();
        assertThat(loaded.keyRing().keys().get(0).algorithm()).isEqualTo(KeyAlgorithm.FERNET);
        String token = Fernet.of(FernetKey.fromBytes(KEY)).encrypt("sk-py".getBytes(StandardCharsets.UTF_8));
        String stored = loaded.keyRing().wrapFernetToken("master", token, ROW);
        assertThat(loaded.keyRing().decrypt(stored, ROW).reveal()).isEqualTo("sk-py");
    }

    @Test
    void development_mode_generates_an_owner_only_key_file_and_says_so_without_the_key() throws IOException {
        Path file = dir.resolve("dev/keys/master.key");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        LoadedMasterKey loaded;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            loaded = env().developmentKeyFile(file).build().load();
        } finally {
            System.setErr(original);
        }
        assertThat(loaded.source()).isEqualTo(MasterKeySource.DEVELOPMENT_KEY_FILE);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String keyText = Files.readString(file).strip();
        assertThat(Base64.getDecoder().decode(keyText)).hasSize(32);
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("generated a new development master key").contains(file.toString())
                .doesNotContain(keyText);

        String stored = loaded.keyRing().encrypt(Secret.of("sk-dev"), ROW);
        LoadedMasterKey again = env().developmentKeyFile(file).build().load();
        assertThat(again.keyRing().decrypt(stored, ROW).reveal()).as("the key is reused, not regenerated")
                .isEqualTo("sk-dev");
        assertThat(Files.readString(file).strip()).isEqualTo(keyText);
    }

    @Test
    void development_mode_is_not_used_when_a_real_key_is_configured() {
        Path file = dir.resolve("dev.key");
        LoadedMasterKey loaded = env(MasterKeys.ENV_KEY, KEY_BASE64).developmentKeyFile(file).build().load();
        assertThat(loaded.source()).isEqualTo(MasterKeySource.BASE64_KEY);
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void to_string_of_loader_and_builder_is_redacted() {
        MasterKeys.Builder builder = MasterKeys.builder().base64Key(KEY_BASE64).password(PASSWORD.toCharArray());
        assertThat(builder.toString()).doesNotContain(KEY_BASE64).doesNotContain(PASSWORD);
        assertThat(builder.build().toString()).doesNotContain(KEY_BASE64).doesNotContain(PASSWORD);
        assertThat(Set.of(MasterKeySource.values())).hasSize(4);
    }

    @Test
    void openers_racing_to_create_the_development_key_all_end_up_with_one_complete_key(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("race/dev.key");
        int openers = 8;
        CyclicBarrier start = new CyclicBarrier(openers);
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        try {
            List<Future<String>> checks = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                checks.add(pool.submit(() -> {
                    start.await(60, TimeUnit.SECONDS);
                    KeyRing ring = env().developmentKeyFile(file).build().load().keyRing();
                    return ring.keyCheckValue(ring.primaryKeyId());
                }));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> check : checks) {
                distinct.add(check.get(60, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }
}
