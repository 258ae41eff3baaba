package io.configstore.postgres;

import io.configstore.crypto.CipherSource;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens PostgreSQL JDBC URLs, {@code jdbc:postgresql://host:port/database?user=app&schema=configstore}. The
 * {@code schema} parameter, which the driver does not know, picks the schema (default
 * {@value PostgresStoreSet#DEFAULT_SCHEMA}) and is removed before the URL reaches the driver; every other parameter
 * ({@code user}, {@code password}, {@code ssl}, ...) is the driver's.
 */
public final class PostgresStoreSetProvider implements StoreSetProvider {
    @Override
    public String scheme() {
        return "jdbc:postgresql:";
    }

    @Override
    public String example() {
        return "jdbc:postgresql://localhost:5432/app?user=app&schema=configstore";
    }

    /**
     * {@inheritDoc}
     *
     * @throws ValidationException when the {@code schema} parameter is not valid percent-encoding or not a valid
     *     schema name, or the URL or options are otherwise refused by {@link PostgresStoreSet.Builder}
     */
    @Override
    public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        String schema = PostgresStoreSet.DEFAULT_SCHEMA;
        String base = url;
        int query = url.indexOf('?');
        if (query >= 0) {
            base = url.substring(0, query);
            List<String> kept = new ArrayList<>();
            for (String parameter : url.substring(query + 1).split("&")) {
                if (parameter.toLowerCase(Locale.ROOT).startsWith("schema=")) {
                    schema = decodeSchema(parameter.substring("schema=".length()));
                } else if (!parameter.isEmpty()) {
                    kept.add(parameter);
                }
            }
            if (!kept.isEmpty()) {
                base = base + "?" + String.join("&", kept);
            }
        }
        return PostgresStoreSet.builder().url(base).schema(schema).cipherSource(cipher).migrationMode(mode).open();
    }

    /** The schema parameter's value, percent-decoded; never quotes the URL, which may hold a password. */
    private static String decodeSchema(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("the URL's schema parameter is not valid percent-encoding (each % must be"
                    + " followed by two hex digits); give the schema name in plain lower-case letters, digits and"
                    + " underscores, for example schema=configstore");
        }
    }
}
