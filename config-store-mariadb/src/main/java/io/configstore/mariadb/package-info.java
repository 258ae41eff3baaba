/** The MariaDB (and MySQL) backend: {@link io.configstore.mariadb.MariaDbStoreSet}, on the shared JDBC engine. */
package io.configstore.mariadb;
