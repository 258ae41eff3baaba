/**
 * The SQLite backend: {@link io.configstore.sqlite.SqliteStoreSet} (URL scheme {@code sqlite:}) and online backups.
 * API.
 */
package io.configstore.sqlite;
