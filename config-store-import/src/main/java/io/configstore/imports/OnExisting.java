package io.configstore.imports;

/** What an import does with an entry whose natural key the target already holds. */
public enum OnExisting {
    /** Leave the target's entry as it is and count the bundle's as skipped; import the rest. */
    SKIP,
    /** Refuse the whole import, writing nothing, when any entry exists already. */
    FAIL
}
