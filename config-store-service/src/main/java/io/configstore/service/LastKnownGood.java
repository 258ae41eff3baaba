package io.configstore.service;

import io.configstore.crypto.SealedSecret;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What a configuration service served at one moment, as kept in its snapshot file: every provider configuration,
 * API key (metadata and ciphertext, never a plaintext secret) and document of one tenant, each with its version or
 * revision, the store it came from and when it was read. {@link #toString()} shows counts and revisions only.
 *
 * @param storeIdentity the store it was read from (see {@link ConfigurationServiceBuilder#storeIdentity})
 * @param tenantId the tenant
 * @param syncedAt when the store last answered with this content
 * @param providers the provider configurations
 * @param apiKeys the API keys' metadata
 * @param activeKeyIds the active key's id per provider type, as the store chose it
 * @param sealed each key's ciphertext by key id
 * @param documents the documents
 */
public record LastKnownGood(String storeIdentity, String tenantId, Instant syncedAt, List<ProviderConfig> providers,
                            List<ApiKeyMetadata> apiKeys, Map<String, String> activeKeyIds,
                            Map<String, SealedSecret> sealed, List<ConfigDocument> documents) {
    public LastKnownGood {
        Arguments.requireNonNull("storeIdentity", storeIdentity);
        Arguments.requireNonNull("tenantId", tenantId);
        Arguments.requireNonNull("syncedAt", syncedAt);
        providers = List.copyOf(Arguments.requireNonNull("providers", providers));
        apiKeys = List.copyOf(Arguments.requireNonNull("apiKeys", apiKeys));
        activeKeyIds = Map.copyOf(Arguments.requireNonNull("activeKeyIds", activeKeyIds));
        sealed = Map.copyOf(Arguments.requireNonNull("sealed", sealed));
        documents = List.copyOf(Arguments.requireNonNull("documents", documents));
    }

    /**
     * A short fingerprint of every entity's id and version (document: name and revision): two snapshots with the
     * same revisions have the same fingerprint.
     */
    public String revisions() {
        List<String> parts = new ArrayList<>();
        providers.forEach(p -> parts.add("p:" + p.id() + ":" + p.version()));
        apiKeys.forEach(k -> parts.add("k:" + k.id() + ":" + k.version() + ":" + k.active()));
        documents.forEach(d -> parts.add("d:" + d.name() + ":" + d.revision()));
        parts.sort(null);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Counts, the time and the revisions fingerprint; never a setting value or a ciphertext. */
    @Override
    public String toString() {
        return "LastKnownGood[store " + storeIdentity + ", tenant " + tenantId + ", synced " + syncedAt + ", "
                + providers.size() + " provider(s), " + apiKeys.size() + " API key(s), " + documents.size()
                + " document(s), revisions " + revisions() + "]";
    }
}
