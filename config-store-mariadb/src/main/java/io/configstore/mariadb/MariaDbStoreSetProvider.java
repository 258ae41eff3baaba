package io.configstore.mariadb;

import io.configstore.crypto.CipherSource;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;

/**
 * Opens MariaDB JDBC URLs, {@code jdbc:mariadb://host:port/database?user=app&password=...}: the URL's database is the
 * store's (created when absent; {@value MariaDbStoreSet#DEFAULT_DATABASE} when the URL names none), every parameter is
 * the driver's. {@code jdbc:mysql:} URLs are opened by {@link Mysql}, with the same driver.
 */
public final class MariaDbStoreSetProvider implements StoreSetProvider {
    @Override
    public String scheme() {
        return "jdbc:mariadb:";
    }

    @Override
    public String example() {
        return "jdbc:mariadb://localhost:3306/configstore?user=app";
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.configstore.error.ValidationException when the URL or options are refused by
     *     {@link MariaDbStoreSet.Builder}
     */
    @Override
    public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        return MariaDbStoreSet.builder().url(url).cipherSource(cipher).migrationMode(mode).open();
    }

    /** Opens {@code jdbc:mysql://host:port/database} URLs, as {@link MariaDbStoreSetProvider} opens MariaDB's. */
    public static final class Mysql implements StoreSetProvider {
        @Override
        public String scheme() {
            return "jdbc:mysql:";
        }

        @Override
        public String example() {
            return "jdbc:mysql://localhost:3306/configstore?user=app";
        }

        /**
         * {@inheritDoc}
         *
         * @throws io.configstore.error.ValidationException when the URL or options are refused by
         *     {@link MariaDbStoreSet.Builder}
         */
        @Override
        public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
            return MariaDbStoreSet.builder().url(url).cipherSource(cipher).migrationMode(mode).open();
        }
    }
}
