package io.configstore.effective;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Binds a JSON tree to a host type, reporting every problem with its path rather than Jackson's first one. It walks
 * the type and the tree together, tries each scalar on its own, and binds the whole only when nothing was wrong.
 * Messages name the path, the expected type (with its range, for numbers) and where the value came from, never the
 * value (it may be a secret).
 */
final class ConfigBinder {
    /**
     * One value that does not fit the type at its path.
     *
     * @param expected what the type takes ("an integer from -128 to 127 (byte)")
     * @param found what the value is ("a string", "an integer outside that range"), never the value
     * @param outOfRange whether the value is of the right kind but outside the type's range (or has a fraction an
     *     integer type cannot hold), rather than of another kind
     */
    record Problem(ConfigPath path, String expected, String found, boolean outOfRange) {
    }

    private ConfigBinder() {
    }

    /**
     * Binds {@code tree} to {@code type}; {@code origins} says where the value at a path came from (empty when it
     * cannot tell), and each problem names it.
     */
    static <T> T bind(String what, ObjectNode tree, Class<T> type, Function<ConfigPath, Optional<Origin>> origins) {
        if (type == null) {
            throw new ValidationException("type must not be null");
        }
        List<String> problems = new ArrayList<>();
        for (Problem problem : problems(tree, Trees.MAPPER.constructType(type), ConfigPath.root())) {
            String at = problem.path().isRoot() ? "the document" : problem.path().toString();
            problems.add(at + ": expected " + problem.expected() + ", found " + problem.found()
                    + origins.apply(problem.path()).map(origin -> " (set by " + origin + ")").orElse(""));
        }
        if (problems.isEmpty()) {
            try {
                return Trees.MAPPER.treeToValue(tree, type);
            } catch (Exception e) {
                // The walk found nothing, so this is a rule of the type itself (a constructor that validates, ...).
                problems.add("the whole document: " + type.getSimpleName() + " refused it ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        throw new ValidationException(what + " cannot be bound to " + type.getName() + ": " + problems.size()
                + " problem(s); fix each path listed", problems);
    }

    /** Every value in {@code node} (found at {@code path}) that does not fit {@code declared}; none when it is null. */
    static List<Problem> problems(JsonNode node, JavaType declared, ConfigPath path) {
        List<Problem> problems = new ArrayList<>();
        check(node, declared, path, problems);
        return problems;
    }

    private static void check(JsonNode node, JavaType declared, ConfigPath path, List<Problem> problems) {
        JavaType type = TypeHints.unwrap(declared);
        if (node == null || node.isNull() || type == null) {
            return;
        }
        if (type.isContainerType() && !type.getRawClass().equals(byte[].class)) {
            if (type.isMapLikeType()) {
                if (!node.isObject()) {
                    problems.add(new Problem(path, "a JSON object", describe(node), false));
                    return;
                }
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    check(field.getValue(), type.getContentType(), path.child(field.getKey()), problems);
                }
            } else {
                if (!node.isArray()) {
                    problems.add(new Problem(path, "a JSON list", describe(node), false));
                    return;
                }
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), type.getContentType(), path.child(i), problems);
                }
            }
            return;
        }
        if (TypeHints.isBean(type)) {
            if (!node.isObject()) {
                problems.add(new Problem(path, "a JSON object (" + type.getRawClass().getSimpleName() + ")",
                        describe(node), false));
                return;
            }
            for (BeanPropertyDefinition property : Trees.MAPPER.getDeserializationConfig().introspect(type)
                    .findProperties()) {
                check(node.get(property.getName()), property.getPrimaryType(), path.child(property.getName()),
                        problems);
            }
            return;
        }
        // Before Jackson: it would make a float or double out of range infinite, and cut an integer's fraction.
        NumericType numeric = NumericType.of(type);
        String misfit = numeric == null ? null : numeric.misfit(node);
        if (misfit != null) {
            problems.add(new Problem(path, numeric.description(), misfit, true));
            return;
        }
        try {
            Trees.MAPPER.treeToValue(node, type);
        } catch (Exception e) {
            problems.add(new Problem(path, expected(type), describe(node), false));
        }
    }

    private static String expected(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw.isEnum()) {
            return "one of " + Arrays.toString(raw.getEnumConstants());
        }
        NumericType numeric = NumericType.of(type);
        if (numeric != null) {
            return numeric.description();
        }
        ValueKind kind = TypeHints.kindOf(type);
        return kind == ValueKind.STRING ? "a value readable as " + raw.getSimpleName() : kind.description();
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a decimal number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
