package io.configstore.spi;

import io.configstore.crypto.CipherSource;
import io.configstore.migration.MigrationMode;
import io.configstore.store.StoreSet;
import java.lang.reflect.Proxy;

/**
 * A custom backend as a third party would ship it, registered only in this module's test resources: opening gives a
 * store set that tells which provider opened which URL, and with which mode.
 */
public class RecordingStoreSetProvider implements StoreSetProvider {
    /** What {@link #open} was called with; the store set's {@code toString()} returns it. */
    static String opened(String provider, String url, MigrationMode mode) {
        return provider + "|" + url + "|" + mode;
    }

    @Override
    public String scheme() {
        return "recording:";
    }

    @Override
    public String example() {
        return "recording:anything";
    }

    @Override
    public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        String description = opened(scheme(), url, mode);
        return (StoreSet) Proxy.newProxyInstance(StoreSet.class.getClassLoader(), new Class<?>[] {StoreSet.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> description;
                    case "close" -> null;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A second provider whose scheme extends the first: the longer prefix must win. */
    public static final class Longer extends RecordingStoreSetProvider {
        @Override
        public String scheme() {
            return "recording:special:";
        }

        @Override
        public String example() {
            return "recording:special:x";
        }
    }
}
