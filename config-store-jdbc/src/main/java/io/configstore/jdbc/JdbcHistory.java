package io.configstore.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.EntityKind;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeHistory;
import io.configstore.history.ChangeType;
import io.configstore.history.EntitySnapshots;
import io.configstore.history.HistoryEntry;
import io.configstore.history.PruneReport;
import io.configstore.history.RetentionPolicy;
import io.configstore.idempotency.IdempotencyLedger;
import io.configstore.idempotency.IdempotencyRecord;
import io.configstore.idempotency.IdempotentWrites;
import io.configstore.idempotency.Requests;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The change history and idempotency ledger over SQL ({@code change_history}, {@code idempotency_records}): what the
 * stores append inside their write transactions, and one tenant's {@link ChangeHistory}.
 */
final class JdbcHistory implements ChangeHistory {
    /** What a change_history row must hold; said instead of the JDK's text, which quotes the stored value. */
    private static final String UNKNOWN_ROW = "expected entity and change_type among the names this version knows";
    private static final String COLUMNS = "tenant_id, entity, entity_id, version, change_type, changed_at, changed_by,"
            + " change_reason, snapshot";
    /** Rows per JDBC batch: large enough to amortize round trips, small enough to bound the driver's buffers. */
    static final int BATCH_SIZE = 1000;

    private final StoreContext context;
    private final JdbcTenantStores stores;

    JdbcHistory(StoreContext context, JdbcTenantStores stores) {
        this.context = context;
        this.stores = stores;
    }

    @Override
    public String tenantId() {
        return stores.tenantId();
    }

    @Override
    public List<HistoryEntry> list(EntityKind entity, String id) {
        EntitySnapshots.requireEntityId(entity, id);
        return context.transactions().read("listing the history of " + entity + " '" + id + "'", connection ->
                forHosts(query(context, connection, "SELECT " + COLUMNS + " FROM change_history WHERE tenant_id = ?"
                        + " AND entity = ? AND entity_id = ? ORDER BY version", statement -> {
                    statement.setString(1, tenantId());
                    statement.setString(2, entity.name());
                    statement.setString(3, id);
                })));
    }

    @Override
    public List<HistoryEntry> list(Instant from, Instant to, int offset, int limit) {
        ChangeHistory.requireValidPage(from, to, offset, limit);
        return context.transactions().read("listing the history of tenant '" + tenantId() + "'", connection ->
                forHosts(query(context, connection, "SELECT " + COLUMNS + " FROM change_history WHERE tenant_id = ?"
                        + " AND changed_at >= ? AND changed_at < ? ORDER BY changed_at, seq LIMIT ? OFFSET ?",
                        statement -> {
                            statement.setString(1, tenantId());
                            context.dialect().setInstant(statement, 2, from);
                            context.dialect().setInstant(statement, 3, to);
                            statement.setInt(4, limit);
                            statement.setInt(5, offset);
                        })));
    }

    @Override
    public HistoryEntry rollback(EntityKind entity, String id, long toVersion, ChangeContext change) {
        EntitySnapshots.requireEntityId(entity, id);
        Arguments.requireVersion("toVersion", toVersion);
        Arguments.requireNonNull("change", change);
        String tenant = tenantId();
        return context.transactions().write("rolling back " + entity + " '" + id + "' to version " + toVersion,
                connection -> idempotent(context, connection, change, Requests.rollback(tenant, entity, id, toVersion),
                        IdempotentWrites.HISTORY_ENTRY, () -> {
                            HistoryEntry target = entry(context, connection, tenant, entity, id, toVersion)
                                    .orElseThrow(() -> new NotFoundException("history version " + toVersion + " of "
                                            + entity, tenant, id));
                            if (target.changeType() == ChangeType.DELETE) {
                                throw new ValidationException("version " + toVersion + " of " + entity + " '" + id
                                        + "' is its deletion; roll back to a version before it (or delete it)");
                            }
                            ObjectNode snapshot = target.snapshotJson();
                            switch (entity) {
                                case PROVIDER_CONFIG -> stores.providers().restore(connection,
                                        EntitySnapshots.toProvider(snapshot), change);
                                case API_KEY -> stores.apiKeys().restore(connection,
                                        EntitySnapshots.toApiKey(snapshot), EntitySnapshots.ciphertextOf(snapshot),
                                        change);
                                case CONFIG_DOCUMENT -> stores.documents().restore(connection,
                                        EntitySnapshots.toDocument(snapshot), change);
                            }
                            long last = lastVersion(connection, tenant, entity, id);
                            return EntitySnapshots.withoutCiphertext(entry(context, connection, tenant, entity, id,
                                    last).orElseThrow(() -> new io.configstore.error.StorageException("the history"
                                    + " entry of the rollback of " + entity + " '" + id + "' (version " + last
                                    + ") is missing right after it was written; another process deleted it:"
                                    + " list the history and retry")));
                        }));
    }

