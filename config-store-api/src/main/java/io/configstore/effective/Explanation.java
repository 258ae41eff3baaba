package io.configstore.effective;

import com.fasterxml.jackson.databind.JsonNode;
import io.configstore.model.Json;
import java.util.List;

/**
 * Why one leaf of the effective configuration has its value: the layer that set it, and every value it replaced,
 * the most recent first.
 *
 * <pre>{@code
 * Explanation port = effective.explain("server.port").orElseThrow();
 * port.origin();      // command line: args[0] --server.port
 * port.overridden();  // [8081 from environment: CONFIGSTORE_SERVER__PORT, 8080 from store: document 'app' revision 2]
 * }</pre>
 *
 * @param path the leaf's path
 * @param value the effective value (a scalar, null, or an empty object or list)
 * @param origin the layer and source that set it
 * @param overridden the values it replaced, the most recent first; empty when no lower layer had one
 */
public record Explanation(ConfigPath path, JsonNode value, Origin origin, List<OverriddenValue> overridden) {
    public Explanation {
        value = value.deepCopy();
        overridden = List.copyOf(overridden);
    }

    /** A copy of the effective value. */
    @Override
    public JsonNode value() {
        return value.deepCopy();
    }

    /**
     * One line for the value and one per replaced value, secrets redacted by {@code secrets}:
     * <pre>
     * server.port = 9090  from command line: args[0] --server.port
     *     overrode 8081 from environment: CONFIGSTORE_SERVER__PORT
     * </pre>
     */
    public String render(SecretKeys secrets) {
        StringBuilder text = new StringBuilder();
        text.append(path).append(" = ").append(Json.write(secrets.redact(path, value)))
                .append("  from ").append(origin);
        for (OverriddenValue lost : overridden) {
            text.append(System.lineSeparator()).append("    overrode ");
            if (!lost.path().equals(path)) {
                text.append(lost.path()).append(" = ");
            }
            text.append(Json.write(secrets.redact(lost.path(), lost.value()))).append(" from ").append(lost.origin());
        }
        return text.toString();
    }

    /** {@link #render(SecretKeys)} with {@link SecretKeys#defaults()}. */
    @Override
    public String toString() {
        return render(SecretKeys.defaults());
    }
}
