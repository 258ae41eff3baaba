package io.configstore.spi;

import io.configstore.StoreSets;
import io.configstore.crypto.CipherSource;
import io.configstore.migration.MigrationMode;
import io.configstore.store.StoreSet;

/**
 * A backend that can be opened from a URL, found with {@link java.util.ServiceLoader}: a backend's jar lists its
 * implementation in {@code META-INF/services/io.configstore.spi.StoreSetProvider}, and {@link StoreSets#open} picks
 * the provider whose {@link #scheme()} starts the URL. Implementations need a public no-argument constructor and no
 * state of their own; they must be thread-safe.
 *
 * <pre>{@code
 * public final class MyStoreSetProvider implements StoreSetProvider {
 *     public String scheme() { return "my:"; }
 *     public String example() { return "my:/var/lib/app/store"; }
 *     public StoreSet open(String url, CipherSource cipher, MigrationMode mode) { ... }
 * }
 * }</pre>
 */
public interface StoreSetProvider {
    /**
     * The prefix of the URLs this provider opens, including its colon, such as {@code sqlite:} or
     * {@code jdbc:postgresql:}. Matched case-insensitively; when several providers match, the longest prefix wins.
     */
    String scheme();

    /** An example URL, shown in messages that list the known backends and in {@code --help}. */
    String example();

    /**
     * Whether this provider opens {@code url}; by default, whether the URL starts with {@link #scheme()}, ignoring
     * case. Override to accept less (a variant the provider cannot open is better refused here than in
     * {@link #open}).
     */
    default boolean accepts(String url) {
        return url.regionMatches(true, 0, scheme(), 0, scheme().length());
    }

    /**
     * Opens the store set at {@code url}.
     *
     * @param url a URL this provider {@linkplain #accepts accepts}
     * @param cipher where the store gets its cipher when it opens
     * @param mode whether pending schema migrations are applied on open or refused
     * @throws io.configstore.error.ValidationException when the URL is malformed (the message shows the expected form)
     * @throws io.configstore.error.ConfigStoreException whatever the backend throws when it opens
     */
    StoreSet open(String url, CipherSource cipher, MigrationMode mode);
}
