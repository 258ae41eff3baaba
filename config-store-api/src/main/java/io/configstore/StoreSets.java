package io.configstore;

import io.configstore.crypto.CipherSource;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Opens a store set from a URL through the {@link StoreSetProvider providers} on the class path: {@code sqlite:path},
 * {@code jdbc:postgresql://host/db?schema=name}, {@code memory:}, and whatever custom backends' jars register.
 *
 * <pre>{@code
 * try (StoreSet stores = StoreSets.open("sqlite:data/configstore.db",
 *         CipherSource.of(MasterKeys.builder().environment(System::getenv).build()))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Providers are looked up anew on every call (no cache, no global state): a call sees the jars of the class loader
 * it was given, by default the thread's context class loader.
 */
public final class StoreSets {
    private static final int MAX_URL_LENGTH = 4096;

    private StoreSets() {
    }

    /**
     * Opens the store set at {@code url}, applying pending schema migrations.
     *
     * @throws ValidationException when the URL is malformed or no provider accepts it (the message lists the known
     *     schemes with an example of each)
     * @throws io.configstore.error.ConfigStoreException whatever the backend throws when it opens
     */
    public static StoreSet open(String url, CipherSource cipher) {
        return open(url, cipher, MigrationMode.MIGRATE);
    }

    /**
     * Opens the store set at {@code url} with the given migration mode.
     *
     * @see #open(String, CipherSource)
     */
    public static StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        return open(url, cipher, mode, contextClassLoader());
    }

    /**
     * Opens the store set at {@code url} through the providers {@code classLoader} sees.
     *
     * @see #open(String, CipherSource)
     */
    public static StoreSet open(String url, CipherSource cipher, MigrationMode mode, ClassLoader classLoader) {
        Arguments.requireNonNull("cipher", cipher);
        Arguments.requireNonNull("mode", mode);
        return provider(url, classLoader).open(url.strip(), cipher, mode);
    }

    /**
     * The provider that opens {@code url}: among those that accept it, the one with the longest scheme.
     *
     * @throws ValidationException when the URL is malformed or no provider accepts it
     */
    public static StoreSetProvider provider(String url, ClassLoader classLoader) {
        String checked = checkUrl(url);
        List<StoreSetProvider> known = providers(classLoader);
        Optional<StoreSetProvider> match = known.stream()
                .filter(provider -> provider.accepts(checked))
                .max(Comparator.comparingInt(provider -> provider.scheme().length()));
        return match.orElseThrow(() -> new ValidationException("no backend accepts the store URL ("
                + describeScheme(checked) + "); " + (known.isEmpty()
                ? "no backend is on the class path: add config-store-sqlite, config-store-postgres or another backend"
                : "the known schemes are " + known.stream()
                        .map(provider -> provider.scheme() + " (e.g. " + provider.example() + ")")
                        .collect(Collectors.joining(", "))
                        + "; add the jar of another backend to the class path to use its scheme")));
    }

    /** Every provider {@code classLoader} sees, sorted by scheme. */
    public static List<StoreSetProvider> providers(ClassLoader classLoader) {
        Arguments.requireNonNull("classLoader", classLoader);
        List<StoreSetProvider> found = new ArrayList<>();
        try {
            for (StoreSetProvider provider : ServiceLoader.load(StoreSetProvider.class, classLoader)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            // Not the loader's message: it quotes configuration files and class names from the class path.
            throw new ValidationException("a backend on the class path is misconfigured: a"
                    + " META-INF/services/io.configstore.spi.StoreSetProvider entry names a class that cannot be"
                    + " loaded or made (see the cause); fix or remove that backend's jar", e);
        }
        found.sort(Comparator.comparing(StoreSetProvider::scheme));
        return List.copyOf(found);
    }

    /** Every provider the thread's context class loader sees, sorted by scheme. */
    public static List<StoreSetProvider> providers() {
        return providers(contextClassLoader());
    }

    private static String checkUrl(String url) {
        Arguments.requireNonNull("url", url);
        String stripped = url.strip();
        if (stripped.isEmpty()) {
            throw new ValidationException("the store URL is blank; give one such as sqlite:data/configstore.db");
        }
        if (stripped.length() > MAX_URL_LENGTH) {
            throw new ValidationException("the store URL is " + stripped.length() + " characters long; the limit is "
                    + MAX_URL_LENGTH);
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("the store URL contains a control character; remove it");
        }
        return stripped;
    }

    /**
     * Only the scheme of a URL no backend accepts: what follows it may be anything the user pasted, a secret
     * included, and text without a scheme is not shown at all.
     */
    private static String describeScheme(String url) {
        int colon = url.indexOf(':');
        String scheme = colon <= 0 ? "" : url.substring(0, colon);
        return scheme.matches("[A-Za-z][A-Za-z0-9+.-]{0,30}") ? "scheme '" + scheme + ":'"
                : "it does not start with a scheme such as sqlite:";
    }

    private static ClassLoader contextClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : StoreSets.class.getClassLoader();
    }
}
