package io.configstore.memory;

/**
 * A secondary index of one {@link Table}, kept by the table on every write and on every undo, so that a store call
 * finds rows by something other than their key without scanning the table.
 */
interface RowIndex<V> {
    /** Tells the index that {@code old} (null when the key was absent) was replaced by {@code row} (null: removed). */
    void replaced(V old, V row);

    /** An independent copy, for a private copy of the tables. */
    RowIndex<V> copy();
}
