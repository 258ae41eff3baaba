package io.configstore.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A piece of SQL work run on a connection that {@link Transactions} lends for its duration. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
