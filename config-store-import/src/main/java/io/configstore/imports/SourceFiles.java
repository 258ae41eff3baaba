package io.configstore.imports;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Reading the JSON files that import sources take, with errors that name the file, the position and the shape. */
final class SourceFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SourceFiles() {
    }

    /**
     * The JSON object in {@code file}.
     *
     * @param what what the file is, for messages: "configuration file", "provider key file"
     * @param expected what the top level should be, for messages: "a JSON object mapping ..."
     * @throws ValidationException when the file is missing, is not JSON, or holds something else than an object
     * @throws StorageException when it cannot be read
     */
    static ObjectNode readObject(Path file, String what, String expected) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ValidationException("the " + what + " " + file + " does not exist; give the path of an existing"
                    + " file holding " + expected);
        } catch (IOException e) {
            throw new StorageException("cannot read the " + what + " " + file + " (" + e.getClass().getSimpleName()
                    + "); check its permissions", e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ValidationException(file + " is not valid JSON" + (at == null ? "" : " at line "
                    + at.getLineNr() + ", column " + at.getColumnNr()) + " (" + e.getOriginalMessage()
                    + "); expected " + expected);
        } catch (IOException e) {
            throw new StorageException("cannot read the " + what + " " + file, e);
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException(file + " holds " + (root == null || root.isMissingNode() ? "nothing"
                    : "a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)) + " at its top level;"
                    + " expected " + expected);
        }
        return (ObjectNode) root;
    }
}
