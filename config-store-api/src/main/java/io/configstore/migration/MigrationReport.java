package io.configstore.migration;

import java.util.List;

/**
 * What {@link SchemaMigrator#migrate()} did.
 *
 * @param applied the migrations applied by this run, in order; empty when the schema was current
 * @param schemaVersion the schema version after the run
 */
public record MigrationReport(List<MigrationInfo> applied, int schemaVersion) {
    public MigrationReport {
        applied = List.copyOf(applied);
    }
}
