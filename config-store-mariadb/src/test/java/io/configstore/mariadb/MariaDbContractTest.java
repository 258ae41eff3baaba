package io.configstore.mariadb;

import io.configstore.crypto.SecretCipher;
import io.configstore.store.StoreSet;
import io.configstore.testkit.MariaDbTestServer;
import io.configstore.testkit.StoreBackend;
import io.configstore.testkit.StoreContractKit;
import io.configstore.testkit.StoreLocation;
import java.sql.SQLException;

/** The whole contract kit on MariaDB: each location is a fresh database with a random name, dropped after. */
class MariaDbContractTest implements StoreContractKit {
    @Override
    public StoreBackend backend() {
        return () -> {
            MariaDbTestServer.admin().close();
            return new MariaDbLocation(MariaDbTestServer.newDatabaseName());
        };
    }

    /** One database of the test server. */
    private record MariaDbLocation(String database) implements StoreLocation {
        @Override
        public StoreSet open(SecretCipher cipher) {
            return MariaDbTestStores.builder(database).cipher(cipher).open();
        }

        @Override
        public String storedHistory() throws SQLException {
            StringBuilder text = new StringBuilder();
            try (java.sql.Connection connection = MariaDbTestServer.admin();
                 java.sql.Statement select = connection.createStatement();
                 java.sql.ResultSet row = select.executeQuery("SELECT entity_id, version, change_type, snapshot FROM `" + database + "`.change_history")) {
                while (row.next()) {
                    text.append(row.getString(1)).append(' ').append(row.getString(2)).append(' ')
                            .append(row.getString(3)).append(' ').append(row.getString(4)).append('\n');
                }
            }
            return text.toString();
        }

        @Override
        public String storedIdempotencyRecords() throws SQLException {
            StringBuilder text = new StringBuilder();
            try (java.sql.Connection connection = MariaDbTestServer.admin();
                 java.sql.Statement select = connection.createStatement();
                 java.sql.ResultSet row = select.executeQuery("SELECT actor, idempotency_key, fingerprint, result"
                         + " FROM `" + database + "`.idempotency_records")) {
                while (row.next()) {
                    text.append(row.getString(1)).append(' ').append(row.getString(2)).append(' ')
                            .append(row.getString(3)).append(' ').append(row.getString(4)).append('\n');
                }
            }
            return text.toString();
        }

        @Override
        public void relabelStoredKeyIds(String keyId) throws SQLException {
            try (java.sql.Connection connection = MariaDbTestServer.admin();
                 java.sql.PreparedStatement update = connection.prepareStatement(
                         "UPDATE `" + database + "`.api_keys SET encryption_key_id = ?")) {
                update.setString(1, keyId);
                update.executeUpdate();
            }
        }

        @Override
        public void close() throws SQLException {
            MariaDbTestServer.dropDatabase(database);
        }
    }
}
