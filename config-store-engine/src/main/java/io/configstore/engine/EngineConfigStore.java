package io.configstore.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.history.ChangeType;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.Versioned;
import io.configstore.store.ConfigStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * {@link ConfigStore} of one tenant over {@link StoreRows}, written with compare-and-set on the revision.
 *
 * <p>{@code update} reads, applies the function and writes in one write. A storage that locks for writing never
 * loses the compare-and-set; one shared by several writers without a lock may, and then the function runs again on a
 * fresh read, a bounded number of times.
 */
final class EngineConfigStore implements ConfigStore {
    private static final String ENTITY = "config document";
    /** How many times {@code update} runs its function when other writers keep winning the compare-and-set. */
    static final int UPDATE_ATTEMPTS = 20;

    private final Engine engine;
    private final String tenantId;

    EngineConfigStore(Engine engine, String tenantId) {
        this.engine = engine;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public Optional<ConfigDocument> load(String name) {
        Arguments.requireName("name", name);
        return engine.storage().read("loading " + ENTITY + " '" + name + "'", rows -> rows.document(tenantId, name));
    }

    @Override
    public <T> Optional<Versioned<T>> load(String name, Class<T> type) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("type", type);
        return load(name).map(doc -> new Versioned<>(doc.bind(type), doc.revision(), doc.formatVersion()));
    }

    @Override
    public List<String> names() {
        return engine.storage().read("listing config documents",
                rows -> rows.documentNames(tenantId).stream().sorted().toList());
    }

    @Override
    public ConfigDocument save(String name, ObjectNode content, int formatVersion, long expectedRevision,
                               ChangeContext change) {
        Arguments.requireName("name", name);
        ObjectNode checked = Json.requireObject("content", content);
        Arguments.requireVersion("formatVersion", formatVersion);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        return engine.write("saving " + ENTITY + " '" + name + "'", change,
                Requests.saveDocument(tenantId, name, checked, formatVersion, expectedRevision),
                IdempotentWrites.DOCUMENT, rows -> {
            ConfigDocument stored = rows.document(tenantId, name).orElse(null);
            requireRevision(name, stored, expectedRevision);
            return write(rows, name, checked, formatVersion, expectedRevision, change);
        });
    }

    @Override
    public ConfigDocument saveValue(String name, Object value, long expectedRevision, ChangeContext change) {
        Arguments.requireName("name", name);
        ObjectNode checked = Json.toObject("value", value);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        return engine.write("saving " + ENTITY + " '" + name + "'", change,
                Requests.saveDocumentValue(tenantId, name, checked, expectedRevision), IdempotentWrites.DOCUMENT,
                rows -> {
            ConfigDocument stored = rows.document(tenantId, name).orElse(null);
            requireRevision(name, stored, expectedRevision);
            int formatVersion = stored == null ? INITIAL_FORMAT_VERSION : stored.formatVersion();
            return write(rows, name, checked, formatVersion, expectedRevision, change);
        });
    }

