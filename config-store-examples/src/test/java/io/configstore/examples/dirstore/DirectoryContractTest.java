package io.configstore.examples.dirstore;

import io.configstore.crypto.CipherSource;
import io.configstore.crypto.SecretCipher;
import io.configstore.store.StoreSet;
import io.configstore.testkit.StoreBackend;
import io.configstore.testkit.StoreContractKit;
import io.configstore.testkit.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole contract kit on the example backend: each location is a fresh directory, and every open of it (a reopen,
 * or a second instance through {@code openAnother}) is an engine of its own that reads the files and coordinates
 * through them, as another process would.
 */
class DirectoryContractTest implements StoreContractKit {
    @TempDir
    Path root;

    @Override
    public StoreBackend backend() {
        return () -> {
            Path directory = root.resolve(UUID.randomUUID().toString());
            return new StoreLocation() {
                @Override
                public StoreSet open(SecretCipher cipher) {
                    return DirectoryStoreSet.open(directory, CipherSource.of(cipher), Clock.systemUTC());
                }

                /** The current generation: the older one kept for slow readers is no longer the stored state. */
                @Override
                public Path storageRoot() throws Exception {
                    Path current = directory.resolve("CURRENT");
                    return Files.exists(current) ? directory.resolve("gen-" + Files.readString(current)) : directory;
                }

                @Override
                public void close() {
                    // The @TempDir, and every location in it, is deleted after the test.
                }
            };
        };
    }
}
