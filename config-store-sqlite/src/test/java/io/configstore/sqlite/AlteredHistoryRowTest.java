package io.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.change.EntityKind;
import io.configstore.error.StorageException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import io.configstore.testkit.TestKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A change_history row altered by another tool is reported by what it should hold, never by what it holds. */
class AlteredHistoryRowTest {
    private static final String SECRET = "gsk_live_ABCdef123456XYZ";

    @TempDir
    Path dir;

    @Test
    void an_unknown_change_type_names_the_row_and_the_expected_names_but_not_the_stored_text() throws Exception {
        Path db = dir.resolve("store.db");
        try (StoreSet stores = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open()) {
            stores.documents().save("app", Json.object().put("port", 8080), 1, ConfigDocument.NO_REVISION,
                    ChangeContext.by("ops", "test"));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement update = connection.prepareStatement("UPDATE change_history SET change_type = ?")) {
            update.setString(1, SECRET);
            assertThat(update.executeUpdate()).isPositive();
        }
        try (StoreSet stores = SqliteStoreSet.builder().path(db).cipher(TestKeys.cipher()).open()) {
            assertThatThrownBy(() -> stores.history().list(EntityKind.CONFIG_DOCUMENT, "app"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("a change_history row of app holds a value configstore does not know")
                    .hasMessageContaining("expected entity and change_type among the names this version knows")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        }
    }
}
