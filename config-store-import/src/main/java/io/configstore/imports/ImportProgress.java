package io.configstore.imports;

/** Told as an import or export goes, entry by entry (a progress bar, a log line). */
@FunctionalInterface
public interface ImportProgress {
    /** A no-op. */
    ImportProgress NONE = (done, total) -> { };

    /** {@code done} of {@code total} entries are handled. */
    void onEntry(int done, int total);
}
