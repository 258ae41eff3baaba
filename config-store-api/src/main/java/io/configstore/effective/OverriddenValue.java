package io.configstore.effective;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A value that a higher layer replaced, with where it came from. Most often it stood at the same path as the value
 * that replaced it; when a layer replaced a whole list or changed an object into a scalar, {@link #path()} says where
 * the replaced value was.
 *
 * <pre>{@code
 * for (OverriddenValue lost : effective.explain("server.port").orElseThrow().overridden()) {
 *     System.out.println(lost.value() + " from " + lost.origin());
 * }
 * }</pre>
 *
 * @param path where the replaced value stood
 * @param value the replaced value (render it through {@link SecretKeys#redact(ConfigPath, JsonNode)} before printing)
 * @param origin where the replaced value came from
 */
public record OverriddenValue(ConfigPath path, JsonNode value, Origin origin) {
    public OverriddenValue {
        value = value.deepCopy();
    }

    /** A copy of the replaced value. */
    @Override
    public JsonNode value() {
        return value.deepCopy();
    }

    /** Redacted when the path looks secret under {@link SecretKeys#defaults()}. */
    @Override
    public String toString() {
        return path + " = " + SecretKeys.defaults().redact(path, value) + " from " + origin;
    }
}
