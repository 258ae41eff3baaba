package io.configstore.effective;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.internal.Arguments;
import io.configstore.model.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Differences between two versions of a document, as data: {@link #diff} lists what was added, modified and
 * removed, {@link #apply} replays such a list onto a document, and {@link #changelog} renders it for people. Secret
 * values (keys chosen by {@link SecretKeys}) are redacted in the listed changes and the changelog; {@code apply}
 * writes the real values it was given and never puts one in an error message. Immutable and thread-safe.
 *
 * <p>Objects are compared key by key and lists element by element (so an appended element is one addition); a
 * value whose type changed is one modification. Removed list elements are listed from the last, so that a list
 * applies in order.
 *
 * <pre>{@code
 * ConfigDiff diff = ConfigDiff.of(SecretKeys.defaults());
 * List<PathChange> changes = diff.diff(before.content(), after.content());
 * System.out.print(diff.changelog(changes));
 * //   2 changes:
 * //     ~ server.port: 8080 -> 9090
 * //     ~ database.password: "[redacted]" -> "[redacted]"
 * ObjectNode replayed = diff.apply(before.content(), changes);   // equals after.content()
 * }</pre>
 */
public final class ConfigDiff {
    private final SecretKeys secrets;

    private ConfigDiff(SecretKeys secrets) {
        this.secrets = secrets;
    }

    /** A diff that redacts the keys {@code secrets} chooses. */
    public static ConfigDiff of(SecretKeys secrets) {
        return new ConfigDiff(Arguments.requireNonNull("secrets", secrets));
    }

    /** A diff that redacts {@link SecretKeys#defaults()}. */
    public static ConfigDiff withDefaultSecrets() {
        return of(SecretKeys.defaults());
    }

    /**
     * The changes that turn {@code before} into {@code after}, in document order.
     *
     * @throws ValidationException when either is null
     */
    public List<PathChange> diff(ObjectNode before, ObjectNode after) {
        Arguments.requireNonNull("before", before);
        Arguments.requireNonNull("after", after);
        List<PathChange> changes = new ArrayList<>();
        compare(ConfigPath.root(), before, after, changes);
        return List.copyOf(changes);
    }

    private void compare(ConfigPath path, JsonNode before, JsonNode after, List<PathChange> out) {
        if (before.equals(after)) {
            return;
        }
        if (before.isObject() && after.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = before.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode newer = after.get(field.getKey());
                if (newer == null) {
                    out.add(change(PathChange.Kind.REMOVED, path.child(field.getKey()), field.getValue(), null));
                } else {
                    compare(path.child(field.getKey()), field.getValue(), newer, out);
                }
            }
            Iterator<Map.Entry<String, JsonNode>> added = after.fields();
            while (added.hasNext()) {
                Map.Entry<String, JsonNode> field = added.next();
                if (!before.has(field.getKey())) {
                    out.add(change(PathChange.Kind.ADDED, path.child(field.getKey()), null, field.getValue()));
                }
            }
        } else if (before.isArray() && after.isArray()) {
            int common = Math.min(before.size(), after.size());
            for (int i = 0; i < common; i++) {
                compare(path.child(i), before.get(i), after.get(i), out);
            }
            for (int i = common; i < after.size(); i++) {
                out.add(change(PathChange.Kind.ADDED, path.child(i), null, after.get(i)));
            }
            for (int i = before.size() - 1; i >= common; i--) {
                out.add(change(PathChange.Kind.REMOVED, path.child(i), before.get(i), null));
            }
        } else {
            out.add(change(PathChange.Kind.MODIFIED, path, before, after));
        }
    }

    /** A change for a list built by hand; {@code oldValue} is null for an addition, {@code newValue} for a removal. */
    public PathChange change(PathChange.Kind kind, ConfigPath path, JsonNode oldValue, JsonNode newValue) {
        Arguments.requireNonNull("kind", kind);
        Arguments.requireNonNull("path", path);
        if (path.isRoot()) {
            throw new ValidationException("a change needs a path inside the document, not the root");
        }
        boolean needsOld = kind != PathChange.Kind.ADDED;
        boolean needsNew = kind != PathChange.Kind.REMOVED;
        if (needsOld != (oldValue != null) || needsNew != (newValue != null)) {
            throw new ValidationException("a change of kind " + kind + " at " + path + " takes "
                    + (needsOld ? "an old value" : "no old value") + " and "
                    + (needsNew ? "a new value" : "no new value"));
        }
        return new PathChange(kind, path, oldValue, newValue, secrets);
    }

    /**
     * Applies changes in order to a copy of {@code document}. Each must find the document as the change saw it: an
     * addition needs the path absent (a list index equal to the list's size), a modification or removal needs the
     * old value there. If any does not, nothing is applied.
     *
     * @return the changed copy; {@code document} itself is not changed
     * @throws VersionConflictException naming every path where the document differs from what the change expected
     *     (never the values): diff against the current document again
     */
    public ObjectNode apply(ObjectNode document, List<PathChange> changes) {
        Arguments.requireNonNull("document", document);
        Arguments.requireNonNull("changes", changes);
        ObjectNode result = document.deepCopy();
        List<String> conflicts = new ArrayList<>();
        for (PathChange change : changes) {
            Arguments.requireNonNull("change", change);
            String conflict = applyOne(result, change);
            if (conflict != null) {
                conflicts.add(change.path() + " (" + conflict + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new VersionConflictException("the document does not match what " + conflicts.size()
                    + " change(s) expected at: " + String.join(", ", conflicts)
                    + "; nothing was applied: diff against the current document again");
        }
        return Json.requireObject("the document after the changes", result);
    }

    private static String applyOne(ObjectNode document, PathChange change) {
        ConfigPath path = change.path();
        JsonNode container = Trees.parentContainer(document, path);
        if (container == null) {
            return "its parent is missing or not " + (path.isIndex(path.size() - 1) ? "a list" : "an object");
        }
        int last = path.size() - 1;
        JsonNode current = Trees.get(document, path);
        switch (change.kind()) {
            case ADDED:
                if (current != null) {
                    return "expected no value there, found one";
                }
                if (path.isIndex(last) && path.index(last) != container.size()) {
                    return "expected the list to have " + path.index(last) + " element(s), found " + container.size();
                }
                Trees.set(container, path, change.realNewValue().deepCopy());
                return null;
            case MODIFIED:
                if (!Objects.equals(current, change.realOldValue())) {
                    return current == null ? "expected a value there, found none" : "the value there changed";
                }
                Trees.set(container, path, change.realNewValue().deepCopy());
                return null;
            default:
                if (!Objects.equals(current, change.realOldValue())) {
                    return current == null ? "expected a value there, found none" : "the value there changed";
                }
                if (path.isIndex(last)) {
                    ((ArrayNode) container).remove(path.index(last));
                } else {
                    ((ObjectNode) container).remove(path.key(last));
                }
                return null;
        }
    }

    /**
     * The changes for people, secrets redacted:
     * <pre>
     * 3 changes:
     *   + features[2]: "beta"
     *   ~ server.port: 8080 -> 9090
     *   - legacy (was true)
     * </pre>
     * or {@code No changes.} for an empty list.
     */
    public String changelog(List<PathChange> changes) {
        Arguments.requireNonNull("changes", changes);
        if (changes.isEmpty()) {
            return "No changes." + System.lineSeparator();
        }
        StringBuilder text = new StringBuilder();
        text.append(changes.size()).append(changes.size() == 1 ? " change:" : " changes:")
                .append(System.lineSeparator());
        for (PathChange change : changes) {
            // Re-made with this diff's secrets, so a list from another diff is still redacted by these rules.
            PathChange redacting = new PathChange(change.kind(), change.path(), change.realOldValue(),
                    change.realNewValue(), secrets);
            text.append("  ").append(redacting).append(System.lineSeparator());
        }
        return text.toString();
    }
}
