package io.configstore.imports;

import io.configstore.crypto.Secret;
import java.util.ArrayList;
import java.util.List;

/** Everything a source read, before any write: its entries and what the report should warn of. Owns the secrets. */
final class ImportBatch implements AutoCloseable {
    private final String source;
    private final List<ImportEntry> entries = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    ImportBatch(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    void add(ImportEntry entry) {
        entries.add(entry);
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    List<ImportEntry> entries() {
        return entries;
    }

    List<String> warnings() {
        return warnings;
    }

    /** Destroys every secret read. */
    @Override
    public void close() {
        for (ImportEntry entry : entries) {
            if (entry.secret() != null) {
                entry.secret().destroy();
            }
        }
    }
}
