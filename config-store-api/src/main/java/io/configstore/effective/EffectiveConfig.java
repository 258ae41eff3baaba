package io.configstore.effective;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.ConfigStore;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One document as the application should see it: the stored document with the environment, the command line and
 * the host's own layers laid over it, and the origin of every value. Immutable and thread-safe.
 *
 * <p><b>Overrides are never written back.</b> The effective tree is for reading. To change the configuration, edit
 * the stored document with {@link #saveStored}: it applies the edit to the raw stored content (never to the
 * overrides) and saves it with compare-and-set on the revision that was read. Do not save the effective tree or a
 * value bound from it: that would store the environment and command line into the document.
 *
 * <pre>{@code
 * EffectiveConfig effective = loader.loadEffective(stores.documents());
 * AppSettings settings = effective.bind(AppSettings.class);
 * System.out.println(effective.explain("server.port").orElseThrow());
 * //   server.port = 9090  from command line: args[0] --server.port
 * //       overrode 8080 from store: document 'app' revision 4
 * effective.saveStored(stores.documents(), doc -> doc.put("maxConnections", 40), change);
 * }</pre>
 */
public final class EffectiveConfig {
    private final String documentName;
    private final ObjectNode tree;
    private final List<Explanation> explanations;
    private final Optional<ConfigDocument> stored;
    private final Optional<FormatUpgrade> formatUpgrade;
    private final List<String> positionalArguments;
    private final List<String> ignored;
    private final SecretKeys secrets;
    private final int newDocumentFormatVersion;

    EffectiveConfig(String documentName, ObjectNode tree, List<Explanation> explanations,
                    Optional<ConfigDocument> stored, Optional<FormatUpgrade> formatUpgrade,
                    List<String> positionalArguments, List<String> ignored, SecretKeys secrets,
                    int newDocumentFormatVersion) {
        this.documentName = documentName;
        this.tree = tree;
        this.explanations = List.copyOf(explanations);
        this.stored = stored;
        this.formatUpgrade = formatUpgrade;
        this.positionalArguments = List.copyOf(positionalArguments);
        this.ignored = List.copyOf(ignored);
        this.secrets = secrets;
        this.newDocumentFormatVersion = newDocumentFormatVersion;
    }

    /** The document's name. */
    public String documentName() {
        return documentName;
    }

    /** A copy of the effective tree. */
    public ObjectNode tree() {
        return tree.deepCopy();
    }

    /** The stored document the effective tree was built on (raw, without overrides), or empty when none is stored. */
    public Optional<ConfigDocument> stored() {
        return stored;
    }

    /** The format upgrade saved while loading, when the stored document was older than the code. */
    public Optional<FormatUpgrade> formatUpgrade() {
        return formatUpgrade;
    }

    /** The command-line arguments that were not options, in order, for the host. */
    public List<String> positionalArguments() {
        return positionalArguments;
    }

    /** The names of variables, properties and options that named no key and were ignored (never their values). */
    public List<String> ignored() {
        return ignored;
    }

    /** Every leaf of the effective tree with its origin and the values it overrode, in document order. */
    public List<Explanation> explainAll() {
        return explanations;
    }

    /**
     * The origin of the leaf at {@code path} and the values it overrode; empty when no leaf is there (the path is
     * absent, or names an object or list: ask for one of its leaves).
     *
     * @throws ValidationException when the path is not a valid path
     */
    public Optional<Explanation> explain(String path) {
        return explain(ConfigPath.parse(path));
    }

    /** See {@link #explain(String)}. */
    public Optional<Explanation> explain(ConfigPath path) {
        Arguments.requireNonNull("path", path);
        return explanations.stream().filter(e -> e.path().equals(path)).findFirst();
    }

    /** Every leaf's explanation, one per line (overridden values indented below), secrets redacted. */
    public String originReport() {
        StringBuilder report = new StringBuilder();
        for (Explanation explanation : explanations) {
            report.append(explanation.render(secrets)).append(System.lineSeparator());
        }
        return report.toString();
    }

    /**
     * Binds the effective tree to a host type with Jackson.
     *
     * @throws ValidationException listing, in {@link ValidationException#problems()}, every path that does not fit
     *     the type (not only the first), each with the expected type (for a number, its range) and the origin of the
     *     value, never the value
     */
    public <T> T bind(Class<T> type) {
        return ConfigBinder.bind("effective document '" + documentName + "'", tree, type,
                path -> explain(path).map(Explanation::origin));
    }

    /**
     * Edits the stored document, never the overrides: {@code edit} gets a copy of the raw stored content (an empty
     * object when none is stored), and its result is saved with the revision that was read, keeping the stored
     * format version.
     *
     * @return the document as stored afterwards
     * @throws io.configstore.error.VersionConflictException when the stored document changed since it was read:
     *     load the effective configuration again and re-apply the edit
     * @throws ValidationException when {@code edit} returns null or not a valid document
     */
    public ConfigDocument saveStored(ConfigStore store, UnaryOperator<ObjectNode> edit, ChangeContext change) {
        Arguments.requireNonNull("store", store);
        Arguments.requireNonNull("edit", edit);
        Arguments.requireNonNull("change", change);
        ObjectNode raw = stored.map(ConfigDocument::content).orElseGet(Json::object);
        ObjectNode edited = edit.apply(raw);
        if (edited == null) {
            throw new ValidationException("the edit of document '" + documentName + "' returned null; return the"
                    + " edited JSON object");
        }
        return store.save(documentName, edited,
                stored.map(ConfigDocument::formatVersion).orElse(newDocumentFormatVersion),
                stored.map(ConfigDocument::revision).orElse(ConfigDocument.NO_REVISION), change);
    }

    /** The document name and leaf count; never a value. */
    @Override
    public String toString() {
        return "EffectiveConfig[document '" + documentName + "', " + explanations.size() + " values"
                + stored.map(d -> ", stored revision " + d.revision()).orElse(", nothing stored") + "]";
    }
}
