package io.configstore.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.internal.Arguments;
import java.time.Instant;

/**
 * A stored provider configuration, as read. Immutable; to change one, edit a copy with the {@code with...} methods and
 * pass it to {@code ProviderConfigStore.update}, which uses {@link #version()} as the version the caller read.
 *
 * @param id the store-assigned id
 * @param tenantId the tenant that owns it
 * @param providerType the kind of provider, such as {@code openai}
 * @param name unique within (tenant, provider type)
 * @param settings the provider's settings as a JSON object
 * @param isDefault whether it is the default of its type; at most one per (tenant, provider type)
 * @param enabled whether {@code resolve} may pick it
 * @param priority order among enabled providers of a type: the lowest number is preferred
 * @param version starts at 1 and grows by one with every change to this row
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param changedBy who made the last change
 * @param changeReason why, or null
 */
public record ProviderConfig(String id, String tenantId, String providerType, String name, ObjectNode settings,
                             boolean isDefault, boolean enabled, int priority, long version, Instant createdAt,
                             Instant updatedAt, String changedBy, String changeReason) {
    public ProviderConfig {
        Arguments.requireId("id", id);
        Arguments.requireTenantId(tenantId);
        Arguments.requireProviderType(providerType);
        Arguments.requireName("name", name);
        settings = Json.requireObject("settings", settings);
        Arguments.requireVersion("version", version);
        Arguments.requireNonNull("createdAt", createdAt);
        Arguments.requireNonNull("updatedAt", updatedAt);
        Arguments.requireNonNull("changedBy", changedBy);
    }

    /** Returns a copy of the settings: the record's own stays unchanged. */
    @Override
    public ObjectNode settings() {
        return settings.deepCopy();
    }

    /** A copy with another name, to pass to {@code update}. */
    public ProviderConfig withName(String newName) {
        return new ProviderConfig(id, tenantId, providerType, newName, settings, isDefault, enabled, priority, version,
                createdAt, updatedAt, changedBy, changeReason);
    }

    /** A copy with other settings, to pass to {@code update}. */
    public ProviderConfig withSettings(ObjectNode newSettings) {
        return new ProviderConfig(id, tenantId, providerType, name, newSettings, isDefault, enabled, priority, version,
                createdAt, updatedAt, changedBy, changeReason);
    }

    /** A copy enabled or disabled, to pass to {@code update}. */
    public ProviderConfig withEnabled(boolean newEnabled) {
        return new ProviderConfig(id, tenantId, providerType, name, settings, isDefault, newEnabled, priority, version,
                createdAt, updatedAt, changedBy, changeReason);
    }

    /** A copy with another priority, to pass to {@code update}. */
    public ProviderConfig withPriority(int newPriority) {
        return new ProviderConfig(id, tenantId, providerType, name, settings, isDefault, enabled, newPriority, version,
                createdAt, updatedAt, changedBy, changeReason);
    }

    /** Names the provider without printing setting values, which may hold secrets. */
    @Override
    public String toString() {
        return "ProviderConfig[id=" + id + ", tenantId=" + tenantId + ", providerType=" + providerType + ", name="
                + name + ", settings=" + Json.describeKeys(settings) + ", isDefault=" + isDefault + ", enabled="
                + enabled + ", priority=" + priority + ", version=" + version + ", updatedAt=" + updatedAt
                + ", changedBy=" + changedBy + "]";
    }
}
