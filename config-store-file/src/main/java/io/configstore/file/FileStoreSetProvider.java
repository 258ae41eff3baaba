package io.configstore.file;

import io.configstore.crypto.CipherSource;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.spi.StoreSetProvider;
import io.configstore.store.StoreSet;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Opens {@code file:<directory>} URLs, such as {@code file:config} (relative to the working directory) or
 * {@code file:/var/lib/app/config}: a {@link FileStoreSet} in that directory, created if absent, with the builder's
 * defaults otherwise. The store file has no migrations, so the migration mode changes nothing.
 */
public final class FileStoreSetProvider implements StoreSetProvider {
    /** The URL prefix. */
    public static final String SCHEME = "file:";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String example() {
        return "file:config";
    }

    @Override
    public StoreSet open(String url, CipherSource cipher, MigrationMode mode) {
        return FileStoreSet.builder().directory(directory(url)).cipherSource(cipher).open();
    }

    /**
     * The store directory a {@code file:} URL names.
     *
     * @throws ValidationException when the URL names no usable path
     */
    public static Path directory(String url) {
        if (url == null || !url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new ValidationException("'" + url + "' is not a file: URL; use file:<store directory>, for example "
                    + "file:config");
        }
        String rest = url.substring(SCHEME.length());
        // file:///abs/dir is accepted as a courtesy to those used to RFC 8089 file URLs.
        if (rest.startsWith("///")) {
            rest = rest.substring(2);
        }
        if (rest.isBlank()) {
            throw new ValidationException("the URL 'file:' names no directory; use file:<store directory>, for"
                    + " example file:config");
        }
        try {
            return Path.of(rest);
        } catch (InvalidPathException e) {
            throw new ValidationException("the URL '" + url + "' names no valid path (" + e.getReason() + ")");
        }
    }
}
