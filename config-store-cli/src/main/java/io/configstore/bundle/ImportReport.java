package io.configstore.bundle;

import java.util.List;

/**
 * What an import did, entry by entry, in bundle order.
 *
 * @param dryRun whether nothing was written (the items say what an import would do)
 * @param items one per entry of the bundle
 */
public record ImportReport(boolean dryRun, List<ImportItem> items) {
    public ImportReport {
        items = List.copyOf(items);
    }

    /** Entries written (or, in a dry run, that would be). */
    public long imported() {
        return count(ImportItem.Outcome.IMPORTED);
    }

    /** Entries the target held already. */
    public long skipped() {
        return count(ImportItem.Outcome.SKIPPED);
    }

    /** Entries that could not be written. */
    public long failed() {
        return count(ImportItem.Outcome.FAILED);
    }

    private long count(ImportItem.Outcome outcome) {
        return items.stream().filter(item -> item.outcome() == outcome).count();
    }

    /** One line with the counts. */
    public String summary() {
        return (dryRun ? "dry run: would import " : "imported ") + imported() + ", skipped " + skipped() + ", failed "
                + failed();
    }
}
