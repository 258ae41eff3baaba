package io.configstore.sqlite;

import io.configstore.crypto.CipherSource;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Opens {@code sqlite:<path>} URLs, such as {@code sqlite:data/configstore.db} (relative to the working directory) or
 * {@code sqlite:/var/lib/app/configstore.db}, with the builder's defaults otherwise.
 */
public final class SqliteStoreSetProvider implements StoreSetProvider {
    /** The URL prefix. */
    public static final String SCHEME = "sqlite:";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String example() {
        return "sqlite:data/configstore.db";
    }

    @Override
    public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        return SqliteStoreSet.builder().path(path(url)).cipherSource(cipher).migrationMode(mode).open();
    }

    /**
     * The database file a {@code sqlite:} URL names.
     *
     * @throws ValidationException when the URL names no usable path
     */
    public static Path path(String url) {
        if (!url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new ValidationException("the URL does not start with sqlite:; use sqlite:<path of the database file>");
        }
        String rest = url.substring(SCHEME.length());
        // sqlite:///abs/path is accepted as a courtesy to those used to file URLs.
        if (rest.startsWith("///")) {
            rest = rest.substring(2);
        }
        if (rest.isBlank()) {
            throw new ValidationException("the URL 'sqlite:' names no file; use sqlite:<path>, for example "
                    + "sqlite:data/configstore.db");
        }
        try {
            return Path.of(rest);
        } catch (InvalidPathException e) {
            throw new ValidationException("the sqlite: URL names no valid path (" + e.getReason() + " at character "
                    + (e.getIndex() + 1) + " of the path)");
        }
    }
}
