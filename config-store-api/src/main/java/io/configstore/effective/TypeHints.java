package io.configstore.effective;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** What the host's bound class says about the shape of the document: keys, and the type at each path. */
final class TypeHints {
    private final JavaType root;

    private TypeHints(JavaType root) {
        this.root = root;
    }

    static TypeHints none() {
        return new TypeHints(null);
    }

    static TypeHints of(Class<?> type) {
        return new TypeHints(type == null ? null : Trees.MAPPER.constructType(type));
    }

    /** The Java type at {@code path}, or null when the class says nothing about it. */
    JavaType typeAt(ConfigPath path) {
        JavaType type = root;
        for (int i = 0; i < path.size() && type != null; i++) {
            type = unwrap(type);
            if (path.isIndex(i)) {
                type = type.isContainerType() && !type.isMapLikeType() ? type.getContentType() : null;
            } else if (type.isMapLikeType()) {
                type = type.getContentType();
            } else if (isBean(type)) {
                type = propertyType(type, path.key(i));
            } else {
                type = null;
            }
        }
        return type == null ? null : unwrap(type);
    }

    /** The property names of the bean at {@code path}; empty when it is not a bean the class describes. */
    static List<String> propertyNames(JavaType type) {
        List<String> names = new ArrayList<>();
        if (type != null && isBean(type)) {
            for (BeanPropertyDefinition property : describe(type).findProperties()) {
                names.add(property.getName());
            }
        }
        return names;
    }

    /** The kind a text value at {@code path} must convert to, from the class; UNKNOWN when it says nothing. */
    ValueKind kindAt(ConfigPath path) {
        return kindOf(typeAt(path));
    }

    static ValueKind kindOf(JavaType type) {
        if (type == null) {
            return ValueKind.UNKNOWN;
        }
        Class<?> raw = type.getRawClass();
        if (raw == boolean.class || raw == Boolean.class) {
            return ValueKind.BOOLEAN;
        }
        if (raw == int.class || raw == long.class || raw == short.class || raw == byte.class
                || raw == Integer.class || raw == Long.class || raw == Short.class || raw == Byte.class
                || raw == BigInteger.class) {
            return ValueKind.INTEGER;
        }
        if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
                || raw == BigDecimal.class || raw == Number.class) {
            return ValueKind.NUMBER;
        }
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return ValueKind.UNKNOWN;
        }
        if (type.isContainerType()) {
            return type.isMapLikeType() ? ValueKind.OBJECT : ValueKind.LIST;
        }
        return isBean(type) ? ValueKind.OBJECT : ValueKind.STRING;
    }

    /** A host class with properties, as opposed to a scalar-like type (String, enum, number, java.time, URI...). */
    static boolean isBean(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw.isPrimitive() || raw.isEnum() || raw.isArray() || type.isContainerType()
                || type.isReferenceType() || raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return false;
        }
        String name = raw.getName();
        return !(name.startsWith("java.") || name.startsWith("javax."));
    }

    static JavaType unwrap(JavaType type) {
        JavaType t = type;
        while (t != null && t.isReferenceType()) {
            t = t.getReferencedType();
        }
        return t;
    }

    private static JavaType propertyType(JavaType bean, String name) {
        for (BeanPropertyDefinition property : describe(bean).findProperties()) {
            if (property.getName().equals(name)) {
                return property.getPrimaryType();
            }
        }
        return null;
    }

    private static BeanDescription describe(JavaType type) {
        return Trees.MAPPER.getDeserializationConfig().introspect(type);
    }
}
