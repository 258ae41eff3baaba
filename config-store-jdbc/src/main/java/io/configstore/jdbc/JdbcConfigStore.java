package io.configstore.jdbc;

import io.configstore.change.EntityKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.history.ChangeType;
import io.configstore.idempotency.IdempotentWrites;
import io.configstore.idempotency.Requests;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.Versioned;
import io.configstore.store.ConfigStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * {@link ConfigStore} over SQL: one tenant's rows of {@code config_documents}, written with compare-and-set on the
 * revision.
 *
 * <p>{@code update} reads, applies the function and writes inside one write transaction. On SQLite the write lock
 * taken at its start makes a conflict impossible; on databases with optimistic concurrency a conflict (or two
 * creators of one new document) re-runs the function on a fresh read, a bounded number of times.
 */
final class JdbcConfigStore implements ConfigStore {
    private static final String ENTITY = "config document";
    private static final String COLUMNS = "tenant_id, name, content, format_version, revision, updated_at,"
            + " changed_by, change_reason";
    static final int UPDATE_ATTEMPTS = 20;

    private final StoreContext context;
    private final String tenantId;

    JdbcConfigStore(StoreContext context, String tenantId) {
        this.context = context;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public Optional<ConfigDocument> load(String name) {
        Arguments.requireName("name", name);
        return context.transactions().read("loading " + ENTITY + " '" + name + "'",
                connection -> find(connection, name));
    }

    @Override
    public <T> Optional<Versioned<T>> load(String name, Class<T> type) {
        Arguments.requireNonNull("type", type);
        return load(name).map(document -> new Versioned<>(document.bind(type), document.revision(),
                document.formatVersion()));
    }

    @Override
    public List<String> names() {
        return context.transactions().read("listing config documents", connection -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT name FROM config_documents WHERE tenant_id = ?")) {
                select.setString(1, tenantId);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        names.add(row.getString(1));
                    }
                }
            }
            Collections.sort(names);
            return List.copyOf(names);
        });
    }

    @Override
    public ConfigDocument save(String name, ObjectNode content, int formatVersion, long expectedRevision,
                               ChangeContext change) {
        Arguments.requireName("name", name);
        ObjectNode checked = Json.requireObject("content", content);
        Arguments.requireVersion("formatVersion", formatVersion);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        IdempotentWrites.Request request = Requests.saveDocument(tenantId, name, checked, formatVersion,
                expectedRevision);
        return context.transactions().write("saving " + ENTITY + " '" + name + "'", connection ->
                JdbcHistory.idempotent(context, connection, change, request, IdempotentWrites.DOCUMENT, () -> {
            Optional<ConfigDocument> stored = find(connection, name);
            long actual = stored.map(ConfigDocument::revision).orElse(ConfigDocument.NO_REVISION);
            if (actual != expectedRevision) {
                throw new VersionConflictException(ENTITY, name, expectedRevision, actual);
            }
            return write(connection, name, checked, formatVersion, expectedRevision, change);
        }));
    }

    @Override
    public ConfigDocument saveValue(String name, Object value, long expectedRevision, ChangeContext change) {
        Arguments.requireName("name", name);
        ObjectNode content = Json.toObject("value", value);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        IdempotentWrites.Request request = Requests.saveDocumentValue(tenantId, name, content, expectedRevision);
        return context.transactions().write("saving " + ENTITY + " '" + name + "'", connection ->
                JdbcHistory.idempotent(context, connection, change, request, IdempotentWrites.DOCUMENT, () -> {
            Optional<ConfigDocument> stored = find(connection, name);
            long actual = stored.map(ConfigDocument::revision).orElse(ConfigDocument.NO_REVISION);
            if (actual != expectedRevision) {
                throw new VersionConflictException(ENTITY, name, expectedRevision, actual);
            }
            int formatVersion = stored.map(ConfigDocument::formatVersion).orElse(INITIAL_FORMAT_VERSION);
            return write(connection, name, content, formatVersion, expectedRevision, change);
        }));
    }

    @Override
    public ConfigDocument update(String name, UnaryOperator<ObjectNode> fn, ChangeContext change) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("fn", fn);
        Arguments.requireNonNull("change", change);
        RuntimeException lastConflict = null;
        for (int attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
            try {
                return context.transactions().write("updating " + ENTITY + " '" + name + "'",
                        connection -> JdbcHistory.idempotent(context, connection, change,
                                Requests.updateDocument(tenantId, name), IdempotentWrites.DOCUMENT,
                                () -> updateOnce(connection, name, fn, change)));
            } catch (VersionConflictException | DuplicateException e) {
                lastConflict = e;
                backOff(attempt);
            }
        }
        throw new VersionConflictException(ENTITY + " '" + name + "' was changed concurrently during each of "
                + UPDATE_ATTEMPTS + " attempts to update it; nothing was written: retry later, or reduce the"
                + " number of concurrent writers (last conflict: " + lastConflict.getMessage() + ")");
    }

    @Override
    public <T> Versioned<T> update(String name, Class<T> type, UnaryOperator<T> fn, ChangeContext change) {
        Arguments.requireNonNull("type", type);
        Arguments.requireNonNull("fn", fn);
        ConfigDocument updated = update(name, content -> {
            T result = fn.apply(Json.bind(ENTITY + " '" + name + "'", content, type));
            if (result == null) {
                throw new ValidationException("the update function for " + ENTITY + " '" + name
                        + "' returned null; return the new value");
            }
            return Json.toObject("the value returned by the update function", result);
        }, change);
        return new Versioned<>(updated.bind(type), updated.revision(), updated.formatVersion());
    }

    @Override
    public void delete(String name, long expectedRevision, ChangeContext change) {
        Arguments.requireName("name", name);
        requireExpectedRevision(expectedRevision);
        Arguments.requireNonNull("change", change);
        context.transactions().write("deleting " + ENTITY + " '" + name + "'", connection -> JdbcHistory.idempotent(
                context, connection, change, Requests.deleteDocument(tenantId, name, expectedRevision),
                IdempotentWrites.NONE, () -> {
            ConfigDocument stored = find(connection, name)
                    .orElseThrow(() -> new NotFoundException(ENTITY, tenantId, name));
            if (stored.revision() != expectedRevision) {
                throw new VersionConflictException(ENTITY, name, expectedRevision, stored.revision());
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM config_documents WHERE tenant_id = ? AND name = ? AND revision = ?")) {
                delete.setString(1, tenantId);
                delete.setString(2, name);
                delete.setLong(3, expectedRevision);
                if (delete.executeUpdate() != 1) {
                    throw new VersionConflictException(ENTITY, name, expectedRevision, -1);
                }
            }
            context.deleted(EntityKind.CONFIG_DOCUMENT, tenantId, name, stored.revision());
            context.history(connection, stored, ChangeType.DELETE, change);
            return null;
        }));
    }

    private ConfigDocument updateOnce(Connection connection, String name, UnaryOperator<ObjectNode> fn,
                                      ChangeContext change) throws SQLException {
        Optional<ConfigDocument> stored = find(connection, name);
        ObjectNode before = stored.map(ConfigDocument::content).orElseGet(Json::object);
        ObjectNode result = fn.apply(before.deepCopy());
        if (result == null) {
            throw new ValidationException("the update function for " + ENTITY + " '" + name
                    + "' returned null; return the document (an empty object to clear it)");
        }
        ObjectNode after = Json.requireObject("the document returned by the update function", result);
        if (stored.isPresent() && after.equals(before)) {
            return stored.get();
        }
        long expected = stored.map(ConfigDocument::revision).orElse(ConfigDocument.NO_REVISION);
        int formatVersion = stored.map(ConfigDocument::formatVersion).orElse(INITIAL_FORMAT_VERSION);
        return write(connection, name, after, formatVersion, expected, change);
    }

    /** Inserts (expected revision 0) or updates with compare-and-set; a lost race is a version conflict. */
    private ConfigDocument write(Connection connection, String name, ObjectNode content, int formatVersion,
                                 long expectedRevision, ChangeContext change) throws SQLException {
        Instant now = context.now();
        String json = Json.write(content);
        if (expectedRevision == ConfigDocument.NO_REVISION) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO config_documents (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, 1, ?, ?, ?)")) {
                insert.setString(1, tenantId);
                insert.setString(2, name);
                context.dialect().setJson(insert, 3, json);
                insert.setInt(4, formatVersion);
                context.dialect().setInstant(insert, 5, now);
                insert.setString(6, change.changedBy());
                insert.setString(7, change.reason());
                insert.executeUpdate();
            }
        } else {
            try (PreparedStatement update = connection.prepareStatement("UPDATE config_documents SET content = ?,"
                    + " format_version = ?, revision = revision + 1, updated_at = ?, changed_by = ?,"
                    + " change_reason = ? WHERE tenant_id = ? AND name = ? AND revision = ?")) {
                context.dialect().setJson(update, 1, json);
                update.setInt(2, formatVersion);
                context.dialect().setInstant(update, 3, now);
                update.setString(4, change.changedBy());
                update.setString(5, change.reason());
                update.setString(6, tenantId);
                update.setString(7, name);
                update.setLong(8, expectedRevision);
                if (update.executeUpdate() != 1) {
                    throw new VersionConflictException(ENTITY, name, expectedRevision, -1);
                }
            }
        }
        context.changed(EntityKind.CONFIG_DOCUMENT, tenantId, name, expectedRevision + 1);
        // Built from what was written rather than read back (one statement less per write); the content is parsed
        // from the written text, so it is what a later read returns.
        ConfigDocument written = new ConfigDocument(tenantId, name, Json.readStored(ENTITY + " '" + name + "'", json),
                formatVersion, expectedRevision + 1, now, change.changedBy(), change.reason());
        context.history(connection, written, expectedRevision == ConfigDocument.NO_REVISION ? ChangeType.CREATE
                : ChangeType.UPDATE, change);
        return written;
    }

    /**
     * Puts the document back as {@code snapshot} holds it (content and format version), in the running transaction
     * of a rollback; creates it again when it was deleted.
     */
    void restore(Connection connection, ConfigDocument snapshot, ChangeContext change) throws SQLException {
        Optional<ConfigDocument> current = find(connection, snapshot.name());
        long expected = current.map(ConfigDocument::revision).orElse(ConfigDocument.NO_REVISION);
        Instant now = context.now();
        String json = Json.write(snapshot.content());
        long revision;
        if (current.isPresent()) {
            revision = expected + 1;
            try (PreparedStatement update = connection.prepareStatement("UPDATE config_documents SET content = ?,"
                    + " format_version = ?, revision = ?, updated_at = ?, changed_by = ?, change_reason = ?"
                    + " WHERE tenant_id = ? AND name = ?")) {
                context.dialect().setJson(update, 1, json);
                update.setInt(2, snapshot.formatVersion());
                update.setLong(3, revision);
                context.dialect().setInstant(update, 4, now);
                update.setString(5, change.changedBy());
                update.setString(6, change.reason());
                update.setString(7, tenantId);
                update.setString(8, snapshot.name());
                update.executeUpdate();
            }
        } else {
            revision = JdbcHistory.lastVersion(connection, tenantId, EntityKind.CONFIG_DOCUMENT, snapshot.name()) + 1;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO config_documents (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, tenantId);
                insert.setString(2, snapshot.name());
                context.dialect().setJson(insert, 3, json);
                insert.setInt(4, snapshot.formatVersion());
                insert.setLong(5, revision);
                context.dialect().setInstant(insert, 6, now);
                insert.setString(7, change.changedBy());
                insert.setString(8, change.reason());
                insert.executeUpdate();
            }
        }
        context.changed(EntityKind.CONFIG_DOCUMENT, tenantId, snapshot.name(), revision);
        context.history(connection, find(connection, snapshot.name()).orElseThrow(() ->
                new io.configstore.error.StorageException("config document '" + snapshot.name() + "' of tenant '"
                        + tenantId + "' is missing right after its rollback wrote it; another process deleted it:"
                        + " load it and retry")), ChangeType.ROLLBACK, change);
    }

    private Optional<ConfigDocument> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM config_documents WHERE tenant_id = ? AND name = ?")) {
            select.setString(1, tenantId);
            select.setString(2, name);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(new ConfigDocument(row.getString("tenant_id"), name,
                            Json.readStored(ENTITY + " '" + name + "'", context.dialect().getJson(row, "content")),
                            row.getInt("format_version"), row.getLong("revision"),
                            context.dialect().getInstant(row, "updated_at"), row.getString("changed_by"),
                            row.getString("change_reason")));
                } catch (ValidationException e) {
                    throw StoredRows.rejected("the stored " + ENTITY + " row '" + name + "'", e);
                }
            }
        }
    }

    private static void requireExpectedRevision(long expectedRevision) {
        if (expectedRevision < ConfigDocument.NO_REVISION) {
            throw new ValidationException("expectedRevision must be " + ConfigDocument.NO_REVISION
                    + " (a new document) or a revision read earlier, was " + expectedRevision);
        }
    }

    /** Waits a little, more with each attempt and randomized, so that competing updaters fall out of step. */
    private static void backOff(int attempt) {
        long maxMillis = Math.min(50, 1L << Math.min(attempt, 6));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(1, maxMillis + 1)));
    }

    @Override
    public String toString() {
        return "ConfigStore[" + tenantId + "]";
    }
}
