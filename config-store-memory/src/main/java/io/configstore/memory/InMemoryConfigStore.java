package io.configstore.memory;

import io.configstore.idempotency.IdempotentWrites;
import io.configstore.idempotency.Requests;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.Versioned;
import io.configstore.store.ConfigStore;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link ConfigStore} of one tenant over an {@link InMemoryStoreSet}. Updates run under the write lock, so they
 * never conflict and {@code fn} runs once.
 */
final class InMemoryConfigStore implements ConfigStore {
    private static final String ENTITY = "document";

    private final InMemoryStoreSet set;
    private final String tenantId;

    InMemoryConfigStore(InMemoryStoreSet set, String tenantId) {
        this.set = set;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public Optional<ConfigDocument> load(String name) {
        Arguments.requireName("name", name);
        return Optional.ofNullable(set.read().documents.get(new DocumentKey(tenantId, name)));
    }

    @Override
    public <T> Optional<Versioned<T>> load(String name, Class<T> type) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("type", type);
        return load(name).map(doc -> new Versioned<>(doc.bind(type), doc.revision(), doc.formatVersion()));
    }

    @Override
    public List<String> names() {
        return set.read().documents.keySet().stream().filter(k -> k.tenantId().equals(tenantId))
                .map(DocumentKey::name).sorted().toList();
    }

    @Override
    public ConfigDocument save(String name, ObjectNode content, int formatVersion, long expectedRevision,
                               ChangeContext change) {
        Arguments.requireName("name", name);
        ObjectNode checked = Json.requireObject("content", content);
        Arguments.requireVersion("formatVersion", formatVersion);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        return set.write(change, Requests.saveDocument(tenantId, name, checked, formatVersion, expectedRevision),
                IdempotentWrites.DOCUMENT, tables -> put(tables, name, checked, formatVersion, expectedRevision,
                        change));
    }

    @Override
    public ConfigDocument saveValue(String name, Object value, long expectedRevision, ChangeContext change) {
        Arguments.requireName("name", name);
        ObjectNode checked = Json.toObject("value", value);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        return set.write(change, Requests.saveDocumentValue(tenantId, name, checked, expectedRevision),
                IdempotentWrites.DOCUMENT, tables -> {
            ConfigDocument stored = tables.documents.get(new DocumentKey(tenantId, name));
            int formatVersion = stored == null ? INITIAL_FORMAT_VERSION : stored.formatVersion();
            return put(tables, name, checked, formatVersion, expectedRevision, change);
        });
    }

    @Override
    public ConfigDocument update(String name, UnaryOperator<ObjectNode> fn, ChangeContext change) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("fn", fn);
        Arguments.requireNonNull("change", change);
        return set.write(change, Requests.updateDocument(tenantId, name), IdempotentWrites.DOCUMENT, tables -> {
            DocumentKey key = new DocumentKey(tenantId, name);
            ConfigDocument stored = tables.documents.get(key);
            ObjectNode before = stored == null ? Json.object() : stored.content();
            ObjectNode after = Json.requireObject("the result of the update function", fn.apply(before.deepCopy()));
            if (stored != null && after.equals(before)) {
                return stored;
            }
            int formatVersion = stored == null ? INITIAL_FORMAT_VERSION : stored.formatVersion();
            long revision = stored == null ? ConfigDocument.NO_REVISION : stored.revision();
            return put(tables, name, after, formatVersion, revision, change);
        });
    }

    @Override
    public <T> Versioned<T> update(String name, Class<T> type, UnaryOperator<T> fn, ChangeContext change) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("type", type);
        Arguments.requireNonNull("fn", fn);
        Arguments.requireNonNull("change", change);
        ConfigDocument stored = update(name,
                node -> Json.toObject("the result of the update function",
                        fn.apply(Json.bind("document '" + name + "'", node, type))),
                change);
        return new Versioned<>(stored.bind(type), stored.revision(), stored.formatVersion());
    }

    @Override
    public void delete(String name, long expectedRevision, ChangeContext change) {
        Arguments.requireName("name", name);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        set.write(change, Requests.deleteDocument(tenantId, name, expectedRevision), IdempotentWrites.NONE, tables -> {
            DocumentKey key = new DocumentKey(tenantId, name);
            ConfigDocument stored = tables.documents.get(key);
            if (stored == null) {
                throw new NotFoundException(ENTITY, tenantId, name);
            }
            if (stored.revision() != expectedRevision) {
                throw new VersionConflictException(ENTITY, name, expectedRevision, stored.revision());
            }
            tables.documents.remove(key);
            return null;
        });
    }

    /** Compare-and-set: writes revision {@code expectedRevision + 1} when the stored revision is the expected one. */
    private ConfigDocument put(Tables tables, String name, ObjectNode content, int formatVersion,
                               long expectedRevision, ChangeContext change) {
        DocumentKey key = new DocumentKey(tenantId, name);
        ConfigDocument stored = tables.documents.get(key);
        long actual = stored == null ? ConfigDocument.NO_REVISION : stored.revision();
        if (actual != expectedRevision) {
            throw new VersionConflictException(ENTITY, name, expectedRevision, actual);
        }
        ConfigDocument saved = new ConfigDocument(tenantId, name, content, formatVersion, expectedRevision + 1,
                set.now(), change.changedBy(), change.reason());
        tables.documents.put(key, saved);
        return saved;
    }

    private static void requireExpectedRevision(long expectedRevision) {
        if (expectedRevision < ConfigDocument.NO_REVISION) {
            throw new ValidationException("expectedRevision must be " + ConfigDocument.NO_REVISION
                    + " (a new document) or the revision read, was " + expectedRevision);
        }
    }
}
