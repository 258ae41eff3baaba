package io.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.crypto.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the whole contract kit on SQLite with every logger at TRACE (see this module's surefire settings) and fails
 * if any secret the kit stored, or the master key, appears anywhere in the captured log.
 */
class SecretHygieneTest {
    /** The master key of every store the recorded kit opens. */
    private static final byte[] MASTER_KEY = AesGcmSecretCipher.generateKey();
    /** Every plaintext the recorded kit encrypted. */
    private static final Set<String> PLAINTEXTS = ConcurrentHashMap.newKeySet();
    /**
     * Shorter secrets ("1", "s") appear in any log as ordinary text; the kit's real-looking secrets are longer.
     * The rotation contract's secrets, encrypted by rings of its own, all start with this prefix.
     */
    private static final int SHORTEST_CHECKED = 8;
    private static final String ROTATION_SECRET_PREFIX = "sk-rotation-";

    /** The kit on SQLite, with a cipher that records what it encrypts. Nested, so surefire runs it only from here. */
    static class RecordedKit extends SqliteContractTest {
        @Override
        public SecretCipher newCipher() {
            SecretCipher real = AesGcmSecretCipher.of("contract-key", MASTER_KEY);
            return new SecretCipher() {
                @Override
                public String encrypt(Secret plaintext, SecretBinding binding) {
                    PLAINTEXTS.add(plaintext.reveal());
                    return real.encrypt(plaintext, binding);
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
            };
        }
    }

    @Test
    void the_whole_kit_logged_at_trace_level_shows_no_stored_secret_and_no_master_key() throws Exception {
        Path logFile = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        assertThat(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).isEqualTo("trace");

        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(RecordedKit.class)).build(),
                listener);
        TestExecutionSummary summary = listener.getSummary();

        assertThat(summary.getTotalFailureCount()).as("failures of the recorded kit run").isZero();
        assertThat(summary.getTestsSucceededCount()).isGreaterThan(300);
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertThat(log).as("the captured log holds the finest level").contains("DEBUG");
        assertThat(PLAINTEXTS).hasSizeGreaterThan(20);
        for (String plaintext : PLAINTEXTS) {
            if (plaintext.length() >= SHORTEST_CHECKED) {
                assertThat(log).as("a stored secret in the log").doesNotContain(plaintext);
            }
        }
        assertThat(log).doesNotContain(ROTATION_SECRET_PREFIX)
                .doesNotContain(Base64.getEncoder().encodeToString(MASTER_KEY))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(MASTER_KEY))
                .doesNotContain(HexFormat.of().formatHex(MASTER_KEY));
    }
}
