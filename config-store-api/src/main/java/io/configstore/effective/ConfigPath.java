package io.configstore.effective;

import io.configstore.error.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A path to one value inside a JSON document: object keys and list indexes from the root, written
 * {@code server.port}, {@code hosts[0].name} or, for a key with other characters, {@code labels["team.name"]}.
 *
 * <p>A class rather than a record because each segment is either a key or an index; the class keeps that union
 * private and exposes it through {@link #isIndex(int)}, {@link #key(int)} and {@link #index(int)}. Immutable.
 *
 * <pre>{@code
 * ConfigPath port = ConfigPath.parse("server.port");
 * ConfigPath firstHost = ConfigPath.root().child("hosts").child(0);
 * firstHost.toString(); // "hosts[0]"
 * }</pre>
 */
public final class ConfigPath {
    private static final ConfigPath ROOT = new ConfigPath(List.of());
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    // Each element is a String (an object key) or an Integer (a list index).
    private final List<Object> segments;

    private ConfigPath(List<Object> segments) {
        this.segments = segments;
    }

    /** The path of the document itself. */
    public static ConfigPath root() {
        return ROOT;
    }

    /**
     * Parses a path as {@link #toString()} writes it.
     *
     * @throws ValidationException when the text is not a path, saying where it stops making sense
     */
    public static ConfigPath parse(String text) {
        if (text == null) {
            throw new ValidationException("path must not be null");
        }
        List<Object> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '[') {
                int close = text.indexOf(']', i);
                if (i + 1 < n && text.charAt(i + 1) == '"') {
                    StringBuilder key = new StringBuilder();
                    int j = i + 2;
                    while (j < n && text.charAt(j) != '"') {
                        if (text.charAt(j) == '\\' && j + 1 < n) {
                            j++;
                        }
                        key.append(text.charAt(j));
                        j++;
                    }
                    if (j + 1 >= n || text.charAt(j + 1) != ']') {
                        throw badPath(text, i, "a quoted key must end with \"]");
                    }
                    parts.add(key.toString());
                    i = j + 2;
                } else {
                    if (close < 0) {
                        throw badPath(text, i, "'[' has no matching ']'");
                    }
                    String digits = text.substring(i + 1, close);
                    if (!digits.matches("[0-9]{1,9}")) {
                        throw badPath(text, i, "a list index must be a number from 0, like [0]");
                    }
                    parts.add(Integer.parseInt(digits));
                    i = close + 1;
                }
            } else {
                if (c == '.') {
                    if (parts.isEmpty() || i + 1 >= n) {
                        throw badPath(text, i, "a '.' must separate two keys");
                    }
                    i++;
                }
                int j = i;
                while (j < n && text.charAt(j) != '.' && text.charAt(j) != '[') {
                    j++;
                }
                if (j == i) {
                    throw badPath(text, i, "a key is empty");
                }
                parts.add(text.substring(i, j));
                i = j;
            }
        }
        return new ConfigPath(Collections.unmodifiableList(parts));
    }

    private static ValidationException badPath(String text, int at, String why) {
        return new ValidationException("path '" + text + "' is not valid at character " + at + ": " + why
                + "; write paths like server.port, hosts[0].name or labels[\"team.name\"]");
    }

    /** This path extended by an object key. */
    public ConfigPath child(String key) {
        Objects.requireNonNull(key, "key");
        List<Object> next = new ArrayList<>(segments);
        next.add(key);
        return new ConfigPath(Collections.unmodifiableList(next));
    }

    /** This path extended by a list index. */
    public ConfigPath child(int index) {
        if (index < 0) {
            throw new ValidationException("a list index must be 0 or more, was " + index);
        }
        List<Object> next = new ArrayList<>(segments);
        next.add(index);
        return new ConfigPath(Collections.unmodifiableList(next));
    }

    /** The number of segments; 0 for the root. */
    public int size() {
        return segments.size();
    }

    /** Whether this is the root path. */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** Whether segment {@code i} is a list index (otherwise it is an object key). */
    public boolean isIndex(int i) {
        return segments.get(i) instanceof Integer;
    }

    /**
     * Segment {@code i} as an object key.
     *
     * @throws IllegalStateException when it is a list index (check {@link #isIndex(int)} first)
     */
    public String key(int i) {
        if (segments.get(i) instanceof String key) {
            return key;
        }
        throw new IllegalStateException("segment " + i + " of " + this + " is a list index, not a key");
    }

    /**
     * Segment {@code i} as a list index.
     *
     * @throws IllegalStateException when it is an object key (check {@link #isIndex(int)} first)
     */
    public int index(int i) {
        if (segments.get(i) instanceof Integer index) {
            return index;
        }
        throw new IllegalStateException("segment " + i + " of " + this + " is a key, not a list index");
    }

    /** The path without its last segment; the root's parent is the root. */
    public ConfigPath parent() {
        return segments.isEmpty() ? this : new ConfigPath(segments.subList(0, segments.size() - 1));
    }

    /** Whether {@code prefix} is this path or one of its ancestors. */
    public boolean startsWith(ConfigPath prefix) {
        return prefix.segments.size() <= segments.size()
                && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigPath path && path.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    /** The path as {@link #parse(String)} reads it; the root is the empty string. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                String key = (String) segment;
                if (PLAIN_KEY.matcher(key).matches()) {
                    if (text.length() > 0) {
                        text.append('.');
                    }
                    text.append(key);
                } else {
                    text.append("[\"").append(key.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
                }
            }
        }
        return text.toString();
    }
}
