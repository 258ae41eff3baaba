package io.configstore.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.CryptoException;
import io.configstore.store.StoreSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification pass reads every imported secret back through the target before the import commits. A real
 * SQLite store with a faulty cipher (it drops the last character of what it encrypts, as a broken codec might) shows
 * that a secret which does not read back as imported rolls the whole import back.
 */
class VerificationPassTest {
    @TempDir
    Path dir;

    /** Encrypts a shortened copy of each secret: it decrypts fine, and differs from what was given. */
    private static final class TruncatingCipher implements SecretCipher {
        private final SecretCipher real = ImportTargets.cipher();

        @Override
        public String encrypt(Secret plaintext, SecretBinding binding) {
            String text = plaintext.reveal();
            try (Secret shorter = Secret.of(text.substring(0, text.length() - 1))) {
                return real.encrypt(shorter, binding);
            }
        }

        @Override
        public Secret decrypt(String stored, SecretBinding binding) {
            return real.decrypt(stored, binding);
        }

        @Override
        public String keyIdOf(String stored) {
            return real.keyIdOf(stored);
        }

        @Override
        public String primaryKeyId() {
            return real.primaryKeyId();
        }

        @Override
        public Map<String, String> keyCheckValues() {
            return real.keyCheckValues();
        }
    }

    @Test
    void a_secret_that_does_not_read_back_fails_the_import_and_nothing_remains() throws Exception {
        Path file = Files.writeString(dir.resolve("provider_keys.json"), ProviderKeysFileTest.FILE);
        try (StoreSet target = ImportTargets.sqlite(dir.resolve("target.db"), new TruncatingCipher())) {
            assertThatThrownBy(() -> ProviderKeysFile.of(file).importInto(target, ImportTargets.skip(),
                    ImportProgress.NONE))
                    .isInstanceOf(CryptoException.class)
                    .hasMessageContaining("verification failed: API key openai/default of tenant default")
                    .hasMessageContaining("nothing was imported")
                    .hasMessageNotContaining("sk-openai");
            assertThat(ImportTargets.rows(target)).isZero();
        }
    }

    @Test
    void every_imported_secret_is_counted_as_verified_and_skipped_ones_are_not() throws Exception {
        Path file = Files.writeString(dir.resolve("provider_keys.json"), ProviderKeysFileTest.FILE);
        try (StoreSet target = ImportTargets.sqlite(dir.resolve("target.db"), ImportTargets.cipher())) {
            target.apiKeys().store("anthropic", "default", Secret.of("sk-there"), ImportTargets.OPS);
            ImportReport report = ProviderKeysFile.of(file).importInto(target, ImportTargets.skip(),
                    ImportProgress.NONE);
            assertThat(report.verifiedSecrets()).isEqualTo(1);
            assertThat(report.summary()).endsWith("verified 1 secret(s)");
        }
    }
}
