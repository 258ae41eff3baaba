package io.configstore.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.internal.Arguments;
import java.time.Instant;

/**
 * A stored configuration document, as read: a JSON object with its format version and revision.
 *
 * @param tenantId the tenant that owns it
 * @param name the document's name, unique within the tenant
 * @param content the document, a JSON object
 * @param formatVersion the version of the document's own format (the host's schema for it), at least 1
 * @param revision starts at 1 and grows by one with every save; pass it back to {@code save} as the expected revision
 * @param updatedAt when it was last saved
 * @param changedBy who saved it last
 * @param changeReason why, or null
 */
public record ConfigDocument(String tenantId, String name, ObjectNode content, int formatVersion, long revision,
                             Instant updatedAt, String changedBy, String changeReason) {
    /** The expected revision that means "the document must not exist yet". */
    public static final long NO_REVISION = 0;

    public ConfigDocument {
        Arguments.requireTenantId(tenantId);
        Arguments.requireName("name", name);
        content = Json.requireObject("content", content);
        Arguments.requireVersion("formatVersion", formatVersion);
        Arguments.requireVersion("revision", revision);
        Arguments.requireNonNull("updatedAt", updatedAt);
        Arguments.requireNonNull("changedBy", changedBy);
    }

    /** Returns a copy of the content: the record's own stays unchanged. */
    @Override
    public ObjectNode content() {
        return content.deepCopy();
    }

    /**
     * Binds the content to a host type with Jackson. Unknown properties are ignored, so older code can read a
     * document that newer code extended.
     *
     * @throws io.configstore.error.ValidationException naming the problem when the content does not fit the type
     */
    public <T> T bind(Class<T> type) {
        return Json.bind("document '" + name + "'", content, type);
    }

    /** Names the document without printing its values, which may hold secrets. */
    @Override
    public String toString() {
        return "ConfigDocument[tenantId=" + tenantId + ", name=" + name + ", content=" + Json.describeKeys(content)
                + ", formatVersion=" + formatVersion + ", revision=" + revision + ", updatedAt=" + updatedAt
                + ", changedBy=" + changedBy + "]";
    }
}
