/** The MariaDB backend ({@code MariaDbStoreSet}, URL schemes {@code jdbc:mariadb:} and {@code jdbc:mysql:}). */
module io.configstore.mariadb {
    requires transitive io.configstore.jdbc;
    requires com.zaxxer.hikari;
    requires org.mariadb.jdbc;
    requires org.slf4j;

    exports io.configstore.mariadb;
    // The migration scripts: the JDBC engine reads them through the class loader, which sees a named module's
    // resources only in packages it opens.
    opens db.migration.mariadb;

    provides io.configstore.spi.StoreSetProvider with io.configstore.mariadb.MariaDbStoreSetProvider,
            io.configstore.mariadb.MariaDbStoreSetProvider.Mysql;
}
