/**
 * The schema migrator contract. Backends with a schema ship their own migrations and implement it. API: hosts
 * choose a {@link io.configstore.migration.MigrationMode} and read migration reports.
 */
package io.configstore.migration;
