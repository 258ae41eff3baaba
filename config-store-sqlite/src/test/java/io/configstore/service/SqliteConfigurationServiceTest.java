package io.configstore.service;

import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.testkit.ConfigurationServiceContract;
import io.configstore.testkit.ServiceBackend;
import io.configstore.testkit.TestKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's guarantees on SQLite: store sets open the same database file. A notification is lost by editing the
 * file on a raw connection (which writes no change-log row), and a RESYNC is caused the way pruning causes one: a gap
 * in the change log's sequence.
 */
class SqliteConfigurationServiceTest extends ConfigurationServiceContract {
    @TempDir
    Path directory;

    @Override
    protected ServiceBackend newBackend() {
        Path db = directory.resolve("configstore.db");
        return new ServiceBackend() {
            @Override
            public StoreSet open() {
                return SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher())
                        .changePollInterval(Duration.ofMillis(20)).open();
            }

            @Override
            public void editUnannounced(StoreSet watched, String name, String value) throws SQLException {
                try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + db);
                     PreparedStatement update = raw.prepareStatement("UPDATE config_documents SET content = ?,"
                             + " revision = revision + 1 WHERE tenant_id = 'default' AND name = ?")) {
                    update.setString(1, "{\"edited\":\"" + value + "\"}");
                    update.setString(2, name);
                    if (update.executeUpdate() != 1) {
                        throw new AssertionError("document " + name + " is not in " + db);
                    }
                }
            }

            @Override
            public void triggerResync(StoreSet watched) throws SQLException {
                try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + db);
                     PreparedStatement gap = raw.prepareStatement("INSERT INTO change_log (seq, entity, tenant_id,"
                             + " entity_key, version, kind, origin, committed_at) VALUES ((SELECT MAX(s) FROM"
                             + " (SELECT seq AS s FROM sqlite_sequence WHERE name = 'change_log' UNION ALL"
                             + " SELECT COALESCE(MAX(seq), 0) FROM change_log)) + 5, 'CONFIG_DOCUMENT', 'elsewhere',"
                             + " 'gap', 1, 'CHANGED', 'service-test', ?)")) {
                    gap.setLong(1, System.currentTimeMillis());
                    gap.executeUpdate();
                }
            }

            @Override
            public void close() {
                // JUnit deletes the temporary directory after the test.
            }
        };
    }
}
