package io.configstore.sqlite;

import io.configstore.crypto.SecretCipher;
import io.configstore.store.StoreSet;
import io.configstore.testkit.StoreBackend;
import io.configstore.testkit.StoreContractKit;
import io.configstore.testkit.StoreLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The whole contract kit on SQLite: each location is a fresh database file in its own temporary directory. */
class SqliteContractTest implements StoreContractKit {
    @Override
    public StoreBackend backend() {
        return () -> new SqliteLocation(Files.createTempDirectory("configstore-contract-"));
    }

    /** A directory holding one database file (and its -wal and -shm). */
    private record SqliteLocation(Path directory) implements StoreLocation {
        @Override
        public StoreSet open(SecretCipher cipher) {
            return SqliteStoreSet.builder().path(directory.resolve("configstore.db")).cipher(cipher).open();
        }

        @Override
        public void close() throws IOException {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(directory)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path path : paths) {
                Files.delete(path);
            }
        }
    }
}
