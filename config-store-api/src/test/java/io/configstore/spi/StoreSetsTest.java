package io.configstore.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.CipherSource;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.store.StoreSet;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class StoreSetsTest {
    private static final CipherSource CIPHER =
            CipherSource.of(AesGcmSecretCipher.of("test", AesGcmSecretCipher.generateKey()));

    @Test
    void aCustomProviderRegisteredOnTheClassPathOpensItsUrls() {
        try (StoreSet stores = StoreSets.open("recording:/some/where", CIPHER)) {
            assertThat(stores.toString()).isEqualTo("recording:|recording:/some/where|MIGRATE");
        }
    }

    @Test
    void theSchemeMatchesIgnoringCaseAndTheMigrationModeIsPassedOn() {
        try (StoreSet stores = StoreSets.open("  RECORDING:x ", CIPHER, MigrationMode.VALIDATE)) {
            assertThat(stores.toString()).isEqualTo("recording:|RECORDING:x|VALIDATE");
        }
    }

    @Test
    void theLongestMatchingSchemeWins() {
        try (StoreSet stores = StoreSets.open("recording:special:y", CIPHER)) {
            assertThat(stores.toString()).startsWith("recording:special:|");
        }
    }

    @Test
    void providersAreListedSortedByScheme() {
        assertThat(StoreSets.providers()).extracting(StoreSetProvider::scheme)
                .containsExactly("recording:", "recording:special:");
    }

    @Test
    void anUnknownSchemeIsAValidationErrorNamingOnlyItsSchemeAndListingTheKnownSchemes() {
        assertThatThrownBy(() -> StoreSets.open("nosuch://user:hunter1@host/db?password=hunter2", CIPHER))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("no backend accepts the store URL (scheme 'nosuch:')")
                .hasMessageNotContaining("hunter1")
                .hasMessageContaining("recording: (e.g. recording:anything)")
                .hasMessageContaining("recording:special:")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void textWithoutASchemeIsNotRepeated() {
        assertThatThrownBy(() -> StoreSets.open("sk_live_hunter3", CIPHER))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("does not start with a scheme")
                .hasMessageNotContaining("hunter3");
    }

    @Test
    void aClassLoaderWithoutBackendsSaysSo() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> StoreSets.open("sqlite:x.db", CIPHER, MigrationMode.MIGRATE, empty))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("no backend is on the class path");
        }
    }

    @Test
    void blankNullAndControlCharacterUrlsAreRefused() {
        assertThatThrownBy(() -> StoreSets.open(null, CIPHER)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> StoreSets.open("  ", CIPHER)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> StoreSets.open("recording:a\nb", CIPHER)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> StoreSets.open("recording:x", null)).isInstanceOf(ValidationException.class);
    }
}
