/** The SQLite backend ({@code SqliteStoreSet}, URL scheme {@code sqlite:}). */
module io.configstore.sqlite {
    requires transitive io.configstore.jdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;

    exports io.configstore.sqlite;

    provides io.configstore.spi.StoreSetProvider with io.configstore.sqlite.SqliteStoreSetProvider;
}
