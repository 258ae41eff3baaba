package io.configstore.effective;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.Json;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One source of configuration values laid over the stored document: the environment, the command line, or a host's
 * own (a defaults document from the classpath, system properties, a map). Immutable; make them with the factories.
 *
 * <p>Names in environment variables, properties and flags match the document's keys (and the bound type's
 * properties) whatever their case or separator style: {@code maxConnections}, {@code max-connections},
 * {@code max_connections} and {@code MAX_CONNECTIONS} all name the key {@code maxConnections}. Their text values are
 * converted to the type found at that path in the bound type, else in the document: numbers, booleans, strings, and
 * JSON for objects and lists.
 *
 * <pre>{@code
 * ObjectNode defaults = Json.parseObject("defaults.json", Files.readString(path));
 * EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app")
 *     .addLayer(LayerPosition.BELOW_STORE, ConfigLayer.document("defaults", "classpath:/defaults.json", defaults))
 *     .addLayer(LayerPosition.ABOVE_ENVIRONMENT, ConfigLayer.systemProperties(System.getProperties(), "app."))
 *     .environment(System.getenv())
 *     .commandLine(List.of(args))
 *     .build();
 * }</pre>
 */
public abstract class ConfigLayer {
    /** The prefix of environment variables read by default. */
    public static final String DEFAULT_ENVIRONMENT_PREFIX = "CONFIGSTORE_";

    // Package-private: the layers are this package's own, so a layer cannot break the tree's invariants.
    ConfigLayer() {
    }

    /** The layer's name, as origins report it. */
    public abstract String name();

    abstract void apply(LayerContext context);

    /**
     * A whole JSON document laid over the layers below it, key by key (a list replaces a list).
     *
     * @param layer the layer's name, such as {@code defaults}
     * @param source where the document came from, such as {@code classpath:/defaults.json}
     * @throws io.configstore.error.ValidationException when an argument is null or the tree is not a valid document
     */
    public static ConfigLayer document(String layer, String source, ObjectNode tree) {
        return new DocumentLayer(new Origin(layer, Arguments.requireNonNull("source", source)),
                Json.requireObject("tree", tree));
    }

    /**
     * Environment variables starting with {@value #DEFAULT_ENVIRONMENT_PREFIX}; unknown names are ignored. The map is
     * copied; pass {@code System.getenv()} to use the process environment (the library never reads it on its own).
     */
    public static ConfigLayer environment(Map<String, String> variables) {
        return environment(variables, DEFAULT_ENVIRONMENT_PREFIX, UnknownKeys.IGNORE);
    }

    /**
     * Environment variables starting with {@code prefix}: {@code PREFIX_SERVER__PORT} sets {@code server.port}
     * ({@code __} descends one level), {@code PREFIX_HOSTS__0} the first element of {@code hosts}. The variables
     * configstore itself reads ({@code CONFIGSTORE_DB_PATH}, {@code CONFIGSTORE_MASTER_KEY},
     * {@code CONFIGSTORE_MASTER_KEY_FILE}, {@code CONFIGSTORE_MASTER_PASSWORD}) are never taken as overrides.
     *
     * @param unknown what a variable naming no key does; {@link UnknownKeys#IGNORE} suits a shared environment
     * @throws io.configstore.error.ValidationException when an argument is null or the prefix is blank
     */
    public static ConfigLayer environment(Map<String, String> variables, String prefix, UnknownKeys unknown) {
        Arguments.requireNonNull("variables", variables);
        Arguments.requireName("prefix", prefix);
        Arguments.requireNonNull("unknown", unknown);
        return new EnvironmentLayer(copy("variables", variables), prefix, unknown);
    }

    /**
     * Command-line arguments: {@code --a.b.c=value}, {@code --a.b.c value}, {@code --flag} and {@code --no-flag} for
     * booleans, {@code --hosts[0]=x} for list elements; {@code --} ends the options. Every other argument is left for
     * the host ({@link EffectiveConfig#positionalArguments()}).
     *
     * @param unknown what an option naming no key does: {@link UnknownKeys#FAIL} (the usual choice) or
     *     {@link UnknownKeys#IGNORE}; an ignored option without {@code =} takes no value, so its next argument
     *     stays positional
     * @throws io.configstore.error.ValidationException when an argument is null
     */
    public static ConfigLayer commandLine(List<String> args, UnknownKeys unknown) {
        Arguments.requireNonNull("args", args);
        Arguments.requireNonNull("unknown", unknown);
        for (String arg : args) {
            Arguments.requireNonNull("args element", arg);
        }
        return new CommandLineLayer(List.copyOf(args), unknown);
    }

    /**
     * Flat properties whose names, after {@code prefix}, are paths ({@code server.port}, {@code hosts[0]},
     * {@code hosts.0}); other names are skipped. The map is copied.
     *
     * @param layer the layer's name, such as {@code overrides}
     * @param prefix names without it are skipped; may be empty
     * @throws io.configstore.error.ValidationException when an argument is null
     */
    public static ConfigLayer properties(String layer, Map<String, String> properties, String prefix,
                                         UnknownKeys unknown) {
        Arguments.requireName("layer", layer);
        Arguments.requireNonNull("properties", properties);
        Arguments.requireNonNull("prefix", prefix);
        Arguments.requireNonNull("unknown", unknown);
        return new PropertiesLayer(layer, copy("properties", properties), prefix, unknown);
    }

    /** A sorted copy that refuses null names and values with a validation error rather than a raw exception. */
    private static Map<String, String> copy(String field, Map<String, String> map) {
        Map<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> entry : map.entrySet()) {
            if (entry.getKey() == null) {
                throw new ValidationException(field + " has a null name; remove it");
            }
            if (entry.getValue() == null) {
                throw new ValidationException(field + " '" + entry.getKey() + "' has a null value; remove it or"
                        + " give it a value");
            }
            copy.put(entry.getKey(), entry.getValue());
        }
        return copy;
    }

    /**
     * JVM system properties starting with {@code prefix} (for example {@code -Dapp.server.port=9090} with prefix
     * {@code app.}); unknown names are ignored.
     */
    public static ConfigLayer systemProperties(Properties properties, String prefix) {
        Arguments.requireNonNull("properties", properties);
        Map<String, String> copy = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            copy.put(name, properties.getProperty(name));
        }
        return properties("system properties", copy, prefix, UnknownKeys.IGNORE);
    }
}
