package io.configstore.change;

/** The kinds of entity a {@link ChangeEvent} can name. */
public enum EntityKind {
    /** A provider configuration; the event's key is its id. */
    PROVIDER_CONFIG,
    /** An API key; the event's key is its id. */
    API_KEY,
    /** A configuration document; the event's key is its name. */
    CONFIG_DOCUMENT
}
