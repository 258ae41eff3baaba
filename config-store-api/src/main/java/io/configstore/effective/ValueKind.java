package io.configstore.effective;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/** The JSON type a text value from the environment or the command line is converted to. */
enum ValueKind {
    STRING("a string"),
    INTEGER("an integer (a whole number such as 8080)"),
    NUMBER("a number (such as 0.75)"),
    BOOLEAN("a boolean (true or false)"),
    OBJECT("a JSON object (such as {\"key\":\"value\"})"),
    LIST("a JSON list (such as [\"a\",\"b\"])"),
    /** Nothing known about the type: the text is kept as a string. */
    UNKNOWN("a string");

    private final String description;

    ValueKind(String description) {
        this.description = description;
    }

    /** Words for error messages: "an integer (a whole number such as 8080)". */
    String description() {
        return description;
    }

    /** The kind of a value already in a document; null and missing nodes say nothing. */
    static ValueKind of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return UNKNOWN;
        }
        if (node.isBoolean()) {
            return BOOLEAN;
        }
        if (node.isIntegralNumber()) {
            return INTEGER;
        }
        if (node.isNumber()) {
            return NUMBER;
        }
        if (node.isObject()) {
            return OBJECT;
        }
        if (node.isArray()) {
            return LIST;
        }
        return STRING;
    }

    /** Converts text to this kind, or empty when it is not one. Never echoes the text (it may be a secret). */
    Optional<JsonNode> coerce(String text) {
        String trimmed = text.strip();
        try {
            switch (this) {
                case INTEGER:
                    return Optional.of(integer(new BigInteger(trimmed)));
                case NUMBER:
                    if (trimmed.matches("[+-]?[0-9]+")) {
                        return Optional.of(integer(new BigInteger(trimmed)));
                    }
                    // A double when it reads back as the same number (0.75), else the exact decimal: nothing is
                    // rounded on the way in, and a number too large for a double is kept so that the bound type's
                    // range can report it as too large rather than as "not a number".
                    BigDecimal exact = new BigDecimal(trimmed);
                    double d = exact.doubleValue();
                    return Optional.of(Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(exact) == 0
                            ? JsonNodeFactory.instance.numberNode(d) : JsonNodeFactory.instance.numberNode(exact));
                case BOOLEAN:
                    String lower = trimmed.toLowerCase(Locale.ROOT);
                    if (lower.equals("true") || lower.equals("false")) {
                        return Optional.of(BooleanNode.valueOf(lower.equals("true")));
                    }
                    return Optional.empty();
                case OBJECT:
                case LIST:
                    JsonNode parsed = Trees.MAPPER.readTree(trimmed);
                    boolean fits = this == OBJECT ? parsed != null && parsed.isObject()
                            : parsed != null && parsed.isArray();
                    return fits ? Optional.of(parsed) : Optional.empty();
                default:
                    return Optional.of(TextNode.valueOf(text));
            }
        } catch (NumberFormatException | JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static JsonNode integer(BigInteger value) {
        if (value.bitLength() < 32) {
            return JsonNodeFactory.instance.numberNode(value.intValue());
        }
        if (value.bitLength() < 64) {
            return JsonNodeFactory.instance.numberNode(value.longValue());
        }
        return JsonNodeFactory.instance.numberNode(value);
    }
}
