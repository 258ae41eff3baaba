package io.configstore.file;

import io.configstore.error.StorageException;
import java.nio.file.Path;
import java.util.List;

/**
 * The store file is valid JSON but does not follow the store file's schema (a hand edit gave a field the wrong type,
 * added an unknown field, left out a required one, or broke a rule such as one default per provider type). Nothing
 * was read from it and nothing overwrote it: fix the file by hand (each problem names the JSON path and what was
 * expected), or restore a backup.
 */
public final class InvalidStoreFileException extends StorageException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final List<String> problems;

    /** An exception about {@code file} listing every problem found, each as {@code $.json.path: what was expected}. */
    public InvalidStoreFileException(Path file, List<String> problems) {
        super("store file " + file + " does not follow the store file schema; it was not changed: fix it by hand or"
                + " restore a backup. Problems: " + String.join("; ", problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** The file with the problems. */
    public Path file() {
        return file;
    }

    /** Every problem found, each naming its JSON path and what was expected there. Never empty. */
    public List<String> problems() {
        return problems;
    }
}
