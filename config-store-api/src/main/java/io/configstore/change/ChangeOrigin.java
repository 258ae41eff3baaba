package io.configstore.change;

/** Where a change was made, relative to the store set that reports it. */
public enum ChangeOrigin {
    /** Through this store set, in this process. */
    LOCAL,
    /** Through another store set: another instance, process or machine, or a person editing a file. */
    REMOTE
}
