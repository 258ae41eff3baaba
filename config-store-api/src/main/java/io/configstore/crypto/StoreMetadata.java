package io.configstore.crypto;

import java.util.Optional;

/**
 * Small named values a backend keeps about itself, beside the stores: the key-derivation parameters of a
 * password-derived master key, the key-check value of each master key. Never a key or a secret. Backends implement
 * it over their own storage (a table, a section of the store file) for the code in {@code io.configstore.crypto}
 * that runs when a store opens.
 */
public interface StoreMetadata {
    /** The value stored under {@code name}, or empty. */
    Optional<String> get(String name);

    /**
     * Stores {@code value} under {@code name} unless a value is already there, atomically, so that two processes
     * opening a new store at once agree on one value.
     *
     * @return the value stored under {@code name} afterwards: {@code value}, or the one that was there first
     */
    String putIfAbsent(String name, String value);

    /** Removes the value stored under {@code name}, if any. */
    void remove(String name);
}
