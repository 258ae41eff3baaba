package io.configstore.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.EntityKind;
import io.configstore.engine.IdempotentWrites.Request;
import io.configstore.internal.Arguments;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;

/**
 * The {@link Request} of each store write, built once here so that every backend fingerprints a write the same way.
 * For backends. A null argument is a {@link io.configstore.error.ValidationException} (the tenant id and the
 * operation's arguments are checked by {@link IdempotentWrites#request}).
 */
public final class Requests {
    private Requests() {
    }

    public static Request createProvider(String tenantId, NewProviderConfig config) {
        Arguments.requireNonNull("config", config);
        return IdempotentWrites.request("provider.create", tenantId, config.providerType(), config.name(),
                config.settings(), config.makeDefault(), config.enabled(), config.priority());
    }

    public static Request updateProvider(String tenantId, ProviderConfig edited) {
        Arguments.requireNonNull("edited", edited);
        return IdempotentWrites.request("provider.update", tenantId, edited.id(), edited.name(), edited.settings(),
                edited.enabled(), edited.priority(), edited.version());
    }

    public static Request deleteProvider(String tenantId, String id) {
        return IdempotentWrites.request("provider.delete", tenantId, id);
    }

    public static Request setDefaultProvider(String tenantId, String id) {
        return IdempotentWrites.request("provider.setDefault", tenantId, id);
    }

    /**
     * The secret is not part of the fingerprint: the backend passes a {@link IdempotentWrites.ReplayCheck} that
     * compares it with the stored key's on a replay.
     */
    public static Request storeKey(String tenantId, String providerType, String keyName) {
        return IdempotentWrites.request("apiKey.store", tenantId, providerType, keyName);
    }

    /** The secret is not part of the fingerprint: see {@link #storeKey}. */
    public static Request rotateKey(String tenantId, String id) {
        return IdempotentWrites.request("apiKey.rotate", tenantId, id);
    }

    public static Request setKeyActive(String tenantId, String id, boolean active) {
        return IdempotentWrites.request(active ? "apiKey.activate" : "apiKey.deactivate", tenantId, id);
    }

    public static Request deleteKey(String tenantId, String id) {
        return IdempotentWrites.request("apiKey.delete", tenantId, id);
    }

    public static Request saveDocument(String tenantId, String name, ObjectNode content, int formatVersion,
                                       long expectedRevision) {
        return IdempotentWrites.request("document.save", tenantId, name, content, formatVersion, expectedRevision);
    }

    public static Request saveDocumentValue(String tenantId, String name, ObjectNode content, long expectedRevision) {
        return IdempotentWrites.request("document.saveValue", tenantId, name, content, expectedRevision);
    }

    /** A function cannot be compared: an update is identified by the document's name. */
    public static Request updateDocument(String tenantId, String name) {
        return IdempotentWrites.request("document.update", tenantId, name);
    }

    public static Request deleteDocument(String tenantId, String name, long expectedRevision) {
        return IdempotentWrites.request("document.delete", tenantId, name, expectedRevision);
    }

    public static Request rollback(String tenantId, EntityKind entity, String id, long toVersion) {
        Arguments.requireNonNull("entity", entity);
        return IdempotentWrites.request("history.rollback", tenantId, entity.name(), id, toVersion);
    }
}
