package io.configstore.memory;

import io.configstore.engine.StoredKey;
import java.util.HashMap;
import java.util.Map;

/** The API keys of a {@link Tables} by (tenant, type, key name), so that storing a key finds a clash without a scan. */
final class ApiKeyIndex implements RowIndex<StoredKey> {
    private final Map<NameKey, String> idByName;

    ApiKeyIndex() {
        this(new HashMap<>());
    }

    private ApiKeyIndex(Map<NameKey, String> idByName) {
        this.idByName = idByName;
    }

    /** The id of the key named {@code keyName} of {@code providerType} in {@code tenantId}, null when none. */
    String idOfName(String tenantId, String providerType, String keyName) {
        return idByName.get(new NameKey(tenantId, providerType, keyName));
    }

    @Override
    public void replaced(StoredKey old, StoredKey row) {
        if (old != null) {
            idByName.remove(new NameKey(old.metadata().tenantId(), old.metadata().providerType(),
                    old.metadata().keyName()), old.metadata().id());
        }
        if (row != null) {
            idByName.put(new NameKey(row.metadata().tenantId(), row.metadata().providerType(),
                    row.metadata().keyName()), row.metadata().id());
        }
    }

    @Override
    public ApiKeyIndex copy() {
        return new ApiKeyIndex(new HashMap<>(idByName));
    }

    private record NameKey(String tenantId, String providerType, String keyName) {
    }
}