    /**
     * Appends the history row of one write, in the running transaction.
     *
     * @param entityVersion the entity's version after the write (for a deletion, its last version + 1)
     */
    static void append(StoreContext context, Connection connection, EntityKind entity, String tenantId, String id,
                       long entityVersion, ChangeType type, ObjectNode snapshot, ChangeContext change)
            throws SQLException {
        appendAt(context, connection, entity, tenantId, id,
                EntitySnapshots.nextVersion(lastVersion(connection, tenantId, entity, id), entityVersion), type,
                snapshot, change);
    }

    /** A history row to append: the entity's id, its history version and its snapshot. */
    record NewEntry(String id, long version, ObjectNode snapshot) {
    }

    /**
     * Appends the history row of one write at a history version the caller knows (an entity just created under a
     * fresh random id has none before it), in the running transaction.
     */
    static void appendAt(StoreContext context, Connection connection, EntityKind entity, String tenantId, String id,
                         long version, ChangeType type, ObjectNode snapshot, ChangeContext change)
            throws SQLException {
        appendAll(context, connection, entity, tenantId, type, List.of(new NewEntry(id, version, snapshot)), change);
    }

    /** Appends history rows of one change type and actor, in batches, in the running transaction. */
    static void appendAll(StoreContext context, Connection connection, EntityKind entity, String tenantId,
                          ChangeType type, List<NewEntry> entries, ChangeContext change) throws SQLException {
        Instant now = context.now();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO change_history (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            if (entries.size() > 1) {
                context.dialect().prepareForBatch(insert);
            }
            int batched = 0;
            for (NewEntry entry : entries) {
                insert.setString(1, tenantId);
                insert.setString(2, entity.name());
                insert.setString(3, entry.id());
                insert.setLong(4, entry.version());
                insert.setString(5, type.name());
                context.dialect().setInstant(insert, 6, now);
                insert.setString(7, change.changedBy());
                insert.setString(8, change.reason());
                insert.setString(9, Json.write(entry.snapshot()));
                if (entries.size() == 1) {
                    insert.executeUpdate();
                    return;
                }
                insert.addBatch();
                if (++batched % BATCH_SIZE == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** The last history version of an entity, 0 when it has none. */
    static long lastVersion(Connection connection, String tenantId, EntityKind entity, String id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE(MAX(version), 0)"
                + " FROM change_history WHERE tenant_id = ? AND entity = ? AND entity_id = ?")) {
            select.setString(1, tenantId);
            select.setString(2, entity.name());
            select.setString(3, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Runs {@code write} idempotently in the running transaction (see {@link IdempotentWrites}). */
    static <T> T idempotent(StoreContext context, Connection connection, ChangeContext change,
                            IdempotentWrites.Request request, IdempotentWrites.Codec<T> codec,
                            IdempotentWrites.Write<T, SQLException> write) throws SQLException {
        return IdempotentWrites.run(ledger(context, connection), change, request, codec, context.now(), write);
    }

    /** Like {@link #idempotent}, replaying a recorded result only when {@code check} accepts it. */
    static <T> T idempotent(StoreContext context, Connection connection, ChangeContext change,
                            IdempotentWrites.Request request, IdempotentWrites.Codec<T> codec,
                            IdempotentWrites.ReplayCheck<T, SQLException> check,
                            IdempotentWrites.Write<T, SQLException> write) throws SQLException {
        return IdempotentWrites.run(ledger(context, connection), change, request, codec, context.now(), check, write);
    }

    private static IdempotencyLedger<SQLException> ledger(StoreContext context, Connection connection) {
        return new IdempotencyLedger<>() {
            @Override
            public Optional<IdempotencyRecord> find(String actor, String key) throws SQLException {
                try (PreparedStatement select = connection.prepareStatement("SELECT fingerprint, result, created_at"
                        + " FROM idempotency_records WHERE actor = ? AND idempotency_key = ?")) {
                    select.setString(1, actor);
                    select.setString(2, key);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            return Optional.empty();
                        }
                        return Optional.of(new IdempotencyRecord(actor, key, row.getString("fingerprint"),
                                row.getString("result"), context.dialect().getInstant(row, "created_at")));
                    }
                }
            }

            @Override
            public void record(IdempotencyRecord record) throws SQLException {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO idempotency_records"
                        + " (actor, idempotency_key, fingerprint, result, created_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, record.actor());
                    insert.setString(2, record.key());
                    insert.setString(3, record.fingerprint());
                    insert.setString(4, record.result());
                    context.dialect().setInstant(insert, 5, record.createdAt());
                    insert.executeUpdate();
                }
            }
        };
    }

    /** Prunes every tenant's history and the old idempotency records, in one transaction. */
    static PruneReport prune(StoreContext context, RetentionPolicy policy) {
        Arguments.requireNonNull("policy", policy);
        return context.transactions().write("pruning the change history", connection -> {
            List<HistoryEntry> all = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT tenant_id, entity, entity_id,"
                    + " version, change_type, changed_at, changed_by FROM change_history");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    try {
                        all.add(new HistoryEntry(EntityKind.valueOf(row.getString("entity")),
                                row.getString("tenant_id"), row.getString("entity_id"), row.getLong("version"),
                                ChangeType.valueOf(row.getString("change_type")),
                                context.dialect().getInstant(row, "changed_at"), row.getString("changed_by"), null,
                                "{}"));
                    } catch (IllegalArgumentException e) {
                        throw new io.configstore.error.StorageException("a change_history row of "
                                + row.getString("entity_id") + " holds a value configstore does not know ("
                                + UNKNOWN_ROW + "); it was written outside configstore: correct or delete it,"
                                + " then prune again", e);
                    }
                }
            }
            Instant now = context.now();
            List<HistoryEntry> pruned = policy.prunable(all, now);
            if (!pruned.isEmpty()) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM change_history"
                        + " WHERE tenant_id = ? AND entity = ? AND entity_id = ? AND version = ?")) {
                    for (HistoryEntry entry : pruned) {
                        delete.setString(1, entry.tenantId());
                        delete.setString(2, entry.entity().name());
                        delete.setString(3, entry.entityId());
                        delete.setLong(4, entry.version());
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
            long records;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM idempotency_records WHERE created_at < ?")) {
                context.dialect().setInstant(delete, 1, policy.idempotencyCutoff(now));
                records = delete.executeUpdate();
            }
            return new PruneReport(pruned.size(), records);
        });
    }

    private static Optional<HistoryEntry> entry(StoreContext context, Connection connection, String tenantId,
                                                EntityKind entity, String id, long version) throws SQLException {
        List<HistoryEntry> rows = query(context, connection, "SELECT " + COLUMNS + " FROM change_history"
                + " WHERE tenant_id = ? AND entity = ? AND entity_id = ? AND version = ?", statement -> {
            statement.setString(1, tenantId);
            statement.setString(2, entity.name());
            statement.setString(3, id);
            statement.setLong(4, version);
        });
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Entries as hosts see them: an API key's ciphertext stays in the rows (only a rollback reads it). */
    private static List<HistoryEntry> forHosts(List<HistoryEntry> rows) {
        return rows.stream().map(EntitySnapshots::withoutCiphertext).toList();
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static List<HistoryEntry> query(StoreContext context, Connection connection, String sql, Binder binder)
            throws SQLException {
        List<HistoryEntry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            binder.bind(select);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    try {
                        entries.add(new HistoryEntry(EntityKind.valueOf(row.getString("entity")),
                                row.getString("tenant_id"), row.getString("entity_id"), row.getLong("version"),
                                ChangeType.valueOf(row.getString("change_type")),
                                context.dialect().getInstant(row, "changed_at"), row.getString("changed_by"),
                                row.getString("change_reason"), row.getString("snapshot")));
                    } catch (IllegalArgumentException e) {
                        throw new io.configstore.error.StorageException("a change_history row of "
                                + row.getString("entity_id") + " holds a value configstore does not know ("
                                + UNKNOWN_ROW + "); it was written outside configstore: correct or delete it", e);
                    }
                }
            }
        }
        return entries;
    }

    @Override
    public String toString() {
        return "ChangeHistory[" + tenantId() + "]";
    }
}
