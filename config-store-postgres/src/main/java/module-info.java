/** The PostgreSQL backend ({@code PostgresStoreSet}, URL scheme {@code postgres:}). */
module io.configstore.postgres {
    requires transitive io.configstore.jdbc;
    requires com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports io.configstore.postgres;
    // The migration scripts: the JDBC engine reads them through the class loader, which sees a named module's
    // resources only in packages it opens.
    opens db.migration.postgresql;

    provides io.configstore.spi.StoreSetProvider with io.configstore.postgres.PostgresStoreSetProvider;
}
