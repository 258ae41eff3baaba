package io.configstore.effective;

import io.configstore.internal.Arguments;

/**
 * Where a value of the effective configuration came from: the layer and, within it, the exact source.
 *
 * <pre>{@code
 * Origin.storedDocument("app", 3);                  // store: document 'app' revision 3
 * Origin.environmentVariable("CONFIGSTORE_SERVER__PORT"); // environment: CONFIGSTORE_SERVER__PORT
 * Origin.argument(0, "--server.port");              // command line: args[0] --server.port
 * }</pre>
 *
 * @param layer the layer's name, such as {@value #STORE}, {@value #ENVIRONMENT}, {@value #COMMAND_LINE} or a host's
 *     own ({@code defaults}, {@code system properties})
 * @param source the place within the layer: a document and revision, a variable name, an argument's position and
 *     option name (never its value, which may be a secret), a property name
 */
public record Origin(String layer, String source) {
    /** The layer name of the stored document. */
    public static final String STORE = "store";
    /** The layer name of environment variables. */
    public static final String ENVIRONMENT = "environment";
    /** The layer name of command-line arguments. */
    public static final String COMMAND_LINE = "command line";

    public Origin {
        Arguments.requireName("layer", layer);
        Arguments.requireNonNull("source", source);
    }

    /** A value read from the stored document {@code name} at {@code revision}. */
    public static Origin storedDocument(String name, long revision) {
        return new Origin(STORE, "document '" + name + "' revision " + revision);
    }

    /** A value set by the environment variable {@code name}. */
    public static Origin environmentVariable(String name) {
        return new Origin(ENVIRONMENT, name);
    }

    /** A value set by the command-line argument at {@code index} (0-based, as in {@code main(String[] args)}). */
    public static Origin argument(int index, String option) {
        return new Origin(COMMAND_LINE, "args[" + index + "] " + option);
    }

    /** {@code layer: source}. */
    @Override
    public String toString() {
        return layer + ": " + source;
    }
}
