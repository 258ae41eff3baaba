package io.configstore.change;

/** What a {@link ChangeEvent} reports. */
public enum ChangeKind {
    /** An entity was created or changed. */
    CHANGED,
    /** An entity was deleted. */
    DELETED,
    /**
     * Changes may have been missed, for example while a notification connection was down: drop what you cached and
     * reload everything.
     */
    RESYNC
}
