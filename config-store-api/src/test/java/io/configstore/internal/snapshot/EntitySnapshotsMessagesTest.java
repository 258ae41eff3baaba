package io.configstore.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.StorageException;
import io.configstore.model.Json;
import org.junit.jupiter.api.Test;

/** A history row altered outside configstore is reported by what was expected, never by the text found there. */
class EntitySnapshotsMessagesTest {
    private static final String SECRET = "gsk_live_ABCdef123456XYZ";

    private static ObjectNode entry() {
        return Json.object().put("entity", "CONFIG_DOCUMENT").put("tenantId", "default").put("entityId", "app")
                .put("version", 1).put("changeType", "UPDATE").put("changedAt", "2024-05-01T10:00:00Z")
                .put("changedBy", "ops").put("snapshot", "{}");
    }

    @Test
    void an_unknown_name_or_a_damaged_instant_names_the_expected_shape_and_not_the_stored_text() {
        assertThatThrownBy(() -> EntitySnapshots.toEntry(entry().put("changeType", SECRET)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("expected entity and changeType among the names this version knows")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> EntitySnapshots.toEntry(entry().put("changedAt", SECRET)))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        ObjectNode document = Json.object().put("tenantId", "default").put("name", "app").put("formatVersion", 1)
                .put("revision", 1).put("updatedAt", SECRET).put("changedBy", "ops");
        document.set("content", Json.object());
        assertThatThrownBy(() -> EntitySnapshots.toDocument(document))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("updatedAt is not an ISO-8601 instant")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }
}
