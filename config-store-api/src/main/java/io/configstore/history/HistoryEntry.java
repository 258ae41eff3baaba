package io.configstore.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.EntityKind;
import io.configstore.internal.Arguments;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.Json;
import java.time.Instant;

/**
 * One row of the audit trail: the state of one entity after one write.
 *
 * <p>{@code version} numbers the entity's entries 1, 2, 3 ...: it equals the entity's version (a document's
 * revision) after the write whenever the history covers the entity's whole life, and keeps growing across a delete
 * and a re-creation (a document's revision starts again at 1 then; its history does not).
 *
 * <p>The snapshot of an API key handed out by {@link ChangeHistory} holds its metadata only: neither the plaintext
 * nor the ciphertext (the backend keeps that for rollback in its own rows); {@link #toString()} shows no snapshot.
 *
 * @param entity what kind of entity
 * @param tenantId its tenant
 * @param entityId its id (a document's name)
 * @param version the entry's position in the entity's history, from 1
 * @param changeType what the write did
 * @param changedAt when it was written (milliseconds)
 * @param changedBy who wrote it
 * @param reason why, or null
 * @param snapshot the entity's state after the write as JSON text (for {@link ChangeType#DELETE}, its last state);
 *     see {@link EntitySnapshots}
 */
public record HistoryEntry(EntityKind entity, String tenantId, String entityId, long version, ChangeType changeType,
                           Instant changedAt, String changedBy, String reason, String snapshot) {
    public HistoryEntry {
        Arguments.requireNonNull("entity", entity);
        Arguments.requireTenantId(tenantId);
        Arguments.requireNonNull("entityId", entityId);
        Arguments.requireVersion("version", version);
        Arguments.requireNonNull("changeType", changeType);
        Arguments.requireNonNull("changedAt", changedAt);
        Arguments.requireNonNull("changedBy", changedBy);
        Arguments.requireNonNull("snapshot", snapshot);
    }

    /** The snapshot parsed: a fresh copy each call. */
    public ObjectNode snapshotJson() {
        return Json.readStored("the history snapshot of " + entity + " '" + entityId + "' version " + version,
                snapshot);
    }

    /** Names the entry; never shows the snapshot (an API key's holds its ciphertext). */
    @Override
    public String toString() {
        return "HistoryEntry[" + entity + " " + tenantId + "/" + entityId + " v" + version + " " + changeType + " at "
                + changedAt + " by " + changedBy + "]";
    }
}
