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

/**
 * Binds a JSON tree to a host type, reporting every problem with its path rather than Jackson's first one. It walks
 * the type and the tree together, tries each scalar on its own, and binds the whole only when nothing was wrong.
 * Messages name the path and the expected type, never the value (it may be a secret).
 */
final class ConfigBinder {
    private ConfigBinder() {
    }

    static <T> T bind(String what, ObjectNode tree, Class<T> type) {
        if (type == null) {
            throw new ValidationException("type must not be null");
        }
        JavaType javaType = Trees.MAPPER.constructType(type);
        List<String> problems = new ArrayList<>();
        check(tree, javaType, ConfigPath.root(), problems);
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

    private static void check(JsonNode node, JavaType declared, ConfigPath path, List<String> problems) {
        JavaType type = TypeHints.unwrap(declared);
        if (node == null || node.isNull() || type == null) {
            return;
        }
        String at = path.isRoot() ? "the document" : path.toString();
        if (type.isContainerType() && !type.getRawClass().equals(byte[].class)) {
            if (type.isMapLikeType()) {
                if (!node.isObject()) {
                    problems.add(at + ": expected a JSON object, found " + describe(node));
                    return;
                }
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    check(field.getValue(), type.getContentType(), path.child(field.getKey()), problems);
                }
            } else {
                if (!node.isArray()) {
                    problems.add(at + ": expected a JSON list, found " + describe(node));
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
                problems.add(at + ": expected a JSON object (" + type.getRawClass().getSimpleName() + "), found "
                        + describe(node));
                return;
            }
            for (BeanPropertyDefinition property : Trees.MAPPER.getDeserializationConfig().introspect(type)
                    .findProperties()) {
                check(node.get(property.getName()), property.getPrimaryType(), path.child(property.getName()),
                        problems);
            }
            return;
        }
        try {
            Trees.MAPPER.treeToValue(node, type);
        } catch (Exception e) {
            problems.add(at + ": expected " + expected(type) + ", found " + describe(node));
        }
    }

    private static String expected(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw.isEnum()) {
            return "one of " + Arrays.toString(raw.getEnumConstants());
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
