package io.configstore.service;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.model.ProviderConfig;
import io.configstore.store.ProviderSelection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider configurations of one tenant as loaded at one moment, with every answer the read methods give
 * computed once: lookups by id, type and name, the default and the resolved provider of each type, all as immutable
 * maps of the stored (immutable) records and ready-made Optionals.
 */
final class ProviderSnapshot {
    private final List<ProviderConfig> all;
    private final Map<String, Optional<ProviderConfig>> byId;
    private final Map<String, List<ProviderConfig>> byType;
    private final Map<String, List<ProviderConfig>> byName;
    private final Map<String, Optional<ProviderConfig>> defaultByType;
    private final Map<String, Optional<ProviderConfig>> resolvedByType;

    private ProviderSnapshot(List<ProviderConfig> listed) {
        this.all = List.copyOf(listed);
        Map<String, Optional<ProviderConfig>> ids = new HashMap<>();
        Map<String, List<ProviderConfig>> types = new LinkedHashMap<>();
        Map<String, List<ProviderConfig>> names = new LinkedHashMap<>();
        for (ProviderConfig p : all) {
            ids.put(p.id(), Optional.of(p));
            types.computeIfAbsent(p.providerType(), t -> new ArrayList<>()).add(p);
            names.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p);
        }
        Map<String, Optional<ProviderConfig>> defaults = new HashMap<>();
        Map<String, Optional<ProviderConfig>> resolved = new HashMap<>();
        types.forEach((type, ofType) -> {
            defaults.put(type, ofType.stream().filter(ProviderConfig::isDefault).findFirst());
            resolved.put(type, ProviderSelection.resolve(ofType));
        });
        this.byId = Map.copyOf(ids);
        this.byType = immutableLists(types);
        this.byName = immutableLists(names);
        this.defaultByType = Map.copyOf(defaults);
        this.resolvedByType = Map.copyOf(resolved);
    }

    /** A snapshot of {@code listed}, in the store's listing order (type, then preference). */
    static ProviderSnapshot of(List<ProviderConfig> listed) {
        List<ProviderConfig> sorted = new ArrayList<>(listed);
        sorted.sort(ProviderSelection.LISTING);
        return new ProviderSnapshot(sorted);
    }

    List<ProviderConfig> all() {
        return all;
    }

    /** The configuration with this id, or null when the snapshot has none (the caller validates the id then). */
    Optional<ProviderConfig> byId(String id) {
        return byId.get(id);
    }

    List<ProviderConfig> byType(String type) {
        return byType.getOrDefault(type, List.of());
    }

    List<ProviderConfig> byName(String name) {
        return byName.getOrDefault(name, List.of());
    }

    Optional<ProviderConfig> defaultOf(String type) {
        return defaultByType.getOrDefault(type, Optional.empty());
    }

    Optional<ProviderConfig> resolve(String type) {
        return resolvedByType.getOrDefault(type, Optional.empty());
    }

    /** Whether this snapshot already shows what {@code event} reports (then it need not be dropped). */
    boolean reflects(ChangeEvent event) {
        Optional<ProviderConfig> held = byId.get(event.key());
        if (event.kind() == ChangeKind.DELETED) {
            return held == null;
        }
        return held != null && held.get().version() >= event.version();
    }

    int size() {
        return all.size();
    }

    private static Map<String, List<ProviderConfig>> immutableLists(Map<String, List<ProviderConfig>> lists) {
        Map<String, List<ProviderConfig>> copy = new HashMap<>();
        lists.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Map.copyOf(copy);
    }
}
