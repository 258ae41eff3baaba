package io.configstore.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.MalformedJsonException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 *
 * <p>Numbers are kept exactly as written, so that a document reads back the same on every backend: a number with a
 * fraction or an exponent is read as a {@link BigDecimal} with its scale ({@code 1.10} stays {@code 1.10}, not
 * {@code 1.1}; {@code 1e300} stays {@code 1E+300}, not a 301-digit integer; {@code 0.1} is exactly one tenth), an
 * integer as an int, a long or a {@link java.math.BigInteger} by its size ({@code 12345678901234567890} exactly). A
 * decimal has no negative zero: {@code -0.0} reads back as {@code 0.0} (and {@code -0} as {@code 0}), with its scale.
 * A {@code double} put into a tree by the host becomes the decimal its shortest text denotes ({@code 0.1} for
 * {@code 0.1d}). {@link #asStored} gives that form, which is the one {@link #readStored} reads; note that Jackson's
 * {@code DecimalNode.equals} compares values, so {@code 1.10} and {@code 1.1} are equal trees but distinct texts.
 * A number with a fraction or an exponent must be finite within a double's range (magnitude at most
 * {@link Double#MAX_VALUE}) with a scale of at most {@link #MAX_NUMBER_SCALE} either way, so that host code reading
 * it as a double or as plain text gets what was stored, and no huge exponent turns into a huge string.
 */
public final class Json {
    /** Deepest accepted nesting of objects and arrays below the top-level object. */
    public static final int MAX_DEPTH = 64;
    /**
     * Levels of nesting a file format may put around the documents and settings it holds (a store file's tenants,
     * a bundle's tenant entries); a document inside is still held to {@link #MAX_DEPTH} by {@link #requireObject}.
     */
    public static final int MAX_ENVELOPE_DEPTH = 8;
    /** Longest accepted JSON value, in characters, once serialized. */
    public static final int MAX_SERIALIZED_LENGTH = 1024 * 1024;
    /**
     * Largest accepted scale, either way, of a number with a fraction or an exponent: {@code 1e-1000} and
     * {@code 0e1000} are accepted, {@code 1e-1001} is not.
     */
    public static final int MAX_NUMBER_SCALE = 1000;

    /**
     * A number whose exponent no decimal holds ({@code 1e99999999999}): reading numbers exactly, Jackson throws a
     * NumberFormatException, whose message quotes the number, where a double would have become infinite.
     */
    private static final String NUMBER_OUT_OF_RANGE = MalformedJsonException.Problem.NUMBER_OUT_OF_RANGE.description();

    /**
     * The one mapper for every JSON text the library reads: numbers exact (decimals with their scale, never through a
     * double), and trees built with the same node types as text read back, so that {@link #asStored} is stable.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(new JsonNodeFactory(true))
            .build();

    static {
        // The parser's and generator's limits guard the stack (a host value that contains itself stops here instead
        // of overflowing it); they leave room for the envelope that history rows, snapshots and idempotency results
        // put around a document. The precise MAX_DEPTH rule, with a path in its message, is checkTree's.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH + MAX_ENVELOPE_DEPTH)
                .maxStringLength(MAX_SERIALIZED_LENGTH)
                .build());
        MAPPER.getFactory().setStreamWriteConstraints(StreamWriteConstraints.builder()
                .maxNestingDepth(MAX_DEPTH + MAX_ENVELOPE_DEPTH)
                .build());
    }

    /**
     * Converts host values to trees (only {@link #toObject}): reading a host {@code float} as a decimal would go through
     * a double ({@code 0.1f} became {@code 0.10000000149011612}); as a float node it is written {@code 0.1}.
     */
    private static final ObjectMapper HOST_VALUES = MAPPER.copy()
            .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

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
        } catch (NumberFormatException e) {
            throw new ValidationException(field + " is not valid JSON (" + NUMBER_OUT_OF_RANGE + "); correct the"
                    + " number there");
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
        } catch (NumberFormatException e) {
            throw new StorageException(what + " holds invalid JSON (" + NUMBER_OUT_OF_RANGE + "); the stored row was"
                    + " altered outside configstore: restore it from a backup or save it again");
        }
    }

    /**
     * {@code content} as every backend reads it back once stored: the one form a document's content and a provider's
     * settings take when they enter a store, so that the in-memory backend returns what a database returns after a
     * reopen. {@code what} names the value in messages. Numbers take the exact form described on {@link Json}: a
     * {@code double} becomes the decimal of its shortest text, {@code -0.0} becomes {@code 0.0}; applied twice, it
     * gives the same text and the same node types.
     */
    public static ObjectNode asStored(String what, ObjectNode content) {
        return readStored(what, write(content));
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
            HOST_VALUES.writeValue(Writer.nullWriter(), value);
            node = HOST_VALUES.valueToTree(value);
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
        String kind = classify(e) == MalformedJsonException.Problem.DUPLICATE_KEY ? "a duplicate key"
                : "a syntax error";
        JsonLocation location = e.getLocation();
        return location == null ? "(" + kind + ")"
                : "(" + kind + " at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * The kind of a parse failure, told from Jackson's exception type and the fixed start of its message (never from
     * the part that quotes the input).
     */
    private static MalformedJsonException.Problem classify(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return original.startsWith("Document nesting depth") ? MalformedJsonException.Problem.TOO_DEEP
                    : MalformedJsonException.Problem.TOO_LONG;
        }
        if (original.startsWith("Duplicate field")) {
            return MalformedJsonException.Problem.DUPLICATE_KEY;
        }
        if (original.startsWith("Trailing token")) {
            return MalformedJsonException.Problem.TRAILING_CONTENT;
        }
        if (e instanceof JsonEOFException || original.startsWith("Unexpected end-of-input")) {
            return MalformedJsonException.Problem.TRUNCATED;
        }
        return MalformedJsonException.Problem.SYNTAX;
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
        } else if (node.isBigDecimal()) {
            BigDecimal decimal = node.decimalValue();
            // The scale first: a huge one makes doubleValue slow. Not Math.abs: it leaves Integer.MIN_VALUE negative.
            if (decimal.scale() > MAX_NUMBER_SCALE || decimal.scale() < -MAX_NUMBER_SCALE
                    || Double.isInfinite(decimal.doubleValue())) {
                throw new ValidationException(field + " has a number out of range at " + path + "; write a number"
                        + " within a double's range (magnitude at most " + Double.MAX_VALUE + ") with an exponent"
                        + " between -" + MAX_NUMBER_SCALE + " and " + MAX_NUMBER_SCALE);
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
        } catch (NumberFormatException e) {
            throw new StorageException("a stored JSON value is invalid (" + NUMBER_OUT_OF_RANGE + "); it was altered"
                    + " outside configstore");
        }
    }

    /**
     * The one strict reader for every JSON text the library reads from outside (import files, bundles, the file
     * store's file and backups, columns of source databases): exactly one JSON value, no key twice in one object,
     * nothing but whitespace after the value, nested at most {@link #MAX_DEPTH} + {@link #MAX_ENVELOPE_DEPTH} levels,
     * no string longer than {@link #MAX_SERIALIZED_LENGTH} characters. Nothing is ever read "in part".
     *
     * @param source names the text in messages: a file's path, "row 3 of providers"
     * @param expected the shape wanted, for messages: "a JSON object mapping provider names to settings"
     * @throws MalformedJsonException (a {@link ValidationException}) naming the source, the line and column and the
     *         kind of problem, never the text found there: a damaged file may hold secrets
     */
    public static JsonNode readWhole(String source, byte[] bytes, String expected) {
        Arguments.requireNonNull("source", source);
        Arguments.requireNonNull("bytes", bytes);
        Arguments.requireNonNull("expected", expected);
        JsonParser parser = null;
        try {
            parser = MAPPER.createParser(bytes);
            JsonNode root = MAPPER.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw malformed(source, expected, MalformedJsonException.Problem.EMPTY, null);
            }
            if (parser.nextToken() != null) {
                throw malformed(source, expected, MalformedJsonException.Problem.TRAILING_CONTENT,
                        parser.currentTokenLocation());
            }
            return root;
        } catch (JsonProcessingException e) {
            // A limit's exception carries no position: the parser still knows where it stopped.
            JsonLocation at = e.getLocation() != null || parser == null ? e.getLocation() : parser.currentLocation();
            throw malformed(source, expected, classify(e), at);
        } catch (NumberFormatException e) {
            throw malformed(source, expected, MalformedJsonException.Problem.NUMBER_OUT_OF_RANGE,
                    parser == null ? null : parser.currentLocation());
        } catch (IOException e) {
            // Reading a byte array does no I/O; Jackson declares it all the same.
            throw new IllegalStateException("reading JSON from memory failed", e);
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException e) {
                    // Nothing to release for a byte array.
                }
            }
        }
    }

    private static MalformedJsonException malformed(String source, String expected,
                                                    MalformedJsonException.Problem problem, JsonLocation at) {
        int line = at == null ? -1 : at.getLineNr();
        int column = at == null ? -1 : at.getColumnNr();
        return new MalformedJsonException(source + " is not valid JSON: " + problem.description()
                + (line < 0 ? "" : " at line " + line + ", column " + column) + "; expected " + expected,
                problem, line, column);
    }

    /**
     * Reads the file {@code file} with {@link #readWhole} and requires a JSON object at its top level.
     *
     * @param what what the file is, for messages: "configuration file", "provider key file"
     * @param expected the shape wanted, for messages
     * @throws ValidationException when the file is missing, is not strict JSON ({@link MalformedJsonException}), or
     *         holds something else than an object; the message names the file and never repeats its content
     * @throws StorageException when it exists but cannot be read
     */
    public static ObjectNode readObjectFile(Path file, String what, String expected) {
        Arguments.requireNonNull("file", file);
        Arguments.requireNonNull("what", what);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ValidationException("the " + what + " " + file + " does not exist; give the path of an existing"
                    + " file holding " + expected);
        } catch (IOException e) {
            // The JDK's text names only the path, but a path is all we need to say; the class tells the kind.
            throw new StorageException("cannot read the " + what + " " + file + " (" + e.getClass().getSimpleName()
                    + "); check that it is a readable file", e);
        }
        JsonNode root = readWhole("the " + what + " " + file, bytes, expected);
        if (!(root instanceof ObjectNode object)) {
            throw new ValidationException("the " + what + " " + file + " holds a JSON " + describe(root)
                    + " at its top level; expected " + expected);
        }
        return object;
    }

    /**
     * A new mapper that reads with the same rules as {@link #readWhole} (duplicate keys and trailing tokens refused,
     * unknown properties ignored when binding, the nesting and length limits), for code that binds JSON to types. Each
     * call returns an independent copy, so no caller can loosen the rules for another. Its nesting limit is only a
     * guard for the parser's stack: check a tree with {@link #requireObject} for the precise {@link #MAX_DEPTH} rule
     * and a message naming the path.
     */
    public static ObjectMapper newStrictMapper() {
        return MAPPER.copy();
    }
}
