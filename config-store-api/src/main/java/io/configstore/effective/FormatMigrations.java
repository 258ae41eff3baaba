package io.configstore.effective;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ConfigStoreException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.ConfigStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The migrations between format versions of a document, and the current version the code reads.
 *
 * <p>On load, the shortest chain of migrations from the stored version to the current one is found (breadth-first;
 * among chains of equal length, the one using earlier-registered migrations), applied to the JSON tree, and the
 * upgraded document saved with compare-and-set. If another process saved first, the document is read again and the
 * upgrade retried from what it holds. A document newer than the code is refused (never downgraded), and so is one
 * from which no chain leads to the current version. Immutable and thread-safe once built.
 *
 * <pre>{@code
 * FormatMigrations migrations = FormatMigrations.builder(3)
 *     .add(1, 2, "rename host to endpoint", doc -> { doc.set("endpoint", doc.remove("host")); return doc; })
 *     .add(2, 3, "timeout in milliseconds", doc -> doc.put("timeoutMs", doc.path("timeout").asInt() * 1000))
 *     .build();
 * ConfigDocument app = migrations.loadUpgraded(stores.documents(), "app", change).orElseThrow().document();
 * }</pre>
 */
public final class FormatMigrations {
    private static final int MAX_SAVE_ATTEMPTS = 20;

    private final int currentVersion;
    private final List<FormatMigration> migrations;

    private FormatMigrations(int currentVersion, List<FormatMigration> migrations) {
        this.currentVersion = currentVersion;
        this.migrations = List.copyOf(migrations);
    }

    /**
     * Starts a registry whose documents are current at {@code currentVersion}.
     *
     * @throws ValidationException when the version is below 1
     */
    public static Builder builder(int currentVersion) {
        Arguments.requireVersion("currentVersion", currentVersion);
        return new Builder(currentVersion);
    }

    /** The format version this code reads and writes. */
    public int currentVersion() {
        return currentVersion;
    }

    /** Every registered migration, in registration order. */
    public List<FormatMigration> migrations() {
        return migrations;
    }

    /**
     * The shortest chain of migrations from {@code storedVersion} to the current version; empty when it is current.
     *
     * @param document the document's name, for messages
     * @throws ValidationException when the stored version is newer than the code or no chain leads from it
     */
    public List<FormatMigration> plan(String document, int storedVersion) {
        if (storedVersion == currentVersion) {
            return List.of();
        }
        if (storedVersion > currentVersion) {
            throw new ValidationException("document '" + document + "' has format version " + storedVersion
                    + ", newer than version " + currentVersion + " that this code reads: it was written by a newer"
                    + " release of the application. Upgrade the application; configstore never downgrades a"
                    + " document");
        }
        Map<Integer, FormatMigration> reachedBy = new HashMap<>();
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(storedVersion);
        reachedBy.put(storedVersion, null);
        while (!queue.isEmpty()) {
            int version = queue.removeFirst();
            if (version == currentVersion) {
                break;
            }
            for (FormatMigration step : migrations) {
                if (step.from() == version && !reachedBy.containsKey(step.to())) {
                    reachedBy.put(step.to(), step);
                    queue.addLast(step.to());
                }
            }
        }
        if (!reachedBy.containsKey(currentVersion)) {
            throw new ValidationException("document '" + document + "' has format version " + storedVersion
                    + " and no chain of registered migrations leads from version " + storedVersion + " to version "
                    + currentVersion + " (registered: " + (migrations.isEmpty() ? "none" : migrations)
                    + "); register the missing migration(s) with FormatMigrations.builder(" + currentVersion
                    + ").add(from, to, description, fn)");
        }
        List<FormatMigration> chain = new ArrayList<>();
        for (FormatMigration step = reachedBy.get(currentVersion); step != null; step = reachedBy.get(step.from())) {
            chain.add(step);
        }
        Collections.reverse(chain);
        return List.copyOf(chain);
    }

