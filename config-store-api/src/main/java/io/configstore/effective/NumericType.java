package io.configstore.effective;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The numeric Java types a value can bind to, each with its range. The range is part of the type: a number outside
 * it does not fit, whether it is read from text (a variable, a flag) or found in a document, because Jackson would
 * refuse it (integers) or silently make it infinite (float, double). Checks compare, never expand: a value such as
 * {@code 1e999999999} is judged without building its digits.
 */
enum NumericType {
    BYTE("byte", Byte.MIN_VALUE, Byte.MAX_VALUE),
    SHORT("short", Short.MIN_VALUE, Short.MAX_VALUE),
    INT("int", Integer.MIN_VALUE, Integer.MAX_VALUE),
    LONG("long", Long.MIN_VALUE, Long.MAX_VALUE),
    BIG_INTEGER("BigInteger", "an integer of any size (BigInteger)"),
    FLOAT("float", "a number from -" + Float.MAX_VALUE + " to " + Float.MAX_VALUE + " (float)"),
    DOUBLE("double", "a number from -" + Double.MAX_VALUE + " to " + Double.MAX_VALUE + " (double)"),
    /** Any digits, kept exactly; its range is a double's, the largest number a stored document may hold. */
    BIG_DECIMAL("BigDecimal", "a number from -" + Double.MAX_VALUE + " to " + Double.MAX_VALUE
            + " (BigDecimal)");

    private final String javaName;
    private final String description;
    private final BigDecimal min;
    private final BigDecimal max;

    NumericType(String javaName, long min, long max) {
        this.javaName = javaName;
        this.description = "an integer from " + min + " to " + max + " (" + javaName + ")";
        this.min = BigDecimal.valueOf(min);
        this.max = BigDecimal.valueOf(max);
    }

    NumericType(String javaName, String description) {
        this.javaName = javaName;
        this.description = description;
        this.min = null;
        this.max = null;
    }

    /** The numeric type {@code type} is, or null when it is none (or {@link Number}, which takes any number). */
    static NumericType of(JavaType type) {
        if (type == null) {
            return null;
        }
        Class<?> raw = type.getRawClass();
        if (raw == byte.class || raw == Byte.class) {
            return BYTE;
        }
        if (raw == short.class || raw == Short.class) {
            return SHORT;
        }
        if (raw == int.class || raw == Integer.class) {
            return INT;
        }
        if (raw == long.class || raw == Long.class) {
            return LONG;
        }
        if (raw == BigInteger.class) {
            return BIG_INTEGER;
        }
        if (raw == float.class || raw == Float.class) {
            return FLOAT;
        }
        if (raw == double.class || raw == Double.class) {
            return DOUBLE;
        }
        return raw == BigDecimal.class ? BIG_DECIMAL : null;
    }

    /** Words for messages, with the range: "an integer from -128 to 127 (byte)". */
    String description() {
        return description;
    }

    /** Whether this is a whole-number type (a value with a fraction does not fit it). */
    boolean integral() {
        return this == BYTE || this == SHORT || this == INT || this == LONG || this == BIG_INTEGER;
    }

    /**
     * Why a number node does not fit this type ("an integer outside that range", "a decimal number"), or null when it
     * fits. A node that is not a number is not judged here (null): its shape is the binder's question.
     */
    String misfit(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return "a number that is not finite";
        }
        BigDecimal value = node.decimalValue();
        if (integral()) {
            if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
                return "a decimal number";
            }
            boolean inRange = min == null || (value.compareTo(min) >= 0 && value.compareTo(max) <= 0);
            return inRange ? null : "an integer outside that range";
        }
        boolean finite = switch (this) {
            case FLOAT -> Float.isFinite(value.floatValue());
            case DOUBLE, BIG_DECIMAL -> Double.isFinite(value.doubleValue());
            default -> true;
        };
        return finite ? null : "a number outside that range";
    }

    @Override
    public String toString() {
        return javaName;
    }
}
