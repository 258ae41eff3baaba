package io.configstore.effective;

import io.configstore.error.ValidationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Flat properties named by paths: {@code server.port=9090}, {@code hosts[0]=a}. */
final class PropertiesLayer extends ConfigLayer {
    private final String layer;
    private final Map<String, String> properties;
    private final String prefix;
    private final UnknownKeys unknown;

    PropertiesLayer(String layer, Map<String, String> properties, String prefix, UnknownKeys unknown) {
        this.layer = layer;
        this.properties = properties;
        this.prefix = prefix;
        this.unknown = unknown;
    }

    @Override
    public String name() {
        return layer;
    }

    @Override
    void apply(LayerContext context) {
        List<String> names = new ArrayList<>();
        for (String name : properties.keySet()) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                names.add(name);
            }
        }
        names.sort(Comparator.comparing(this::segmentsOrEmpty, EnvironmentLayer::compareSegments));
        for (String name : names) {
            String who = layer + " property " + name;
            List<String> segments;
            try {
                segments = CommandLineLayer.names(ConfigPath.parse(name.substring(prefix.length())));
            } catch (ValidationException e) {
                skip(context, name, who + ": " + e.getMessage());
                continue;
            }
            LayerContext.Resolution resolution = context.resolve(segments, false);
            if (resolution.failed()) {
                skip(context, name, who + ": " + resolution.failure());
                continue;
            }
            context.putText(resolution, properties.get(name), new Origin(layer, name), who);
        }
    }

    private List<String> segmentsOrEmpty(String name) {
        try {
            return CommandLineLayer.names(ConfigPath.parse(name.substring(prefix.length())));
        } catch (ValidationException e) {
            return List.of();
        }
    }

    private void skip(LayerContext context, String name, String problem) {
        if (unknown == UnknownKeys.FAIL) {
            context.problems().add(problem);
        } else {
            context.ignored().add(name);
        }
    }
}
