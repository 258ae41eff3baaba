package io.configstore.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reading the JSON files that import sources take, through the library's one strict reader ({@link Json#readWhole}),
 * with errors that name the file, the position and the shape and never repeat the file's text (it may hold keys).
 */
final class SourceFiles {
    private SourceFiles() {
    }

    /**
     * The JSON object in {@code file}.
     *
     * @param what what the file is, for messages: "configuration file", "provider key file"
     * @param expected what the top level should be, for messages: "a JSON object mapping ..."
     * @throws ValidationException when the file is missing, is not strict JSON (a duplicate key, text after the
     *         value, ...), or holds something else than an object
     * @throws StorageException when it cannot be read
     */
    static ObjectNode readObject(Path file, String what, String expected) {
        return Json.readObjectFile(file, what, expected);
    }

    /**
     * The JSON object held as text in a column of a source database, read by the same strict reader as files.
     *
     * @param at the row, for messages: "table provider_configs row id=2"
     * @param column the column, for messages
     * @param expected what the column should hold, for messages
     * @throws ValidationException naming the row, the column, the position and the problem, never the text there
     */
    static ObjectNode readColumn(String at, String column, String text, String expected) {
        JsonNode root = Json.readWhole(at + ": column " + column, text.getBytes(StandardCharsets.UTF_8), expected);
        if (!(root instanceof ObjectNode)) {
            throw new ValidationException(at + ": column " + column + " holds a JSON "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT) + "; expected " + expected);
        }
        try {
            return Json.requireObject(column, root);
        } catch (ValidationException e) {
            // requireObject's messages name the path and the rule, never a value.
            throw new ValidationException(at + ": " + e.getMessage());
        }
    }
}
