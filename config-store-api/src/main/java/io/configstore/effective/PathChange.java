package io.configstore.effective;

import com.fasterxml.jackson.databind.JsonNode;
import io.configstore.model.Json;
import java.util.Objects;

/**
 * One change between two documents: a value added, modified or removed at a path. Made by {@link ConfigDiff}.
 *
 * <p>A class rather than a record so that a secret cannot leak through it: {@link #oldValue()},
 * {@link #newValue()} and {@link #toString()} give values with secrets redacted (by the diff's {@link SecretKeys}),
 * while {@link ConfigDiff#apply} uses the real values it keeps privately. Immutable.
 *
 * <pre>{@code
 * for (PathChange change : diff.diff(before, after)) {
 *     System.out.println(change);   // ~ server.port: 8080 -> 9090
 * }
 * }</pre>
 */
public final class PathChange {
    /** What happened at the path. */
    public enum Kind {
        /** The path is new: {@link #oldValue()} is null. */
        ADDED,
        /** The value at the path changed. */
        MODIFIED,
        /** The path is gone: {@link #newValue()} is null. */
        REMOVED
    }

    private final Kind kind;
    private final ConfigPath path;
    private final JsonNode oldValue;
    private final JsonNode newValue;
    private final SecretKeys secrets;

    PathChange(Kind kind, ConfigPath path, JsonNode oldValue, JsonNode newValue, SecretKeys secrets) {
        this.kind = kind;
        this.path = path;
        this.oldValue = oldValue == null ? null : oldValue.deepCopy();
        this.newValue = newValue == null ? null : newValue.deepCopy();
        this.secrets = secrets;
    }

    /** Added, modified or removed. */
    public Kind kind() {
        return kind;
    }

    /** Where. */
    public ConfigPath path() {
        return path;
    }

    /** The value before, secrets redacted; null for {@link Kind#ADDED}. */
    public JsonNode oldValue() {
        return secrets.redact(path, oldValue);
    }

    /** The value after, secrets redacted; null for {@link Kind#REMOVED}. */
    public JsonNode newValue() {
        return secrets.redact(path, newValue);
    }

    /** Whether the value at this path is a secret (so its values show redacted). */
    public boolean secret() {
        return secrets.isSecret(path);
    }

    JsonNode realOldValue() {
        return oldValue;
    }

    JsonNode realNewValue() {
        return newValue;
    }

    /** One changelog line: {@code + path: new}, {@code ~ path: old -> new} or {@code - path (was old)}. */
    @Override
    public String toString() {
        return switch (kind) {
            case ADDED -> "+ " + path + ": " + Json.write(newValue());
            case MODIFIED -> "~ " + path + ": " + Json.write(oldValue()) + " -> " + Json.write(newValue());
            case REMOVED -> "- " + path + " (was " + Json.write(oldValue()) + ")";
        };
    }

    /** Equal when kind, path and the real values are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PathChange change && change.kind == kind && change.path.equals(path)
                && Objects.equals(change.oldValue, oldValue) && Objects.equals(change.newValue, newValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, path, oldValue, newValue);
    }
}
