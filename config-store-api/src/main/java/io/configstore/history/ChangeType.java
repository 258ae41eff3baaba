package io.configstore.history;

/** What a write did to an entity, as its {@link HistoryEntry} records it. */
public enum ChangeType {
    /** The entity was created (a provider, an API key stored, a document saved for the first time). */
    CREATE,
    /** Its content changed (a provider's name, settings or priority; a document's content). */
    UPDATE,
    /** It was deleted; the entry's snapshot is its last state. */
    DELETE,
    /** A provider was enabled or an API key activated. */
    ENABLE,
    /** A provider was disabled or an API key deactivated. */
    DISABLE,
    /** A provider became, or stopped being, the default of its type. */
    DEFAULT_CHANGE,
    /** An API key got a new secret. */
    KEY_ROTATION,
    /** It was rolled back to an earlier version by {@link ChangeHistory#rollback}. */
    ROLLBACK
}
