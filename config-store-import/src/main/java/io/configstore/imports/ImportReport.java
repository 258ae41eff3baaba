package io.configstore.imports;

import io.configstore.internal.Arguments;
import java.util.List;

/**
 * What an import did (or, in a dry run, would do), entry by entry in source order, with the source's warnings and
 * the outcome of the verification pass.
 *
 * @param source what was imported, as {@link ImportSource#describe()} says
 * @param dryRun whether nothing was written (the items say what an import would do)
 * @param items one per entry of the source
 * @param warnings what the operator should know or do, such as a source that still holds secrets in clear text
 * @param verifiedSecrets how many imported secrets were revealed from the target and found equal to the source's
 *     before the import committed (0 in a dry run)
 */
public record ImportReport(String source, boolean dryRun, List<ImportItem> items, List<String> warnings,
                           int verifiedSecrets) {
    public ImportReport {
        Arguments.requireNonNull("source", source);
        items = List.copyOf(items);
        warnings = List.copyOf(warnings);
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
                + failed() + (dryRun ? "" : "; verified " + verifiedSecrets + " secret(s)");
    }

    /** The report for people: one line per entry, the warnings, then the summary. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (ImportItem item : items) {
            text.append(item.describe()).append('\n');
        }
        for (String warning : warnings) {
            text.append("warning: ").append(warning).append('\n');
        }
        return text.append(summary()).toString();
    }
}
