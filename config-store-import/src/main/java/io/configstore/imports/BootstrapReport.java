package io.configstore.imports;

import java.util.List;

/**
 * What {@link Bootstrap#run} did.
 *
 * @param alreadyDone true when an earlier start had bootstrapped the store: nothing was read or written this time
 * @param completedAt when the bootstrap that counts ran (this one, or the earlier one), ISO-8601
 * @param imports one report per source imported this time (empty when already done)
 * @param notes what was worth telling: a configured file that did not exist, for example
 */
public record BootstrapReport(boolean alreadyDone, String completedAt, List<ImportReport> imports,
                              List<String> notes) {
    public BootstrapReport {
        imports = List.copyOf(imports);
        notes = List.copyOf(notes);
    }

    /** One line for a start-up log: what was imported, or that it had been done. */
    public String summary() {
        if (alreadyDone) {
            return "bootstrap: done already on " + completedAt + "; nothing imported";
        }
        long imported = imports.stream().mapToLong(ImportReport::imported).sum();
        long skipped = imports.stream().mapToLong(ImportReport::skipped).sum();
        long failed = imports.stream().mapToLong(ImportReport::failed).sum();
        return "bootstrap: imported " + imported + ", skipped " + skipped + ", failed " + failed + " from "
                + imports.size() + " source(s)" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
    }
}
