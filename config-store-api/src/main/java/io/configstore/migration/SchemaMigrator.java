package io.configstore.migration;

import java.util.List;

/**
 * Brings a backend's schema to the version the library needs, Flyway-style: versioned migrations, each applied once
 * in its own transaction and recorded with its checksum in {@code schema_version}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #migrate()} is idempotent: a second run applies nothing.</li>
 *   <li>Migrators started at once, in threads or processes, apply each migration exactly once: they serialize on a
 *       lock and re-read the history under it.</li>
 *   <li>An applied migration whose checksum changed, an applied migration the code does not know, and a database
 *       newer than the code are errors ({@link io.configstore.error.SchemaMigrationException}) that name the
 *       migration; the schema is never downgraded.</li>
 * </ul>
 */
public interface SchemaMigrator {
    /**
     * Applies every pending migration in version order.
     *
     * @return what was applied, and the version reached
     * @throws io.configstore.error.SchemaMigrationException when the history does not match the code
     */
    MigrationReport migrate();

    /**
     * Checks without changing anything that the schema is exactly what the code expects.
     *
     * @throws io.configstore.error.SchemaMigrationException listing the pending migrations, or naming the mismatch
     */
    void validate();

    /** Every known migration, applied or pending, in version order, followed by applied ones the code does not know. */
    List<MigrationInfo> info();
}
