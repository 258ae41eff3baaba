package io.configstore.effective;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Environment variables: {@code PREFIX_A__B__0=value}. */
final class EnvironmentLayer extends ConfigLayer {
    /** Variables configstore reads itself: never overrides, even if a document has a key of that name. */
    static final Set<String> RESERVED = Set.of("CONFIGSTORE_DB_PATH", "CONFIGSTORE_MASTER_KEY",
            "CONFIGSTORE_MASTER_KEY_FILE", "CONFIGSTORE_MASTER_PASSWORD");

    private final Map<String, String> variables;
    private final String prefix;
    private final UnknownKeys unknown;

    EnvironmentLayer(Map<String, String> variables, String prefix, UnknownKeys unknown) {
        this.variables = variables;
        this.prefix = prefix;
        this.unknown = unknown;
    }

    @Override
    public String name() {
        return Origin.ENVIRONMENT;
    }

    @Override
    void apply(LayerContext context) {
        List<String> names = new ArrayList<>();
        for (String name : variables.keySet()) {
            if (name.startsWith(prefix) && !RESERVED.contains(name)) {
                names.add(name);
            }
        }
        // HOSTS__2 must come after HOSTS__1 and HOSTS__10 after both, so lists grow index by index.
        names.sort(Comparator.comparing((String name) -> segments(name), EnvironmentLayer::compareSegments));
        for (String name : names) {
            List<String> segments = segments(name);
            String who = "environment variable " + name;
            if (segments.stream().anyMatch(String::isEmpty)) {
                skip(context, name, who + " has an empty name segment; write PREFIX_A__B, with '__' between"
                        + " levels");
                continue;
            }
            LayerContext.Resolution resolution = context.resolve(segments, true);
            if (resolution.failed()) {
                skip(context, name, who + ": " + resolution.failure());
                continue;
            }
            context.putText(resolution, variables.get(name), Origin.environmentVariable(name), who);
        }
    }

    private void skip(LayerContext context, String name, String problem) {
        if (unknown == UnknownKeys.FAIL) {
            context.problems().add(problem);
        } else {
            context.ignored().add(name);
        }
    }

    private List<String> segments(String name) {
        return Arrays.asList(name.substring(prefix.length()).split("__", -1));
    }

    static int compareSegments(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i);
            String y = b.get(i);
            int c;
            if (x.matches("[0-9]{1,9}") && y.matches("[0-9]{1,9}")) {
                c = Integer.compare(Integer.parseInt(x), Integer.parseInt(y));
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