    /**
     * Applies the shortest chain to a copy of {@code content} and returns the document at the current version. The
     * argument is not changed.
     *
     * @throws ValidationException as {@link #plan}, or naming the migration that failed or returned no JSON object
     */
    public ObjectNode upgrade(String document, ObjectNode content, int storedVersion) {
        Arguments.requireNonNull("content", content);
        return apply(document, Json.requireObject("content", content), plan(document, storedVersion));
    }

    private static ObjectNode apply(String document, ObjectNode content, List<FormatMigration> chain) {
        ObjectNode current = content;
        for (FormatMigration step : chain) {
            ObjectNode next;
            try {
                next = step.transform().apply(current.deepCopy());
            } catch (ConfigStoreException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ValidationException("format migration " + step + " of document '" + document
                        + "' failed with " + e.getClass().getName() + "; fix the migration; the stored document is"
                        + " unchanged", e);
            }
            if (next == null) {
                throw new ValidationException("format migration " + step + " of document '" + document
                        + "' returned null; return the upgraded JSON object");
            }
            current = Json.requireObject("document '" + document + "' after format migration " + step, next);
        }
        return current;
    }

    /**
     * Loads a document and, when its format version is older than the current one, upgrades it and saves the
     * upgraded document (compare-and-set on the revision read, retried from a fresh read on conflict).
     *
     * @param change who and why, recorded with the upgrade's save
     * @return empty when there is no document of that name
     * @throws ValidationException when the document is newer than the code, no chain leads from its version, or a
     *     migration fails; nothing is saved then
     */
    public Optional<FormatUpgrade> loadUpgraded(ConfigStore store, String name, ChangeContext change) {
        Arguments.requireNonNull("store", store);
        Arguments.requireName("name", name);
        Arguments.requireNonNull("change", change);
        for (int attempt = 1; ; attempt++) {
            Optional<ConfigDocument> loaded = store.load(name);
            if (loaded.isEmpty()) {
                return Optional.empty();
            }
            ConfigDocument document = loaded.get();
            List<FormatMigration> chain = plan(name, document.formatVersion());
            if (chain.isEmpty()) {
                return Optional.of(new FormatUpgrade(document, document.formatVersion(), List.of()));
            }
            ObjectNode upgraded = apply(name, document.content(), chain);
            try {
                ConfigDocument saved = store.save(name, upgraded, currentVersion, document.revision(), change);
                return Optional.of(new FormatUpgrade(saved, document.formatVersion(), chain));
            } catch (VersionConflictException e) {
                if (attempt >= MAX_SAVE_ATTEMPTS) {
                    throw e;
                }
                // Someone saved in between (perhaps the same upgrade): read again and upgrade what is there now.
            }
        }
    }

    /** Collects migrations; {@link #build()} checks them. */
    public static final class Builder {
        private final int currentVersion;
        private final List<FormatMigration> migrations = new ArrayList<>();

        private Builder(int currentVersion) {
            this.currentVersion = currentVersion;
        }

        /**
         * Registers a migration.
         *
         * @throws ValidationException when {@code to} is not higher than {@code from}, {@code to} is above the
         *     current version, or a migration between the same two versions is already registered
         */
        public Builder add(int from, int to, String description, UnaryOperator<ObjectNode> transform) {
            return add(new FormatMigration(from, to, description, transform));
        }

        /** Registers a migration; see {@link #add(int, int, String, UnaryOperator)}. */
        public Builder add(FormatMigration migration) {
            Arguments.requireNonNull("migration", migration);
            if (migration.to() > currentVersion) {
                throw new ValidationException("format migration " + migration + " goes past the current version "
                        + currentVersion + "; raise the current version or drop the migration");
            }
            for (FormatMigration existing : migrations) {
                if (existing.from() == migration.from() && existing.to() == migration.to()) {
                    throw new ValidationException("a format migration from " + migration.from() + " to "
                            + migration.to() + " is already registered (" + existing + "); register each once");
                }
            }
            migrations.add(migration);
            return this;
        }

        /** The immutable registry. */
        public FormatMigrations build() {
            return new FormatMigrations(currentVersion, migrations);
        }
    }
}
