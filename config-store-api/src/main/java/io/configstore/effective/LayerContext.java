package io.configstore.effective;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a layer works on: the tree so far, the bound type's hints, and where it reports problems, ignored names and
 * positional arguments. One per resolution; not thread-safe.
 */
final class LayerContext {
    /** A path resolved from the names a layer was given, or why it could not be. */
    record Resolution(ConfigPath path, ValueKind kind, String failure) {
        boolean failed() {
            return failure != null;
        }
    }

    private final LayeredTree tree;
    private final TypeHints hints;
    private final String target;
    private final List<String> problems = new ArrayList<>();
    private final List<String> ignored = new ArrayList<>();
    private final List<String> positional = new ArrayList<>();

    LayerContext(LayeredTree tree, TypeHints hints, String target) {
        this.tree = tree;
        this.hints = hints;
        this.target = target;
    }

    LayeredTree tree() {
        return tree;
    }

    List<String> problems() {
        return problems;
    }

    List<String> ignored() {
        return ignored;
    }

    List<String> positional() {
        return positional;
    }

    /**
     * Resolves names written in any style ({@code maxConnections}, {@code max-connections}, {@code MAX_CONNECTIONS})
     * to the document's keys or the bound type's properties, and digits to list indexes. A key that neither knows is
     * a failure, except under a map-typed property, where it is created ({@code lowerCaseNewKeys} for environment
     * variables, whose names are upper case by convention).
     */
    Resolution resolve(List<String> names, boolean lowerCaseNewKeys) {
        if (names.isEmpty()) {
            return failure("names no key; write a path such as server.port");
        }
        ConfigPath path = ConfigPath.root();
        // Failures name the segment by its position, never its text: an option that matches no key may be a
        // secret typed in the wrong place.
        int segment = 0;
        for (String name : names) {
            segment++;
            JsonNode node = Trees.get(tree.root(), path);
            JavaType type = hints.typeAt(path);
            boolean list = (node != null && node.isArray())
                    || (node == null && type != null && type.isContainerType() && !type.isMapLikeType());
            if (list) {
                if (!name.matches("[0-9]{1,9}")) {
                    return failure("its segment " + segment + " is text, but " + where(path) + " is a list: name"
                            + " an element by its index (0, 1, ...)");
                }
                int index = Integer.parseInt(name);
                int size = node == null ? 0 : node.size();
                if (index > size) {
                    return failure("index " + index + " is past the end of the list " + where(path) + ", which has "
                            + size + " element(s); set indexes in order from 0");
                }
                path = path.child(index);
                continue;
            }
            String key = matchKey(node, type, name);
            if (key == null) {
                if (type != null && type.isMapLikeType()) {
                    key = lowerCaseNewKeys ? name.toLowerCase(Locale.ROOT) : name;
                } else {
                    return failure("its segment " + segment + " matches no key " + where(path) + " in " + target
                            + "; check the spelling (any case or separator style matches)");
                }
            }
            path = path.child(key);
        }
        ValueKind kind = hints.kindAt(path);
        if (kind == ValueKind.UNKNOWN) {
            kind = ValueKind.of(Trees.get(tree.root(), path));
        }
        return new Resolution(path, kind, null);
    }

    private static String where(ConfigPath path) {
        return path.isRoot() ? "at the top level" : "under " + path;
    }

    private static Resolution failure(String why) {
        return new Resolution(null, ValueKind.UNKNOWN, why);
    }

    /** The document key or bound property that {@code name} means: an exact match first, then a relaxed one. */
    private static String matchKey(JsonNode node, JavaType type, String name) {
        Set<String> candidates = new LinkedHashSet<>();
        if (node != null && node.isObject()) {
            Iterator<String> names = node.fieldNames();
            names.forEachRemaining(candidates::add);
        }
        candidates.addAll(TypeHints.propertyNames(type));
        if (candidates.contains(name)) {
            return name;
        }
        String wanted = SecretKeys.normalize(name);
        for (String candidate : candidates) {
            if (SecretKeys.normalize(candidate).equals(wanted)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Puts a text value at a resolved path after converting it, or records why it could not be: it is not of the
     * path's kind, or it does not fit the bound type there (a number outside the type's range, a JSON value with a
     * wrong part). The bound type is checked here, at load, so that the problem names the variable or argument.
     */
    void putText(Resolution resolution, String text, Origin origin, String who) {
        ValueKind kind = resolution.kind();
        JavaType type = hints.typeAt(resolution.path());
        NumericType numeric = NumericType.of(type);
        var value = kind.coerce(text);
        if (value.isEmpty()) {
            problems.add(who + " sets " + resolution.path() + ", which must be "
                    + (numeric == null ? kind.description() : numeric.description())
                    + ", but its value is not one; correct or remove it");
            return;
        }
        List<ConfigBinder.Problem> misfits = new ArrayList<>(ConfigBinder.problems(value.get(), type,
                resolution.path()));
        // With no numeric type to say more, a number still must fit a double, as every stored number must (Json's
        // rule), and is reported here, naming its source, rather than by the check of the whole tree.
        String untypedMisfit = numeric == null && kind == ValueKind.NUMBER
                ? NumericType.DOUBLE.misfit(value.get()) : null;
        if (untypedMisfit != null) {
            misfits.add(new ConfigBinder.Problem(resolution.path(), NumericType.DOUBLE.description(), untypedMisfit,
                    true));
        }
        for (ConfigBinder.Problem misfit : misfits) {
            String found = misfit.outOfRange() ? misfit.found() : "not one";
            problems.add(who + " sets " + resolution.path() + (misfit.path().equals(resolution.path())
                    ? ", which must be " + misfit.expected() + ", but its value is " + found
                    : ", whose " + misfit.path() + " must be " + misfit.expected() + ", but is " + misfit.found())
                    + "; correct or remove it");
        }
        if (misfits.isEmpty()) {
            tree.put(resolution.path(), value.get(), origin);
        }
    }
}
