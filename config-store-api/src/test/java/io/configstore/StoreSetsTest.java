package io.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.CipherSource;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class StoreSetsTest {
    private static final CipherSource CIPHER =
            CipherSource.of(AesGcmSecretCipher.of("test", AesGcmSecretCipher.generateKey()));

    @Test
    void a_custom_provider_registered_on_the_class_path_opens_its_urls() {
        try (StoreSet stores = StoreSets.open("recording:/some/where", CIPHER)) {
            assertThat(stores.toString()).isEqualTo("recording:|recording:/some/where|MIGRATE");
        }
    }

    @Test
    void the_scheme_matches_ignoring_case_and_the_migration_mode_is_passed_on() {
        try (StoreSet stores = StoreSets.open("  RECORDING:x ", CIPHER, MigrationMode.VALIDATE)) {
            assertThat(stores.toString()).isEqualTo("recording:|RECORDING:x|VALIDATE");
        }
    }

    @Test
    void the_longest_matching_scheme_wins() {
        try (StoreSet stores = StoreSets.open("recording:special:y", CIPHER)) {
            assertThat(stores.toString()).startsWith("recording:special:|");
        }
    }

    @Test
    void providers_are_listed_sorted_by_scheme() {
        assertThat(StoreSets.providers()).extracting(StoreSetProvider::scheme)
                .containsExactly("recording:", "recording:special:");
    }

    @Test
    void an_unknown_scheme_is_a_validation_error_naming_only_its_scheme_and_listing_the_known_schemes() {
        assertThatThrownBy(() -> StoreSets.open("nosuch://user:hunter1@host/db?password=hunter2", CIPHER))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("no backend accepts the store URL (scheme 'nosuch:')")
                .hasMessageNotContaining("hunter1")
                .hasMessageContaining("recording: (e.g. recording:anything)")
                .hasMessageContaining("recording:special:")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void text_without_a_scheme_is_not_repeated() {
        assertThatThrownBy(() -> StoreSets.open("sk_live_hunter3", CIPHER))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("does not start with a scheme")
                .hasMessageNotContaining("hunter3");
    }

    @Test
    void a_class_loader_without_backends_says_so() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> StoreSets.open("sqlite:x.db", CIPHER, MigrationMode.MIGRATE, empty))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("no backend is on the class path");
        }
    }

    @Test
    void blank_null_and_control_character_urls_are_refused() {
        assertThatThrownBy(() -> StoreSets.open(null, CIPHER)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> StoreSets.open("  ", CIPHER)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> StoreSets.open("recording:a\nb", CIPHER)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> StoreSets.open("recording:x", null)).isInstanceOf(ValidationException.class);
    }
}