    @Override
    public ConfigDocument update(String name, UnaryOperator<ObjectNode> fn, ChangeContext change) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("fn", fn);
        Arguments.requireNonNull("change", change);
        for (int attempt = 1; ; attempt++) {
            try {
                return engine.write("updating " + ENTITY + " '" + name + "'", change,
                        Requests.updateDocument(tenantId, name), IdempotentWrites.DOCUMENT,
                        rows -> updateOnce(rows, name, fn, change));
            } catch (LostRace e) {
                if (attempt == UPDATE_ATTEMPTS) {
                    throw new VersionConflictException(ENTITY + " '" + name + "' was changed concurrently during"
                            + " each of " + UPDATE_ATTEMPTS + " attempts to update it; nothing was written: retry"
                            + " later, or reduce the number of concurrent writers");
                }
                backOff(attempt);
            }
        }
    }

    private ConfigDocument updateOnce(StoreRows rows, String name, UnaryOperator<ObjectNode> fn,
                                      ChangeContext change) {
        ConfigDocument stored = rows.document(tenantId, name).orElse(null);
        ObjectNode before = stored == null ? Json.object() : stored.content();
        ObjectNode after = Json.asStored("the result of the update function",
                Json.requireObject("the result of the update function", fn.apply(before.deepCopy())));
        if (stored != null && after.equals(before)) {
            return stored;
        }
        int formatVersion = stored == null ? INITIAL_FORMAT_VERSION : stored.formatVersion();
        long revision = stored == null ? ConfigDocument.NO_REVISION : stored.revision();
        ConfigDocument written = document(name, after, formatVersion, revision, change);
        if (!rows.writeDocument(written, revision)) {
            throw new LostRace();
        }
        new HistoryWriter(rows, change, written.updatedAt()).document(written,
                revision == ConfigDocument.NO_REVISION ? ChangeType.CREATE : ChangeType.UPDATE);
        return written;
    }

    @Override
    public <T> Versioned<T> update(String name, Class<T> type, UnaryOperator<T> fn, ChangeContext change) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("type", type);
        Arguments.requireNonNull("fn", fn);
        Arguments.requireNonNull("change", change);
        ConfigDocument stored = update(name,
                node -> Json.toObject("the result of the update function",
                        fn.apply(Json.bind(ENTITY + " '" + name + "'", node, type))),
                change);
        return new Versioned<>(stored.bind(type), stored.revision(), stored.formatVersion());
    }

    @Override
    public void delete(String name, long expectedRevision, ChangeContext change) {
        Arguments.requireName("name", name);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        engine.write("deleting " + ENTITY + " '" + name + "'", change,
                Requests.deleteDocument(tenantId, name, expectedRevision), IdempotentWrites.NONE, rows -> {
            ConfigDocument stored = rows.document(tenantId, name)
                    .orElseThrow(() -> new NotFoundException(ENTITY, tenantId, name));
            if (stored.revision() != expectedRevision) {
                throw new VersionConflictException(ENTITY, name, expectedRevision, stored.revision());
            }
            rows.deleteDocument(tenantId, name);
            new HistoryWriter(rows, change, engine.now()).document(stored, ChangeType.DELETE);
            return null;
        });
    }

    /** Writes revision {@code expectedRevision + 1}, whose stored revision was checked; records it. */
    private ConfigDocument write(StoreRows rows, String name, ObjectNode content, int formatVersion,
                                 long expectedRevision, ChangeContext change) {
        ConfigDocument written = document(name, Json.asStored("the content of " + ENTITY + " '" + name + "'",
                content), formatVersion, expectedRevision, change);
        if (!rows.writeDocument(written, expectedRevision)) {
            throw new VersionConflictException(ENTITY + " '" + name + "' was changed by another writer while this"
                    + " write ran; nothing was written: load it again, re-apply the change and retry");
        }
        new HistoryWriter(rows, change, written.updatedAt()).document(written,
                expectedRevision == ConfigDocument.NO_REVISION ? ChangeType.CREATE : ChangeType.UPDATE);
        return written;
    }

    private ConfigDocument document(String name, ObjectNode content, int formatVersion, long expectedRevision,
                                    ChangeContext change) {
        return new ConfigDocument(tenantId, name, content, formatVersion, expectedRevision + 1, engine.now(),
                change.changedBy(), change.reason());
    }

    private static void requireRevision(String name, ConfigDocument stored, long expectedRevision) {
        long actual = stored == null ? ConfigDocument.NO_REVISION : stored.revision();
        if (actual != expectedRevision) {
            throw new VersionConflictException(ENTITY, name, expectedRevision, actual);
        }
    }

    private static void requireExpectedRevision(long expectedRevision) {
        if (expectedRevision < ConfigDocument.NO_REVISION) {
            throw new ValidationException("expectedRevision must be " + ConfigDocument.NO_REVISION
                    + " (a new document) or a revision read earlier; pass the revision of the document you read");
        }
    }

    /** Waits a little, more with each attempt and randomized, so that competing updaters fall out of step. */
    private static void backOff(int attempt) {
        long maxMillis = Math.min(50, 1L << Math.min(attempt, 6));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(1, maxMillis + 1)));
    }

    /** Another writer won the compare-and-set of one attempt of {@code update}: the attempt is run again. */
    private static final class LostRace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostRace() {
            super("another writer changed the document during this attempt", null, false, false);
        }
    }

    @Override
    public String toString() {
        return "ConfigStore[" + tenantId + "]";
    }
}
