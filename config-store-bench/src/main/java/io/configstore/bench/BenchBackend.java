package io.configstore.bench;

import io.configstore.crypto.KeyRing;
import io.configstore.crypto.MasterKey;
import io.configstore.memory.InMemoryStoreSet;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A backend a benchmark opens by its {@code @Param} name, and the files it must delete afterwards. */
final class BenchBackend implements AutoCloseable {
    private final StoreSet stores;
    private final Path directory;

    private BenchBackend(StoreSet stores, Path directory) {
        this.stores = stores;
        this.directory = directory;
    }

    /** Opens {@code memory} or {@code sqlite} (a fresh file in a temporary directory) with a fresh key ring. */
    static BenchBackend open(String name) throws IOException {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("bench"));
        return switch (name) {
            case "memory" -> new BenchBackend(InMemoryStoreSet.open(ring), null);
            case "sqlite" -> {
                Path directory = Files.createTempDirectory("configstore-bench-");
                yield new BenchBackend(SqliteStoreSet.builder().path(directory.resolve("bench.db")).cipher(ring)
                        .open(), directory);
            }
            default -> throw new IllegalArgumentException("unknown benchmark backend '" + name + "'");
        };
    }

    /** The open store set. */
    StoreSet stores() {
        return stores;
    }

    /** Closes the store set and deletes its files. */
    @Override
    public void close() throws IOException {
        stores.close();
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
