package io.configstore.service;

import io.configstore.crypto.SealedSecret;
import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.model.ApiKeyMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API key metadata of one tenant as loaded at one moment, with the active key of each type as the store chose
 * it, as immutable maps and ready-made Optionals. Never a plaintext secret; when the service keeps a last-known-good
 * snapshot, the keys' ciphertexts ({@link SealedSecret}), which only the store's cipher opens.
 */
final class ApiKeySnapshot {
    private final List<ApiKeyMetadata> all;
    private final Map<String, Optional<ApiKeyMetadata>> byId;
    private final Map<String, List<ApiKeyMetadata>> byType;
    private final Map<String, Optional<ApiKeyMetadata>> activeByType;
    private final Map<String, SealedSecret> sealed;

    /**
     * @param listed every key of the tenant, in the store's order
     * @param active the store's {@code findActive} answer for each type present in {@code listed}
     */
    ApiKeySnapshot(List<ApiKeyMetadata> listed, Map<String, Optional<ApiKeyMetadata>> active) {
        this(listed, active, Map.of());
    }

    /** Like {@link #ApiKeySnapshot(List, Map)}, keeping the keys' ciphertexts by key id. */
    ApiKeySnapshot(List<ApiKeyMetadata> listed, Map<String, Optional<ApiKeyMetadata>> active,
                   Map<String, SealedSecret> sealedById) {
        this.sealed = Map.copyOf(sealedById);
        this.all = List.copyOf(listed);
        Map<String, Optional<ApiKeyMetadata>> ids = new HashMap<>();
        Map<String, List<ApiKeyMetadata>> types = new LinkedHashMap<>();
        for (ApiKeyMetadata key : all) {
            ids.put(key.id(), Optional.of(key));
            types.computeIfAbsent(key.providerType(), t -> new ArrayList<>()).add(key);
        }
        Map<String, List<ApiKeyMetadata>> typeLists = new HashMap<>();
        types.forEach((type, keys) -> typeLists.put(type, List.copyOf(keys)));
        Map<String, Optional<ApiKeyMetadata>> actives = new HashMap<>();
        // Serve the listed record itself where the store named the same key at the same version, so that every read
        // of one key returns one instance.
        for (Map.Entry<String, Optional<ApiKeyMetadata>> entry : active.entrySet()) {
            Optional<ApiKeyMetadata> found = entry.getValue();
            Optional<ApiKeyMetadata> listedOne = found.map(key -> ids.get(key.id())).orElse(null);
            actives.put(entry.getKey(), listedOne != null && listedOne.equals(found) ? listedOne : found);
        }
        this.byId = Map.copyOf(ids);
        this.byType = Map.copyOf(typeLists);
        this.activeByType = Map.copyOf(actives);
    }

    List<ApiKeyMetadata> all() {
        return all;
    }

    /** The key with this id, or null when the snapshot has none (the caller validates the id then). */
    Optional<ApiKeyMetadata> byId(String id) {
        return byId.get(id);
    }

    List<ApiKeyMetadata> byType(String type) {
        return byType.getOrDefault(type, List.of());
    }

    Optional<ApiKeyMetadata> active(String type) {
        return activeByType.getOrDefault(type, Optional.empty());
    }

    boolean reflects(ChangeEvent event) {
        Optional<ApiKeyMetadata> held = byId.get(event.key());
        if (event.kind() == ChangeKind.DELETED) {
            return held == null;
        }
        return held != null && held.get().version() >= event.version();
    }

    int size() {
        return all.size();
    }

    /** The ciphertext of key {@code id}, or null when it was not kept. */
    SealedSecret sealed(String id) {
        return sealed.get(id);
    }

    /** Every kept ciphertext, by key id. */
    Map<String, SealedSecret> sealedById() {
        return sealed;
    }

    /** The active key's id of each type that has one. */
    Map<String, String> activeIds() {
        Map<String, String> ids = new java.util.TreeMap<>();
        activeByType.forEach((type, key) -> key.ifPresent(k -> ids.put(type, k.id())));
        return ids;
    }
}
