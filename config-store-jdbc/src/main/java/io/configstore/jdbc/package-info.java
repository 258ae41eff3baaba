/**
 * The JDBC engine the SQL backends share. SPI: a new SQL database supplies its {@link io.configstore.jdbc.SqlDialect}
 * and migrations here; host applications use a backend module (SQLite, PostgreSQL) instead.
 */
package io.configstore.jdbc;
