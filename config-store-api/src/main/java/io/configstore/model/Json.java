package io.configstore.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON rules shared by every backend, so that a value accepted by one is accepted by all and reads back the same.
 *
 * <p>A settings object or document must be a JSON object, nested at most {@link #MAX_DEPTH} deep, at most
 * {@link #MAX_SERIALIZED_LENGTH} characters once written, with no NUL character in any name or string (PostgreSQL's
 * JSONB rejects it), no unpaired UTF-16 surrogate in any name or string (it has no UTF-8 form, so a database would
 * store {@code ?} instead) and no NaN or infinite number (JSON has none). Duplicate keys in stored text are an error,
 * never silently "last one wins". A host value converted by {@link #toObject} obeys the same depth: one nested
 * deeper, or one that contains itself, is a {@link ValidationException}, never a {@link StackOverflowError}.
 */
public final class Json {
    /** Deepest accepted nesting of objects and arrays below the top-level object. */
    public static final int MAX_DEPTH = 64;
    /** Longest accepted JSON value, in characters, once serialized. */
    public static final int MAX_SERIALIZED_LENGTH = 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH + 1)
                .maxStringLength(MAX_SERIALIZED_LENGTH)
                .build());
        // Writing is bounded as reading is, so a host value nested too deep (or containing itself) stops at the
        // limit instead of recursing until the stack overflows.
        MAPPER.getFactory().setStreamWriteConstraints(StreamWriteConstraints.builder()
                .maxNestingDepth(MAX_DEPTH + 1)
                .build());
    }

    private Json() {
    }

    /** A new empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Parses text supplied by a caller into a JSON object.
     *
     * @throws ValidationException when the text is not a single valid JSON object within the limits
     */
    public static ObjectNode parseObject(String field, String text) {
        Arguments.requireNonNull(field, text);
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ValidationException(field + " is not valid JSON " + problemOf(e) + "; correct the text there");
        }
        return requireObject(field, node);
    }

    /**
     * Reads JSON text that a backend stored earlier. Stored text that does not parse means the storage was altered
     * behind the library's back, so this is a storage error, not a validation error.
     */
    public static ObjectNode readStored(String what, String text) {
        Arguments.requireNonNull("what", what);
        Arguments.requireNonNull("text", text);
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new StorageException(what + " holds JSON that is not an object; the stored row was altered"
                    + " outside configstore: restore it from a backup or save it again");
        } catch (JsonProcessingException e) {
            throw new StorageException(what + " holds invalid JSON " + problemOf(e) + "; the stored row was altered"
                    + " outside configstore: restore it from a backup or save it again");
        }
    }

    /**
     * Checks that {@code node} is a JSON object within the limits and returns a private deep copy of it.
     *
     * @throws ValidationException naming the field and the first rule broken
     */
    public static ObjectNode requireObject(String field, JsonNode node) {
        Arguments.requireNonNull(field, node);
        if (!(node instanceof ObjectNode object)) {
            throw new ValidationException(field + " must be a JSON object, was " + describe(node));
        }
        checkTree(field, "$", object, 0);
        if (write(object).length() > MAX_SERIALIZED_LENGTH) {
            throw new ValidationException(field + " is larger than " + MAX_SERIALIZED_LENGTH + " characters as JSON");
        }
        return object.deepCopy();
    }

    /**
     * Writes a JSON value as compact text.
     *
     * @throws ValidationException when the tree is nested deeper than {@link #MAX_DEPTH} (or contains itself)
     */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (StreamConstraintsException e) {
            throw new ValidationException("a JSON tree is nested deeper than " + MAX_DEPTH + " levels (or contains"
                    + " itself) and cannot be written");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /**
     * Converts a host value (a record, a bean, a map) to a JSON object.
     *
     * @throws ValidationException when the value does not serialize to a JSON object within the limits: also when it
     *     is nested deeper than {@link #MAX_DEPTH} or contains itself
     */
    public static ObjectNode toObject(String field, Object value) {
        Arguments.requireNonNull(field, value);
        JsonNode node;
        try {
            // Jackson builds a tree without any depth limit (a map that contains itself overflows the stack), but
            // its generator honours the write constraints: a dry run through one proves the depth first (to a
            // Writer, so that text is not encoded and a lone surrogate reaches checkTree's clearer message).
            MAPPER.writeValue(Writer.nullWriter(), value);
            node = MAPPER.valueToTree(value);
        } catch (IOException | IllegalArgumentException e) {
            throw new ValidationException(field + " of type " + value.getClass().getName()
                    + conversionProblem(e) + "; pass a record, a bean or a map of JSON-compatible values");
        }
        return requireObject(field, node);
    }

    /**
     * Why a host value could not be converted, without Jackson's message: that may quote a value (a secret) the
     * value holds.
     */
    private static String conversionProblem(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException) {
                return " is nested deeper than " + MAX_DEPTH + " levels (or contains itself)";
            }
        }
        Throwable cause = e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
        String path = cause instanceof JsonMappingException mapping ? pathOf(mapping) : "$";
        return " cannot be converted to JSON: the value at " + path + " failed (" + cause.getClass().getSimpleName()
                + ")";
    }

    /**
     * Binds a JSON object to a host type.
     *
     * @throws ValidationException naming the path and the problem when the JSON does not fit the type
     */
    public static <T> T bind(String what, ObjectNode node, Class<T> type) {
        Arguments.requireNonNull("type", type);
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
            String path = cause instanceof JsonMappingException mapping ? pathOf(mapping) : "$";
            throw new ValidationException(what + " cannot be bound to " + type.getName() + ": the value at " + path
                    + " does not fit (" + cause.getClass().getSimpleName() + "); check its type in the document");
        }
    }

    /**
     * Where parsing failed and what kind of problem it was, without Jackson's message: that quotes the offending
     * token, which may be a secret the caller pasted.
     */
    private static String problemOf(JsonProcessingException e) {
        String kind = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                ? "a duplicate key" : "a syntax error";
        JsonLocation location = e.getLocation();
        return location == null ? "(" + kind + ")"
                : "(" + kind + " at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The JSON path of a binding problem, such as {@code $.server.ports[2]}. */
    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The top-level keys of an object, for a {@code toString} that must not print values (they may be secrets). */
    static String describeKeys(ObjectNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return "{" + keys.size() + " keys: " + String.join(", ", keys) + "}";
    }

    private static void checkTree(String field, String path, JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ValidationException(field + " is nested deeper than " + MAX_DEPTH + " levels at " + path);
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                if (entry.getKey().indexOf('\0') >= 0) {
                    throw new ValidationException(field + " has a key with a NUL character at " + path);
                }
                if (Arguments.firstUnpairedSurrogate(entry.getKey()) >= 0) {
                    throw new ValidationException(field + " has a key that is not valid Unicode (an unpaired UTF-16"
                            + " surrogate) at " + path + "; send well-formed text");
                }
                String childPath = path + "." + entry.getKey();
                checkTree(field, childPath, entry.getValue(), depth + 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTree(field, path + "[" + i + "]", node.get(i), depth + 1);
            }
        } else if (node.isTextual()) {
            if (node.textValue().indexOf('\0') >= 0) {
                throw new ValidationException(field + " has a NUL character in the string at " + path);
            }
            if (Arguments.firstUnpairedSurrogate(node.textValue()) >= 0) {
                throw new ValidationException(field + " has a string that is not valid Unicode (an unpaired UTF-16"
                        + " surrogate) at " + path + "; send well-formed text");
            }
        } else if (node.isFloatingPointNumber()) {
            double d = node.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new ValidationException(field + " has a number that JSON cannot hold (NaN or infinite) at "
                        + path);
            }
        } else if (node.isPojo() || node.isBinary()) {
            throw new ValidationException(field + " has a non-JSON value at " + path);
        }
    }

    private static String describe(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Reads any JSON value a backend stored earlier (an object, or {@code null}); like {@link #readStored}, text that
     * does not parse is a storage error.
     */
    public static JsonNode readTree(String text) {
        Arguments.requireNonNull("text", text);
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StorageException("a stored JSON value is invalid " + problemOf(e) + "; it was altered outside"
                    + " configstore");
        }
    }
}
