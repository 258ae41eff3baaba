package io.configstore.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands each test method a fresh {@link StoreUnderTest}: a new location from the test class's
 * {@link StoreContract#backend()}, opened with a fresh AES-256-GCM cipher. When the test ends (passed or failed),
 * every store set opened through it is closed and the location deleted, so no test ever shares state with another.
 * A parameterized test gets a fresh one for every invocation.
 */
public final class StoreUnderTestExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(StoreUnderTestExtension.class);

    /** Creates the extension; JUnit does this through {@link StoreContract}'s {@code @ExtendWith}. */
    public StoreUnderTestExtension() {
    }

    /** Resolves parameters of type {@link StoreUnderTest}. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == StoreUnderTest.class;
    }

    /** Opens a fresh location and registers it to be closed and deleted when the test ends. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Object instance = context.getRequiredTestInstance();
        if (!(instance instanceof StoreContract contract)) {
            throw new ParameterResolutionException(instance.getClass().getName() + " must implement "
                    + StoreContract.class.getName() + " (for example through StoreContractKit) to get a StoreUnderTest");
        }
        StoreBackend backend = contract.backend();
        if (backend == null) {
            throw new ParameterResolutionException(instance.getClass().getName() + ".backend() returned null");
        }
        StoreLocation location;
        try {
            location = backend.newLocation();
        } catch (Exception e) {
            throw new ParameterResolutionException("the backend could not make a new location: " + e, e);
        }
        StoreUnderTest store;
        try {
            store = new StoreUnderTest(location, contract.newCipher());
        } catch (Exception e) {
            try {
                location.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new ParameterResolutionException("the backend could not open its new location: " + e, e);
        }
        // The store closes with the test method's context: per method, and per invocation of a parameterized test.
        context.getStore(NAMESPACE).put(new Object(), (ExtensionContext.Store.CloseableResource) store::closeAll);
        return store;
    }
}
