package io.configstore.imports;

import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;

/**
 * How to import a bundle.
 *
 * @param onExisting what to do with entries the target holds already
 * @param dryRun when true, nothing is written: the report says what an import would do
 * @param change who imports, and why; kept with every row written
 */
public record ImportOptions(OnExisting onExisting, boolean dryRun, ChangeContext change) {
    public ImportOptions {
        Arguments.requireNonNull("onExisting", onExisting);
        Arguments.requireNonNull("change", change);
    }

    /** Skip existing entries, write, as {@code change} says. */
    public static ImportOptions skipExisting(ChangeContext change) {
        return new ImportOptions(OnExisting.SKIP, false, change);
    }

    /** The same options as a dry run. */
    public ImportOptions asDryRun() {
        return new ImportOptions(onExisting, true, change);
    }
}
