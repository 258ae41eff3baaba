/** The SQLite backend ({@code SqliteStoreSet}, URL scheme {@code sqlite:}). */
module io.configstore.sqlite {
    requires transitive io.configstore.jdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;

    exports io.configstore.sqlite;
    // The migration scripts: the JDBC engine reads them through the class loader, which sees a named module's
    // resources only in packages it opens.
    opens db.migration.sqlite;

    provides io.configstore.spi.StoreSetProvider with io.configstore.sqlite.SqliteStoreSetProvider;
}
