package io.configstore.model;

import io.configstore.internal.Arguments;
import java.time.Instant;

/**
 * What is known about a stored API key, without the key itself. Reveal the secret explicitly with
 * {@code ApiKeyStore.reveal}.
 *
 * @param id the store-assigned id
 * @param tenantId the tenant that owns it
 * @param providerType the kind of provider it is for, such as {@code openai}
 * @param keyName unique within (tenant, provider type)
 * @param active whether it may be handed out as the active key of its type
 * @param version starts at 1 and grows by one with every change (rotation, activation, deactivation, rewrap under
 *     another master key)
 * @param encryptionKeyId the id of the master key that encrypted the stored secret
 * @param createdAt when it was stored
 * @param updatedAt when it last changed (recording a use, or a rewrap under another master key, is not a change)
 * @param lastUsedAt when a use was last recorded, or null if never
 * @param changedBy who made the last change
 * @param changeReason why, or null
 */
public record ApiKeyMetadata(String id, String tenantId, String providerType, String keyName, boolean active,
                             long version, String encryptionKeyId, Instant createdAt, Instant updatedAt,
                             Instant lastUsedAt, String changedBy, String changeReason) {
    public ApiKeyMetadata {
        Arguments.requireId("id", id);
        Arguments.requireTenantId(tenantId);
        Arguments.requireProviderType(providerType);
        Arguments.requireName("keyName", keyName);
        Arguments.requireVersion("version", version);
        Arguments.requireNonNull("encryptionKeyId", encryptionKeyId);
        Arguments.requireNonNull("createdAt", createdAt);
        Arguments.requireNonNull("updatedAt", updatedAt);
        Arguments.requireNonNull("changedBy", changedBy);
    }
}
