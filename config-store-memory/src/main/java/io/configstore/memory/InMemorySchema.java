package io.configstore.memory;

import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationReport;
import io.configstore.migration.SchemaMigrator;
import java.util.List;

/** The in-memory backend has no schema: nothing is ever pending, so nothing is applied and validation passes. */
final class InMemorySchema implements SchemaMigrator {
    @Override
    public MigrationReport migrate() {
        return new MigrationReport(List.of(), 0);
    }

    @Override
    public void validate() {
        // Nothing can be pending without a schema.
    }

    @Override
    public List<MigrationInfo> info() {
        return List.of();
    }
}
