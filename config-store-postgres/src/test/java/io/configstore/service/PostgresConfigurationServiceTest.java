package io.configstore.service;

import io.configstore.postgres.PostgresTestStores;
import io.configstore.store.StoreSet;
import io.configstore.testkit.ConfigurationServiceContract;
import io.configstore.testkit.PostgresTestServer;
import io.configstore.testkit.ServiceBackend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The service's guarantees on PostgreSQL ({@code 127.0.0.1:5432}, user {@code postgres}, or
 * {@code CONFIGSTORE_TEST_PG_URL} / {@code CONFIGSTORE_TEST_PG_USER}): each test works in a fresh schema with a random
 * name, dropped after. A notification is lost by editing a row on a raw connection (no NOTIFY), and a RESYNC is
 * caused by ending the listening connections, as a server restart would. A missing server fails every test, naming
 * the command that starts it.
 */
class PostgresConfigurationServiceTest extends ConfigurationServiceContract {
    @Override
    protected ServiceBackend newBackend() throws SQLException {
        PostgresTestServer.admin().close();
        String schema = PostgresTestServer.newSchemaName();
        return new ServiceBackend() {
            @Override
            public StoreSet open() {
                return PostgresTestStores.builder(schema).open();
            }

            @Override
            public void editUnannounced(StoreSet watched, String name, String value) throws SQLException {
                try (Connection raw = PostgresTestServer.admin();
                     PreparedStatement update = raw.prepareStatement("UPDATE \"" + schema + "\".config_documents"
                             + " SET content = ?::jsonb, revision = revision + 1"
                             + " WHERE tenant_id = 'default' AND name = ?")) {
                    update.setString(1, "{\"edited\":\"" + value + "\"}");
                    update.setString(2, name);
                    if (update.executeUpdate() != 1) {
                        throw new AssertionError("document " + name + " is not in schema " + schema);
                    }
                }
            }

            @Override
            public void triggerResync(StoreSet watched) throws SQLException {
                String listen = "LISTEN \"configstore_" + schema + "\"";
                try (Connection raw = PostgresTestServer.admin();
                     PreparedStatement terminate = raw.prepareStatement("SELECT pg_terminate_backend(pid) FROM"
                             + " pg_stat_activity WHERE pid <> pg_backend_pid() AND query = ?")) {
                    terminate.setString(1, listen);
                    try (ResultSet rows = terminate.executeQuery()) {
                        if (!rows.next()) {
                            throw new AssertionError("no connection of schema " + schema + " was listening");
                        }
                    }
                }
            }

            @Override
            public void close() throws SQLException {
                PostgresTestServer.dropSchema(schema);
            }
        };
    }

}
