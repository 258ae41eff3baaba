package io.configstore.model;

import io.configstore.internal.Arguments;

/**
 * A document bound to a host type, with the revision it was read at.
 *
 * @param value the bound value
 * @param revision the document's revision; pass it back as the expected revision when saving
 * @param formatVersion the document's format version
 */
public record Versioned<T>(T value, long revision, int formatVersion) {
    public Versioned {
        Arguments.requireNonNull("value", value);
        Arguments.requireVersion("revision", revision);
    }
}
