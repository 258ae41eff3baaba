/**
 * The PostgreSQL backend: {@link io.configstore.postgres.PostgresStoreSet} (URL scheme {@code postgres:}), with change
 * notifications between processes. API.
 */
package io.configstore.postgres;
