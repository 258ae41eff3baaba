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
        public String storedHistory() throws java.sql.SQLException {
            StringBuilder text = new StringBuilder();
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                    + directory.resolve("configstore.db"));
                 java.sql.Statement select = connection.createStatement();
                 java.sql.ResultSet row = select.executeQuery("SELECT entity_id, version, change_type, snapshot FROM change_history")) {
                while (row.next()) {
                    text.append(row.getString(1)).append(' ').append(row.getString(2)).append(' ')
                            .append(row.getString(3)).append(' ').append(row.getString(4)).append('\n');
                }
            }
            return text.toString();
        }

        @Override
        public String storedIdempotencyRecords() throws java.sql.SQLException {
            StringBuilder text = new StringBuilder();
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                    + directory.resolve("configstore.db"));
                 java.sql.Statement select = connection.createStatement();
                 java.sql.ResultSet row = select.executeQuery("SELECT actor, idempotency_key, fingerprint, result"
                         + " FROM idempotency_records")) {
                while (row.next()) {
                    text.append(row.getString(1)).append(' ').append(row.getString(2)).append(' ')
                            .append(row.getString(3)).append(' ').append(row.getString(4)).append('\n');
                }
            }
            return text.toString();
        }

        @Override
        public void relabelStoredKeyIds(String keyId) throws java.sql.SQLException {
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                    + directory.resolve("configstore.db"));
                 java.sql.PreparedStatement update = connection.prepareStatement(
                         "UPDATE api_keys SET encryption_key_id = ?")) {
                update.setString(1, keyId);
                update.executeUpdate();
            }
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
