package io.configstore.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Secret;
import io.configstore.internal.Arguments;
import io.configstore.model.NewProviderConfig;

/**
 * One thing to import, read from a source: a provider, an API key with its secret, or a document. Made by the sources
 * of this package; the engine plans and writes them.
 *
 * @param provider for a provider: what to create; its {@code makeDefault} means "the default of its type when the
 *     target has no provider of that type yet" (never taking the flag from a provider the target holds); when a
 *     source flags several of one type, or none, the engine picks one (see {@code ImportEngine.defaultsOf})
 * @param secret for an API key; owned by the batch that holds the entry, destroyed when it is closed
 */
record ImportEntry(String tenantId, String entity, String type, String name, NewProviderConfig provider,
                   Secret secret, boolean active, ObjectNode content, int formatVersion) {
    static final String PROVIDER = "provider";
    static final String API_KEY = "apiKey";
    static final String DOCUMENT = "document";

    ImportEntry {
        Arguments.requireTenantId(tenantId);
    }

    static ImportEntry provider(String tenantId, NewProviderConfig config) {
        return new ImportEntry(tenantId, PROVIDER, config.providerType(), config.name(), config, null, true, null, 0);
    }

    static ImportEntry apiKey(String tenantId, String type, String keyName, Secret secret, boolean active) {
        Arguments.requireProviderType(type);
        Arguments.requireName("keyName", keyName);
        return new ImportEntry(tenantId, API_KEY, type, keyName, null, secret, active, null, 0);
    }

    static ImportEntry document(String tenantId, String name, ObjectNode content, int formatVersion) {
        Arguments.requireName("document name", name);
        return new ImportEntry(tenantId, DOCUMENT, null, name, null, null, true, content, formatVersion);
    }

    /** The natural key within the tenant: {@code type/name}, or the document's name. */
    String key() {
        return type == null ? name : type + "/" + name;
    }

    ImportItem item(ImportItem.Outcome outcome, String detail) {
        return new ImportItem(tenantId, entity, key(), outcome, detail);
    }

    /** Names the entry without any setting value or secret. */
    @Override
    public String toString() {
        return entity + " " + key() + " (tenant " + tenantId + ")";
    }
}
