package io.configstore.memory;

import io.configstore.model.ProviderConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The provider configurations of a {@link Tables} by (tenant, type): their ids, the id of each name and of the
 * default. A create, a rename or a change of default reads it instead of scanning every provider of every tenant.
 */
final class ProviderIndex implements RowIndex<ProviderConfig> {
    private final Map<TypeKey, Set<String>> idsByType;
    private final Map<NameKey, String> idByName;
    private final Map<TypeKey, String> defaultByType;

    ProviderIndex() {
        this(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    private ProviderIndex(Map<TypeKey, Set<String>> idsByType, Map<NameKey, String> idByName,
                          Map<TypeKey, String> defaultByType) {
        this.idsByType = idsByType;
        this.idByName = idByName;
        this.defaultByType = defaultByType;
    }

    /** The ids of the providers of {@code providerType} in {@code tenantId}, read-only; empty when it has none. */
    Set<String> idsOfType(String tenantId, String providerType) {
        Set<String> ids = idsByType.get(new TypeKey(tenantId, providerType));
        return ids == null ? Set.of() : java.util.Collections.unmodifiableSet(ids);
    }

    /** The id of the provider named {@code name} of {@code providerType} in {@code tenantId}, null when none. */
    String idOfName(String tenantId, String providerType, String name) {
        return idByName.get(new NameKey(tenantId, providerType, name));
    }

    /** The id of the default provider of {@code providerType} in {@code tenantId}, null when it has none. */
    String defaultOf(String tenantId, String providerType) {
        return defaultByType.get(new TypeKey(tenantId, providerType));
    }

    @Override
    public void replaced(ProviderConfig old, ProviderConfig row) {
        if (old != null) {
            TypeKey type = new TypeKey(old.tenantId(), old.providerType());
            Set<String> ids = idsByType.get(type);
            if (ids != null && ids.remove(old.id()) && ids.isEmpty()) {
                idsByType.remove(type);
            }
            idByName.remove(new NameKey(old.tenantId(), old.providerType(), old.name()), old.id());
            if (old.isDefault()) {
                defaultByType.remove(type, old.id());
            }
        }
        if (row != null) {
            TypeKey type = new TypeKey(row.tenantId(), row.providerType());
            idsByType.computeIfAbsent(type, t -> new HashSet<>()).add(row.id());
            idByName.put(new NameKey(row.tenantId(), row.providerType(), row.name()), row.id());
            if (row.isDefault()) {
                defaultByType.put(type, row.id());
            }
        }
    }

    @Override
    public ProviderIndex copy() {
        Map<TypeKey, Set<String>> ids = new HashMap<>();
        idsByType.forEach((type, set) -> ids.put(type, new HashSet<>(set)));
        return new ProviderIndex(ids, new HashMap<>(idByName), new HashMap<>(defaultByType));
    }

    private record TypeKey(String tenantId, String providerType) {
    }

    private record NameKey(String tenantId, String providerType, String name) {
    }
}
