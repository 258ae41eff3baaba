package io.configstore.testkit;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of every contract interface: supplies the backend, and registers the extension that hands each test a
 * fresh {@link StoreUnderTest}.
 *
 * <p>Implement {@link StoreContractKit} to run every contract, or single contract interfaces to run only some.
 */
@ExtendWith(StoreUnderTestExtension.class)
public interface StoreContract {
    /** The backend under test; called once per test, so it may return a new instance every time. */
    StoreBackend backend();
}
