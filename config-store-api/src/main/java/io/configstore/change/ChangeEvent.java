package io.configstore.change;

import io.configstore.internal.Arguments;

/**
 * One committed change, as a subscriber of {@link io.configstore.store.StoreSet#subscribe} learns of it. Small on
 * purpose (it says what changed, not the new value): a subscriber that needs the value reads it.
 *
 * @param kind a change, a deletion, or a request to reload everything
 * @param entity what kind of entity changed; null for {@link ChangeKind#RESYNC}
 * @param tenantId the tenant of the entity; null for {@link ChangeKind#RESYNC}
 * @param key the entity's id (a document's name); null for {@link ChangeKind#RESYNC}
 * @param version the entity's version (a document's revision) after the change; for a deletion, the last version
 *     it had; 0 for {@link ChangeKind#RESYNC}
 * @param origin whether the change was made through this store set or elsewhere (another store set, process or
 *     machine)
 */
public record ChangeEvent(ChangeKind kind, EntityKind entity, String tenantId, String key, long version,
                          ChangeOrigin origin) {
    public ChangeEvent {
        Arguments.requireNonNull("kind", kind);
        Arguments.requireNonNull("origin", origin);
        if (kind != ChangeKind.RESYNC) {
            Arguments.requireNonNull("entity", entity);
            Arguments.requireNonNull("tenantId", tenantId);
            Arguments.requireNonNull("key", key);
        }
    }

    /** A change to an entity. */
    public static ChangeEvent changed(EntityKind entity, String tenantId, String key, long version,
                                      ChangeOrigin origin) {
        return new ChangeEvent(ChangeKind.CHANGED, entity, tenantId, key, version, origin);
    }

    /** A deletion of an entity that had {@code lastVersion}. */
    public static ChangeEvent deleted(EntityKind entity, String tenantId, String key, long lastVersion,
                                      ChangeOrigin origin) {
        return new ChangeEvent(ChangeKind.DELETED, entity, tenantId, key, lastVersion, origin);
    }

    /** Changes may have been missed (a notification connection dropped): reload everything. */
    public static ChangeEvent resync(ChangeOrigin origin) {
        return new ChangeEvent(ChangeKind.RESYNC, null, null, null, 0, origin);
    }
}
