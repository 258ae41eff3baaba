package io.configstore.testkit;

import io.configstore.crypto.SecretCipher;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of every contract interface: supplies the backend, and registers the extension that hands each test a
 * fresh {@link StoreUnderTest}.
 *
 * <p>Test methods are named as sentences about behaviour ({@code creating_a_second_default_moves_the_default});
 * reports show them with spaces.
 *
 * <p>Implement {@link StoreContractKit} to run every contract, or single contract interfaces to run only some.
 */
@ExtendWith(StoreUnderTestExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public interface StoreContract {
    /** The backend under test; called once per test, so it may return a new instance every time. */
    StoreBackend backend();

    /**
     * The cipher each test's store is opened with: by default a fresh AES-256-GCM key with the id
     * {@code contract-key}. Override it to watch what the kit encrypts (a secret-hygiene check does).
     */
    default SecretCipher newCipher() {
        return StoreUnderTest.freshCipher("contract-key");
    }
}
