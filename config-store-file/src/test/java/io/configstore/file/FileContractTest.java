package io.configstore.file;

import io.configstore.crypto.SecretCipher;
import io.configstore.store.StoreSet;
import io.configstore.testkit.StoreBackend;
import io.configstore.testkit.StoreContractKit;
import io.configstore.testkit.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole contract kit on the file backend: each location is a fresh directory, and every open of it (a reopen,
 * or a second instance through {@code openAnother}) is a separate engine coordinating through the files, exactly as
 * two processes would.
 */
class FileContractTest implements StoreContractKit {
    @TempDir
    Path root;

    @Override
    public StoreBackend backend() {
        return () -> {
            Path directory = root.resolve(UUID.randomUUID().toString());
            return new StoreLocation() {
                @Override
                public StoreSet open(SecretCipher cipher) {
                    return FileStoreSet.builder().directory(directory).cipher(cipher)
                            .watchInterval(Duration.ofMillis(50)).open();
                }

                @Override
                public String storedIdempotencyRecords() throws Exception {
                    return section("idempotency");
                }

                @Override
                public String storedHistory() throws Exception {
                    return section("history");
                }

                /** Edits the store file as a person would: a hand edit the next read picks up. */
                @Override
                public void relabelStoredKeyIds(String keyId) throws Exception {
                    Path file = directory.resolve(FileStoreSet.STORE_FILE);
                    com.fasterxml.jackson.databind.node.ObjectNode root =
                            (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind
                                    .ObjectMapper().readTree(Files.readString(file));
                    root.path("tenants").forEach(tenant -> tenant.path("apiKeys").forEach(key ->
                            ((com.fasterxml.jackson.databind.node.ObjectNode) key).put("encryptionKeyId", keyId)));
                    Files.writeString(file, io.configstore.model.Json.write(root));
                }

                /** One section of the store file, as written. */
                private String section(String name) throws Exception {
                    Path file = directory.resolve(FileStoreSet.STORE_FILE);
                    if (!Files.exists(file)) {
                        return "";
                    }
                    return io.configstore.model.Json.write(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(Files.readString(file)).path(name));
                }

                @Override
                public void close() throws Exception {
                    if (Files.exists(directory)) {
                        try (Stream<Path> files = Files.walk(directory)) {
                            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                                Files.delete(file);
                            }
                        }
                    }
                }
            };
        };
    }
}
