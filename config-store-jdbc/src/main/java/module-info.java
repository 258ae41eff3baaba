/**
 * The JDBC engine the SQL backends share; {@code io.configstore.jdbc} is the SQL author path (a dialect and its
 * migrations). Host applications use a backend module instead.
 */
module io.configstore.jdbc {
    requires transitive io.configstore.api;
    requires transitive io.configstore.engine;
    requires transitive java.sql;
    requires com.zaxxer.hikari;
    requires org.slf4j;

    exports io.configstore.jdbc;
}
