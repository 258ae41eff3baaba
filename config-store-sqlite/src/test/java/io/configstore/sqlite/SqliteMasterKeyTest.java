package io.configstore.sqlite;

import static io.configstore.sqlite.SqliteTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.MasterKeys;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.CryptoException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Master keys loaded when the store opens: a password's parameters live in the database, a wrong key fails at open. */
class SqliteMasterKeyTest {
    private static final ChangeContext CHANGE = ChangeContext.by("test");

    private static StoreSet openWithPassword(Path db, String password) {
        MasterKeys keys = MasterKeys.builder()
                .environment(Map.of(MasterKeys.ENV_PASSWORD, password)::get)
                .build();
        return SqliteStoreSet.builder().path(db).masterKeys(keys).open();
    }

    @Test
    void a_password_derived_key_keeps_its_parameters_in_the_database_and_derives_the_same_key_on_reopen(
            @TempDir Path dir) throws Exception {
        Path db = dir.resolve("password.db");
        String id;
        try (StoreSet stores = openWithPassword(db, "correct horse battery staple")) {
            id = stores.apiKeys().store("openai", "prod", Secret.of("sk-password-protected"), CHANGE).id();
        }

        try (StoreSet reopened = openWithPassword(db, "correct horse battery staple")) {
            assertThat(reopened.apiKeys().reveal(id).reveal()).isEqualTo("sk-password-protected");
        }
        assertThat(query(db, "SELECT value FROM store_metadata WHERE name = 'kdf-parameters'"))
                .singleElement().asString().startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void a_wrong_password_fails_at_open_as_a_wrong_key_and_reads_nothing(@TempDir Path dir) {
        Path db = dir.resolve("password.db");
        try (StoreSet stores = openWithPassword(db, "right password")) {
            stores.apiKeys().store("openai", "prod", Secret.of("sk-password-protected"), CHANGE);
        }

        assertThatThrownBy(() -> openWithPassword(db, "wrong password"))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("master key 'master' is the wrong key for this store")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("password-protected", "wrong password"));
    }

    @Test
    void no_master_key_configured_fails_at_open_naming_the_variables_to_set(@TempDir Path dir) {
        MasterKeys nothing = MasterKeys.builder().environment(name -> null).build();

        assertThatThrownBy(() -> SqliteStoreSet.builder().path(dir.resolve("none.db")).masterKeys(nothing).open())
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining(MasterKeys.ENV_KEY)
                .hasMessageContaining(MasterKeys.ENV_KEY_FILE)
                .hasMessageContaining(MasterKeys.ENV_PASSWORD);
    }

    @Test
    void openers_racing_on_a_new_database_with_one_password_agree_on_one_salt(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("race.db");
        int openers = 4;
        CyclicBarrier start = new CyclicBarrier(openers);
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        try {
            List<Future<ApiKeyMetadata>> results = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                int n = i;
                Callable<ApiKeyMetadata> opener = () -> {
                    start.await(60, TimeUnit.SECONDS);
                    try (StoreSet stores = openWithPassword(db, "shared password")) {
                        return stores.apiKeys().store("openai", "key-" + n, Secret.of("sk-race-" + n), CHANGE);
                    }
                };
                results.add(pool.submit(opener));
            }
            List<String> ids = new ArrayList<>();
            for (Future<ApiKeyMetadata> result : results) {
                ids.add(result.get(120, TimeUnit.SECONDS).id());
            }
            try (StoreSet stores = openWithPassword(db, "shared password")) {
                for (int i = 0; i < openers; i++) {
                    assertThat(stores.apiKeys().reveal(ids.get(i)).reveal()).isEqualTo("sk-race-" + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(query(db, "SELECT count(*) FROM store_metadata WHERE name = 'kdf-parameters'")).containsExactly("1");
    }

    @Test
    void a_key_seen_for_the_first_time_is_checked_against_stored_secrets_before_it_is_recorded(@TempDir Path dir)
            throws Exception {
        Path db = dir.resolve("unrecorded.db");
        SecretCipher right = AesGcmSecretCipher.of("k", AesGcmSecretCipher.generateKey());
        String id;
        try (StoreSet stores = SqliteStoreSet.builder().path(db).cipher(right).open()) {
            id = stores.apiKeys().store("openai", "prod", Secret.of("sk-before-checks"), CHANGE).id();
        }
        // As a store written before key-check values were recorded.
        SqliteTestSupport.execute(db, "DELETE FROM store_metadata WHERE name LIKE 'key-check:%'");

        SecretCipher wrong = AesGcmSecretCipher.of("k", AesGcmSecretCipher.generateKey());
        assertThatThrownBy(() -> SqliteStoreSet.builder().path(db).cipher(wrong).open())
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("master key 'k' is the wrong key");
        assertThat(query(db, "SELECT count(*) FROM store_metadata WHERE name = 'key-check:k'")).containsExactly("0");

        try (StoreSet stores = SqliteStoreSet.builder().path(db).cipher(right).open()) {
            assertThat(stores.apiKeys().reveal(id).reveal()).isEqualTo("sk-before-checks");
        }
    }
}
