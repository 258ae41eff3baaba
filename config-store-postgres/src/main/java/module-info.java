/** The PostgreSQL backend ({@code PostgresStoreSet}, URL scheme {@code postgres:}). */
module io.configstore.postgres {
    requires transitive io.configstore.jdbc;
    requires com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports io.configstore.postgres;

    provides io.configstore.spi.StoreSetProvider with io.configstore.postgres.PostgresStoreSetProvider;
}
