/** Imports and bootstrap: configuration and keys from files, environment variables and legacy databases. */
module io.configstore.imports {
    requires transitive io.configstore.api;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports io.configstore.imports;
}
