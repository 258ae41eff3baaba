/**
 * Moving into configstore: one import engine for every source ({@link io.configstore.imports.ImportSource}) with one
 * report. Sources: portable bundles ({@link io.configstore.imports.StoreBundle}), {@code provider_keys.json} files
 * ({@link io.configstore.imports.ProviderKeysFile}), provider keys in the environment
 * ({@link io.configstore.imports.EnvironmentKeys}), a Python service's SQLite database
 * ({@link io.configstore.imports.PythonSqliteSource}) and a legacy PostgreSQL database
 * ({@link io.configstore.imports.LegacyPostgresSource}); and {@link io.configstore.imports.Bootstrap}, which a host
 * runs at start-up to import its old files once.
 */
package io.configstore.imports;
