package io.configstore.file;

import static io.configstore.file.TestStores.CHANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.configstore.StoreSets;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.KdfParameters;
import io.configstore.crypto.MasterKeys;
import io.configstore.crypto.Secret;
import io.configstore.engine.KeyChecks;
import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.store.StoreSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a file store with master keys loaded against it (a password's KDF parameters in its file), and by URL. */
class MasterKeysFileStoreTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String SECRET = "sk-password-protected-81f2";

    @TempDir
    Path dir;

    private static MasterKeys password(String password) {
        return MasterKeys.builder().password(password.toCharArray()).build();
    }

    private FileStoreSet.Builder builder(Path directory) {
        return FileStoreSet.builder().directory(directory);
    }

    private JsonNode storeFile(Path directory) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(directory.resolve(FileStoreSet.STORE_FILE)));
    }

    @Test
    void a_password_derived_key_opens_a_file_store_and_its_kdf_parameters_are_kept_in_the_files_metadata()
            throws Exception {
        ApiKeyMetadata stored;
        try (FileStoreSet stores = builder(dir).masterKeys(password(PASSWORD)).open()) {
            stored = stores.apiKeys().store("openai", "prod", Secret.of(SECRET), CHANGE);
        }

        JsonNode metadata = storeFile(dir).get("metadata");
        String phc = metadata.get(MasterKeys.KDF_PARAMETERS).asText();
        assertThat(KdfParameters.parse(phc).salt()).hasSize(KdfParameters.SALT_BYTES);
        assertThat(metadata.has(KeyChecks.PREFIX + MasterKeys.DEFAULT_KEY_ID)).isTrue();
        assertThat(Files.readString(dir.resolve(FileStoreSet.STORE_FILE))).doesNotContain(SECRET)
                .doesNotContain(PASSWORD);

        try (FileStoreSet again = builder(dir).masterKeys(password(PASSWORD)).open()) {
            assertThat(again.apiKeys().reveal(stored.id()).reveal()).isEqualTo(SECRET);
        }
        assertThat(storeFile(dir).at("/metadata/" + MasterKeys.KDF_PARAMETERS).asText())
                .as("reopening derives with the stored parameters instead of making new ones").isEqualTo(phc);
    }

    @Test
    void a_wrong_password_fails_at_open_as_a_wrong_key_and_changes_nothing() throws Exception {
        try (FileStoreSet stores = builder(dir).masterKeys(password(PASSWORD)).open()) {
            stores.apiKeys().store("openai", "prod", Secret.of(SECRET), CHANGE);
        }
        String before = Files.readString(dir.resolve(FileStoreSet.STORE_FILE));

        assertThatThrownBy(() -> builder(dir).masterKeys(password("not the password")).open())
                .isInstanceOf(CryptoException.class).hasMessageContaining("wrong key")
                .hasMessageContaining(MasterKeys.DEFAULT_KEY_ID).hasMessageNotContaining("not the password");

        assertThat(Files.readString(dir.resolve(FileStoreSet.STORE_FILE))).isEqualTo(before);
        try (FileStoreSet again = builder(dir).masterKeys(password(PASSWORD)).open()) {
            assertThat(again.apiKeys().list()).hasSize(1);
        }
    }

    @Test
    void the_last_of_cipher_master_keys_and_cipher_source_wins() throws Exception {
        ApiKeyMetadata stored;
        try (FileStoreSet stores = builder(dir).masterKeys(password(PASSWORD)).cipher(TestStores.CIPHER).open()) {
            stored = stores.apiKeys().store("openai", "prod", Secret.of(SECRET), CHANGE);
        }
        assertThat(storeFile(dir).get("metadata").has(MasterKeys.KDF_PARAMETERS)).isFalse();
        assertThat(storeFile(dir).get("metadata").has(KeyChecks.PREFIX + "test")).isTrue();

        try (FileStoreSet stores = builder(dir).cipher(TestStores.CIPHER).masterKeys(password(PASSWORD)).open()) {
            assertThat(storeFile(dir).get("metadata").has(MasterKeys.KDF_PARAMETERS)).isTrue();
            assertThatThrownBy(() -> stores.apiKeys().reveal(stored.id())).isInstanceOf(CryptoException.class);
        }
        try (FileStoreSet again = builder(dir).masterKeys(password(PASSWORD))
                .cipherSource(CipherSource.of(TestStores.CIPHER)).open()) {
            assertThat(again.apiKeys().reveal(stored.id()).reveal()).isEqualTo(SECRET);
        }
    }

    @Test
    void without_any_cipher_the_open_is_refused_naming_the_ways_to_give_one() {
        assertThatThrownBy(() -> builder(dir).open()).isInstanceOf(ValidationException.class)
                .hasMessageContaining("masterKeys(");
        assertThatThrownBy(() -> builder(dir).masterKeys(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> builder(dir).cipherSource(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void store_sets_open_a_file_url_relative_or_absolute_with_master_keys_from_the_environment() throws Exception {
        Map<String, String> environment = Map.of(MasterKeys.ENV_PASSWORD, PASSWORD);
        CipherSource keys = CipherSource.of(MasterKeys.builder().environment(environment::get).build());
        Path store = dir.resolve("by-url");
        ApiKeyMetadata stored;
        try (StoreSet stores = StoreSets.open("file:" + store.toAbsolutePath(), keys)) {
            assertThat(stores).isInstanceOf(FileStoreSet.class);
            stored = stores.apiKeys().store("openai", "prod", Secret.of(SECRET), CHANGE);
        }
        assertThat(storeFile(store).at("/metadata/" + MasterKeys.KDF_PARAMETERS).asText()).startsWith("$argon2id$");

        Path relative = Path.of("").toAbsolutePath().relativize(store.toAbsolutePath());
        try (StoreSet again = StoreSets.open("file:" + relative, keys)) {
            assertThat(((FileStoreSet) again).directory()).isEqualTo(store.toRealPath());
            assertThat(again.apiKeys().reveal(stored.id()).reveal()).isEqualTo(SECRET);
        }
        try (StoreSet courtesy = StoreSets.open("file://" + store.toAbsolutePath(), keys)) {
            assertThat(courtesy.apiKeys().list()).hasSize(1);
        }
    }

    @Test
    void a_file_url_without_a_directory_is_refused_with_the_expected_form() {
        assertThatThrownBy(() -> FileStoreSetProvider.directory("file:")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("file:<store directory>");
        assertThatThrownBy(() -> FileStoreSetProvider.directory("sqlite:x.db"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not a file: URL");
        assertThat(FileStoreSetProvider.directory("file:config")).isEqualTo(Path.of("config"));
        assertThat(FileStoreSetProvider.directory("file:///var/lib/app")).isEqualTo(Path.of("/var/lib/app"));
    }
}
