package io.configstore.memory.spi;

import io.configstore.change.ChangeEvent;
import io.configstore.internal.Arguments;
import java.util.List;

/**
 * Rows a {@link StorageJournal} found changed outside this storage (another process, a person), and what it knows
 * of how they changed.
 *
 * @param rows every row as it is now
 * @param changes the changes that led there, in commit order, when the journal kept them (so that every version is
 *     told, not only the last); null when unknown, and the storage tells what differs from the rows it had
 * @param resync whether changes may have been missed: subscribers are told to reload everything first
 */
public record ExternalChange(StorageRows rows, List<ChangeEvent> changes, boolean resync) {
    public ExternalChange {
        Arguments.requireNonNull("rows", rows);
        changes = changes == null ? null : List.copyOf(changes);
    }

    /** New rows whose changes are not known: subscribers hear what differs. */
    public static ExternalChange diffed(StorageRows rows) {
        return new ExternalChange(rows, null, false);
    }

    /** New rows with the changes that led to them, as the journal logged them. */
    public static ExternalChange logged(StorageRows rows, List<ChangeEvent> changes) {
        return new ExternalChange(rows, Arguments.requireNonNull("changes", changes), false);
    }

    /** New rows after changes that were missed: subscribers are told to reload everything, then what differs. */
    public static ExternalChange afterGap(StorageRows rows) {
        return new ExternalChange(rows, null, true);
    }
}
