package io.configstore.effective;

import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.ConfigStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the effective configuration of one document. Layers apply from the lowest to the highest, and a higher
 * layer wins per leaf:
 * <ol>
 *   <li>host layers at {@link LayerPosition#BELOW_STORE} (defaults);</li>
 *   <li>the stored document, raw;</li>
 *   <li>host layers at {@link LayerPosition#ABOVE_STORE};</li>
 *   <li>the environment, when the host gave one ({@link Builder#environment(Map)});</li>
 *   <li>host layers at {@link LayerPosition#ABOVE_ENVIRONMENT};</li>
 *   <li>the command line, when the host gave one ({@link Builder#commandLine(List)});</li>
 *   <li>host layers at {@link LayerPosition#ABOVE_COMMAND_LINE}.</li>
 * </ol>
 * Objects merge key by key; a list or a scalar replaces what was below it. Text values (environment, properties,
 * flags) are converted to the type at their path in the bound type ({@link Builder#bindTo}) or, failing that, in the
 * document below. Every problem of every layer (a value that does not convert, an unknown flag) is collected and
 * reported at once as one {@link ValidationException}.
 *
 * <p>The library never reads {@code System.getenv()} or the process arguments itself: the host passes them. Loading
 * writes nothing, except the upgraded document when {@link Builder#formatMigrations} are given and the stored one is
 * older. Immutable and thread-safe.
 *
 * <pre>{@code
 * EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app")
 *     .bindTo(AppSettings.class)
 *     .environment(System.getenv())          // CONFIGSTORE_SERVER__PORT=8081
 *     .commandLine(List.of(args))            // --server.port=9090
 *     .build();
 * EffectiveConfig effective = loader.loadEffective(stores.documents());
 * AppSettings settings = effective.bind(AppSettings.class);
 * }</pre>
 */
public final class EffectiveConfigLoader {
    /** The actor recorded when a format upgrade is saved and the host named none. */
    public static final String FORMAT_UPGRADE_ACTOR = "configstore-format-upgrade";

    private final String documentName;
    private final Class<?> boundType;
    private final Map<LayerPosition, List<ConfigLayer>> hostLayers;
    private final ConfigLayer environment;
    private final ConfigLayer commandLine;
    private final FormatMigrations formatMigrations;
    private final ChangeContext upgradeChange;
    private final SecretKeys secrets;

    private EffectiveConfigLoader(Builder builder) {
        this.documentName = builder.documentName;
        this.boundType = builder.boundType;
        Map<LayerPosition, List<ConfigLayer>> layers = new EnumMap<>(LayerPosition.class);
        builder.hostLayers.forEach((position, list) -> layers.put(position, List.copyOf(list)));
        this.hostLayers = layers;
        this.environment = builder.environment;
        this.commandLine = builder.commandLine;
        this.formatMigrations = builder.formatMigrations;
        this.upgradeChange = builder.upgradeChange;
        this.secrets = builder.secrets;
    }

    /**
     * Starts a loader for the document {@code documentName}.
     *
     * @throws ValidationException when the name is not a valid document name
     */
    public static Builder builder(String documentName) {
        return new Builder(Arguments.requireName("documentName", documentName));
    }

    /** The document this loader reads. */
    public String documentName() {
        return documentName;
    }

    /**
     * Loads the stored document (upgrading and saving it first when format migrations are given and it is older)
     * and lays the other layers over it. Writes nothing else: overrides never reach the store.
     *
     * @throws ValidationException listing every problem of every layer, or a format upgrade refusal
     */
    public EffectiveConfig loadEffective(ConfigStore store) {
        Arguments.requireNonNull("store", store);
        if (formatMigrations == null) {
            return resolve(store.load(documentName), Optional.empty());
        }
        Optional<FormatUpgrade> upgrade = formatMigrations.loadUpgraded(store, documentName, upgradeChange);
        return resolve(upgrade.map(FormatUpgrade::document), upgrade.filter(FormatUpgrade::upgraded));
    }

    /**
     * Lays the layers over a stored document already read (or over nothing), without a store: for hosts that read
     * the document themselves, and for tests on JSON trees. With format migrations configured, the document must
     * already be at the current format version.
     *
     * @throws ValidationException listing every problem of every layer, or when the document is not current
     */
    public EffectiveConfig resolve(Optional<ConfigDocument> stored) {
        Arguments.requireNonNull("stored", stored);
        if (formatMigrations != null && stored.isPresent()
                && stored.get().formatVersion() != formatMigrations.currentVersion()) {
            formatMigrations.plan(documentName, stored.get().formatVersion());
            throw new ValidationException("document '" + documentName + "' is at format version "
                    + stored.get().formatVersion() + ", not the current " + formatMigrations.currentVersion()
                    + "; load it with loadEffective(store) so that it is upgraded and saved");
        }
        return resolve(stored, Optional.empty());
    }

    private EffectiveConfig resolve(Optional<ConfigDocument> stored, Optional<FormatUpgrade> upgrade) {
        stored.ifPresent(d -> {
            if (!d.name().equals(documentName)) {
                throw new ValidationException("the stored document is '" + d.name() + "' but this loader reads '"
                        + documentName + "'; pass the document it was built for");
            }
        });
        List<ConfigLayer> layers = new ArrayList<>(hostLayers.getOrDefault(LayerPosition.BELOW_STORE, List.of()));
        stored.ifPresent(d -> layers.add(new DocumentLayer(Origin.storedDocument(d.name(), d.revision()),
                d.content())));
        layers.addAll(hostLayers.getOrDefault(LayerPosition.ABOVE_STORE, List.of()));
        if (environment != null) {
            layers.add(environment);
        }
        layers.addAll(hostLayers.getOrDefault(LayerPosition.ABOVE_ENVIRONMENT, List.of()));
        if (commandLine != null) {
            layers.add(commandLine);
        }
        layers.addAll(hostLayers.getOrDefault(LayerPosition.ABOVE_COMMAND_LINE, List.of()));

        String target = "document '" + documentName + "'"
                + (boundType == null ? "" : " or type " + boundType.getSimpleName());
        LayerContext context = new LayerContext(new LayeredTree(), TypeHints.of(boundType), target);
        for (ConfigLayer layer : layers) {
            layer.apply(context);
        }
        if (!context.problems().isEmpty()) {
            throw new ValidationException("the effective configuration of document '" + documentName + "' has "
                    + context.problems().size() + " problem(s); nothing was loaded", context.problems());
        }
        LayeredTree tree = context.tree();
        // JSON given in variables or flags must obey the same limits (depth, size, no NUL) as a stored document.
        Json.requireObject("the effective document '" + documentName + "'", tree.root());
        int newVersion = formatMigrations == null ? ConfigStore.INITIAL_FORMAT_VERSION
                : formatMigrations.currentVersion();
        return new EffectiveConfig(documentName, (com.fasterxml.jackson.databind.node.ObjectNode) tree.root(),
                tree.explainAll(), stored, upgrade, context.positional(), context.ignored(), secrets, newVersion);
    }

    /** Collects the loader's settings; {@link #build()} makes the immutable loader. */
    public static final class Builder {
        private final String documentName;
        private final Map<LayerPosition, List<ConfigLayer>> hostLayers = new EnumMap<>(LayerPosition.class);
        private Class<?> boundType;
        private ConfigLayer environment;
        private ConfigLayer commandLine;
        private FormatMigrations formatMigrations;
        private ChangeContext upgradeChange;
        private SecretKeys secrets = SecretKeys.defaults();

        private Builder(String documentName) {
            this.documentName = documentName;
            this.upgradeChange = ChangeContext.by(FORMAT_UPGRADE_ACTOR, "format upgrade on load of '"
                    + documentName + "'");
        }

        /** The host type the document binds to: its properties are keys flags may set, its types convert values. */
        public Builder bindTo(Class<?> type) {
            this.boundType = Arguments.requireNonNull("type", type);
            return this;
        }

        /** Environment variables with the default prefix; unknown names ignored. See {@link ConfigLayer#environment}. */
        public Builder environment(Map<String, String> variables) {
            this.environment = ConfigLayer.environment(variables);
            return this;
        }

        /** Environment variables with {@code prefix}. See {@link ConfigLayer#environment(Map, String, UnknownKeys)}. */
        public Builder environment(Map<String, String> variables, String prefix, UnknownKeys unknown) {
            this.environment = ConfigLayer.environment(variables, prefix, unknown);
            return this;
        }

        /** Command-line arguments; an unknown option is an error. See {@link ConfigLayer#commandLine}. */
        public Builder commandLine(List<String> args) {
            return commandLine(args, UnknownKeys.FAIL);
        }

        /** Command-line arguments, unknown options handled as {@code unknown} says. */
        public Builder commandLine(List<String> args, UnknownKeys unknown) {
            this.commandLine = ConfigLayer.commandLine(args, unknown);
            return this;
        }

        /** Adds a host layer at a position; several at one position apply in the order added. */
        public Builder addLayer(LayerPosition position, ConfigLayer layer) {
            Arguments.requireNonNull("position", position);
            Arguments.requireNonNull("layer", layer);
            hostLayers.computeIfAbsent(position, p -> new ArrayList<>()).add(layer);
            return this;
        }

        /** Upgrades an older stored document on load and saves it, recorded as {@value EffectiveConfigLoader#FORMAT_UPGRADE_ACTOR}. */
        public Builder formatMigrations(FormatMigrations migrations) {
            this.formatMigrations = Arguments.requireNonNull("migrations", migrations);
            return this;
        }

        /** Who and why to record when a format upgrade is saved. */
        public Builder upgradeChange(ChangeContext change) {
            this.upgradeChange = Arguments.requireNonNull("change", change);
            return this;
        }

        /** Which keys are secret in the origin report (default {@link SecretKeys#defaults()}). */
        public Builder secretKeys(SecretKeys keys) {
            this.secrets = Arguments.requireNonNull("keys", keys);
            return this;
        }

        /** The immutable loader. */
        public EffectiveConfigLoader build() {
            return new EffectiveConfigLoader(this);
        }
    }
}
