package io.configstore.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.error.ValidationException;
import io.configstore.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The payload of one change notification: the sending store set's instance id, the kind of change, the entity, its
 * tenant, key and version, as compact JSON. Ids only, never a value, so a payload stays far below PostgreSQL's
 * 8000-byte limit (names and ids are at most a few hundred characters).
 *
 * @param instanceId the store set that made the change
 * @param event the change, with origin {@link ChangeOrigin#REMOTE} once decoded
 */
record ChangeNotification(String instanceId, ChangeEvent event) {
    /** PostgreSQL's longest identifier, and so the longest channel name. */
    private static final int MAX_CHANNEL_LENGTH = 63;
    private static final String CHANNEL_PREFIX = "configstore_";

    /**
     * The channel of the stores in {@code schema}. Channels are database-wide, so the name is derived from the
     * schema, so that stores in two schemas of one database never hear each other. It is lower case (the schema name
     * is), because an unquoted {@code LISTEN Foo} listens on {@code foo}; a schema name too long for the limit is cut
     * and completed with a hash of the whole name.
     */
    static String channel(String schema) {
        String channel = CHANNEL_PREFIX + schema;
        if (channel.length() <= MAX_CHANNEL_LENGTH) {
            return channel;
        }
        String hash = String.format("%08x", schema.hashCode());
        return channel.substring(0, MAX_CHANNEL_LENGTH - hash.length() - 1) + "_" + hash;
    }

    /** The payload that tells others of {@code event}, made by store set {@code instanceId}. */
    static String encode(String instanceId, ChangeEvent event) {
        ObjectNode payload = Json.object();
        payload.put("i", instanceId);
        payload.put("k", event.kind().name());
        payload.put("e", event.entity().name());
        payload.put("t", event.tenantId());
        payload.put("n", event.key());
        payload.put("v", event.version());
        return payload.toString();
    }

    /** The notification in {@code payload}, or empty when it is not one configstore sent. */
    static Optional<ChangeNotification> decode(String payload) {
        try {
            JsonNode node = Json.readWhole("a change notification", payload.getBytes(StandardCharsets.UTF_8),
                    "a configstore change notification");
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            ChangeKind kind = ChangeKind.valueOf(node.path("k").asText());
            EntityKind entity = EntityKind.valueOf(node.path("e").asText());
            String tenant = node.path("t").textValue();
            String key = node.path("n").textValue();
            String instance = node.path("i").textValue();
            if (kind == ChangeKind.RESYNC || tenant == null || key == null || instance == null
                    || !node.path("v").canConvertToLong()) {
                return Optional.empty();
            }
            return Optional.of(new ChangeNotification(instance,
                    new ChangeEvent(kind, entity, tenant, key, node.path("v").asLong(), ChangeOrigin.REMOTE)));
        } catch (ValidationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
