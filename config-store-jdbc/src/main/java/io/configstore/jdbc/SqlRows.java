package io.configstore.jdbc;

import io.configstore.change.ChangeEvent;
import io.configstore.change.EntityKind;
import io.configstore.engine.StoreRows;
import io.configstore.engine.StoredKey;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeHistory;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.history.PruneReport;
import io.configstore.history.RetentionPolicy;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import io.configstore.spi.IdempotencyRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows of one transaction over SQL: the {@link StoreRows} that {@link SqlRowStorage} hands the engine, on the
 * connection {@link Transactions} lends for one read or write. It only finds, inserts, replaces and deletes rows; every
 * rule is the engine's.
 *
 * <p>A driver's {@link SQLException} leaves as a {@link Failure}, which {@link SqlRowStorage} unwraps so that
 * {@link Transactions} translates it with {@link SqlErrorTranslator} and the action, as for any SQL work.
 *
 * <p>A single-row insert that may meet another writer's row says {@code ON CONFLICT DO NOTHING} (SQLite and
 * PostgreSQL; MariaDB's {@code INSERT IGNORE}, through {@link SqlDialect#insertIgnoringDuplicates}): a taken key
 * then changes no row and the transaction stays usable, without the two round trips of a savepoint. A replace that
 * would take a name another writer took meanwhile fails with the unique violation, translated as a duplicate; the
 * engine checked the name first, so only a race gets there.
 */
final class SqlRows implements StoreRows {
    /** What a change_history row must hold; said instead of the JDK's text, which quotes the stored value. */
    private static final String UNKNOWN_ROW = "expected entity and change_type among the names this version knows";
    /** Rows per JDBC batch: large enough to amortize round trips, small enough to bound the driver's buffers. */
    static final int BATCH_SIZE = 1000;

    private static final String PROVIDER = "provider config";
    private static final String PROVIDER_COLUMNS = "id, tenant_id, provider_type, name, settings, is_default,"
            + " enabled, priority, version, created_at, updated_at, changed_by, change_reason";
    private static final String INSERT_PROVIDER = "INSERT INTO provider_configs (" + PROVIDER_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String API_KEY = "API key";
    private static final String KEY_COLUMNS = "id, tenant_id, provider_type, key_name, ciphertext, encryption_key_id,"
            + " active, activation_seq, version, created_at, updated_at, last_used_at, changed_by, change_reason";
    /**
     * The next {@code activation_seq} of a (tenant, type): a counter drawn in the writing statement itself, so that
     * it orders the changes of a type by commit, not by wall clock, at no extra round trip.
     */
    private static final String NEXT_ACTIVATION = "(SELECT COALESCE(MAX(activation_seq), 0) + 1 FROM api_keys"
            + " WHERE tenant_id = ? AND provider_type = ?)";

    private static final String DOCUMENT = "config document";
    private static final String DOCUMENT_COLUMNS = "tenant_id, name, content, format_version, revision, updated_at,"
            + " changed_by, change_reason";

    private static final String HISTORY_COLUMNS = "tenant_id, entity, entity_id, version, change_type, changed_at,"
            + " changed_by, change_reason, snapshot";

    private final Connection connection;
    private final SqlDialect dialect;
    private final Transactions transactions;

    /** A driver's failure on the way out of the engine, unwrapped by {@link SqlRowStorage} for translation. */
    static final class Failure extends RuntimeException {
        Failure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    SqlRows(Connection connection, SqlDialect dialect, Transactions transactions) {
        this.connection = connection;
        this.dialect = dialect;
        this.transactions = transactions;
    }

    /** SQL work on this transaction's connection that may throw the driver's exception. */
    @FunctionalInterface
    private interface Sql<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(Sql<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    /** Binds the parameters of a statement. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    private interface Mapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, Mapper<T> mapper) {
        return sql(() -> {
            List<T> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                binder.bind(select);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(mapper.map(row));
                    }
                }
            }
            return rows;
        });
    }

    private int update(String sql, Binder binder) {
        return sql(() -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                return statement.executeUpdate();
            }
        });
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static Binder strings(String... parameters) {
        return statement -> {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
        };
    }

    // Provider configurations.

    @Override
    public Optional<ProviderConfig> provider(String tenantId, String id) {
        return first(providerRows("id = ?", tenantId, id));
    }

    @Override
    public Optional<ProviderConfig> providerNamed(String tenantId, String providerType, String name) {
        return first(providerRows("provider_type = ? AND name = ?", tenantId, providerType, name));
    }

    /** The default of a type: one row through the partial unique index, however many providers the type has. */
    @Override
    public Optional<ProviderConfig> defaultProvider(String tenantId, String providerType) {
        return first(providerRows("provider_type = ? AND is_default = " + dialect.trueLiteral(), tenantId,
                providerType));
    }

    @Override
    public List<ProviderConfig> providers(String tenantId, String providerType) {
        return providerType == null ? providerRows(null, tenantId)
                : providerRows("provider_type = ?", tenantId, providerType);
    }

    @Override
    public List<ProviderConfig> providersNamed(String tenantId, String name) {
        return providerRows("name = ?", tenantId, name);
    }

    /** The providers of a tenant matching {@code condition} (all when null), bound to the tenant and then the rest. */
    private List<ProviderConfig> providerRows(String condition, String... parameters) {
        return query("SELECT " + PROVIDER_COLUMNS + " FROM provider_configs WHERE tenant_id = ?"
                + (condition == null ? "" : " AND " + condition), strings(parameters), this::provider);
    }

    private ProviderConfig provider(ResultSet row) throws SQLException {
        String name = row.getString("name");
        try {
            return new ProviderConfig(row.getString("id"), row.getString("tenant_id"),
                    row.getString("provider_type"), name,
                    Json.readStored(PROVIDER + " '" + name + "'", dialect.getJson(row, "settings")),
                    row.getBoolean("is_default"), row.getBoolean("enabled"), row.getInt("priority"),
                    row.getLong("version"), dialect.getInstant(row, "created_at"),
                    dialect.getInstant(row, "updated_at"), row.getString("changed_by"),
                    row.getString("change_reason"));
        } catch (ValidationException e) {
            throw StoredRows.rejected("the stored " + PROVIDER + " row with id '" + row.getString("id") + "'", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: one row is one {@code INSERT ... ON CONFLICT DO NOTHING}; more go in JDBC batches inside a savepoint,
     * rolled back to it when a unique constraint refuses a row, so that the transaction stays usable.
     */
    @Override
    public boolean insertProviders(List<ProviderConfig> rows) {
        if (rows.isEmpty()) {
            return true;
        }
        if (rows.size() == 1) {
            return update(dialect.insertIgnoringDuplicates(INSERT_PROVIDER),
                    insert -> bindProvider(insert, rows.get(0))) == 1;
        }
        return sql(() -> {
            Transactions.execute(connection, "SAVEPOINT configstore_batch");
            try (PreparedStatement insert = connection.prepareStatement(INSERT_PROVIDER)) {
                dialect.prepareForBatch(insert);
                for (int i = 0; i < rows.size(); i++) {
                    bindProvider(insert, rows.get(i));
                    insert.addBatch();
                    if ((i + 1) % BATCH_SIZE == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                Transactions.execute(connection, "ROLLBACK TO SAVEPOINT configstore_batch");
                Transactions.execute(connection, "RELEASE SAVEPOINT configstore_batch");
                return false;
            }
            Transactions.execute(connection, "RELEASE SAVEPOINT configstore_batch");
            return true;
        });
    }

    private void bindProvider(PreparedStatement insert, ProviderConfig row) throws SQLException {
        insert.setString(1, row.id());
        insert.setString(2, row.tenantId());
        insert.setString(3, row.providerType());
        insert.setString(4, row.name());
        dialect.setJson(insert, 5, Json.write(row.settings()));
        insert.setBoolean(6, row.isDefault());
        insert.setBoolean(7, row.enabled());
        insert.setInt(8, row.priority());
        insert.setLong(9, row.version());
        dialect.setInstant(insert, 10, row.createdAt());
        dialect.setInstant(insert, 11, row.updatedAt());
        insert.setString(12, row.changedBy());
        insert.setString(13, row.changeReason());
    }

    /** Drivers report a failed batch as a BatchUpdateException whose cause or next exception says why. */
    private boolean isUniqueViolation(SQLException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (dialect.classify(next) == SqlErrorKind.UNIQUE_VIOLATION) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public boolean replaceProvider(ProviderConfig row, long expectedVersion) {
        return update("UPDATE provider_configs SET name = ?, settings = ?, is_default = ?, enabled = ?,"
                + " priority = ?, version = ?, updated_at = ?, changed_by = ?, change_reason = ?"
                + " WHERE tenant_id = ? AND id = ? AND version = ?", update -> {
            update.setString(1, row.name());
            dialect.setJson(update, 2, Json.write(row.settings()));
            update.setBoolean(3, row.isDefault());
            update.setBoolean(4, row.enabled());
            update.setInt(5, row.priority());
            update.setLong(6, row.version());
            dialect.setInstant(update, 7, row.updatedAt());
            update.setString(8, row.changedBy());
            update.setString(9, row.changeReason());
            update.setString(10, row.tenantId());
            update.setString(11, row.id());
            update.setLong(12, expectedVersion);
        }) == 1;
    }

    @Override
    public void deleteProvider(String tenantId, String id) {
        update("DELETE FROM provider_configs WHERE tenant_id = ? AND id = ?", strings(tenantId, id));
    }

    // API keys.

    @Override
    public Optional<StoredKey> apiKey(String tenantId, String id) {
        return first(keyRows(" AND id = ?", tenantId, id));
    }

    @Override
    public Optional<StoredKey> apiKeyNamed(String tenantId, String providerType, String keyName) {
        return first(keyRows(" AND provider_type = ? AND key_name = ?", tenantId, providerType, keyName));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: in activation order, the last stored, rotated or activated key last ({@code activation_seq} is drawn
     * under the write lock, so it is commit order even within one millisecond, where {@code updated_at} ties).
     */
    @Override
    public List<ApiKeyMetadata> apiKeys(String tenantId, String providerType) {
        List<StoredKey> rows = providerType == null ? keyRows(" ORDER BY activation_seq", tenantId)
                : keyRows(" AND provider_type = ? ORDER BY activation_seq", tenantId, providerType);
        return rows.stream().map(StoredKey::metadata).toList();
    }

    /** The keys of a tenant, {@code tail} after its condition on the tenant, bound to the tenant and the rest. */
    private List<StoredKey> keyRows(String tail, String... parameters) {
        return query("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE tenant_id = ?" + tail, strings(parameters),
                this::apiKey);
    }

    private StoredKey apiKey(ResultSet row) throws SQLException {
        ApiKeyMetadata metadata;
        try {
            metadata = new ApiKeyMetadata(row.getString("id"), row.getString("tenant_id"),
                    row.getString("provider_type"), row.getString("key_name"), row.getBoolean("active"),
                    row.getLong("version"), row.getString("encryption_key_id"),
                    dialect.getInstant(row, "created_at"), dialect.getInstant(row, "updated_at"),
                    dialect.getInstant(row, "last_used_at"), row.getString("changed_by"),
                    row.getString("change_reason"));
        } catch (ValidationException e) {
            throw StoredRows.rejected("the stored " + API_KEY + " row with id '" + row.getString("id") + "'", e);
        }
        String ciphertext = row.getString("ciphertext");
        if (ciphertext == null) {
            throw new StorageException("the stored " + API_KEY + " row with id '" + metadata.id() + "' has no"
                    + " ciphertext; it was written outside configstore: correct or delete that row");
        }
        return new StoredKey(metadata, ciphertext);
    }

    @Override
    public boolean insertApiKey(StoredKey row) {
        ApiKeyMetadata key = row.metadata();
        return update(dialect.insertIgnoringDuplicates("INSERT INTO api_keys (" + KEY_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, " + NEXT_ACTIVATION + ", ?, ?, ?, ?, ?, ?)"), insert -> {
            insert.setString(1, key.id());
            insert.setString(2, key.tenantId());
            insert.setString(3, key.providerType());
            insert.setString(4, key.keyName());
            insert.setString(5, row.ciphertext());
            insert.setString(6, key.encryptionKeyId());
            insert.setBoolean(7, key.active());
            insert.setString(8, key.tenantId());
            insert.setString(9, key.providerType());
            insert.setLong(10, key.version());
            dialect.setInstant(insert, 11, key.createdAt());
            dialect.setInstant(insert, 12, key.updatedAt());
            dialect.setInstant(insert, 13, key.lastUsedAt());
            insert.setString(14, key.changedBy());
            insert.setString(15, key.changeReason());
        }) == 1;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the last use stays as stored (a use recorded meanwhile is not lost), and the key draws the next
     * activation of its type.
     */
    @Override
    public boolean replaceApiKey(StoredKey row, long expectedVersion) {
        ApiKeyMetadata key = row.metadata();
        return update("UPDATE api_keys SET ciphertext = ?, encryption_key_id = ?, active = ?, activation_seq = "
                + NEXT_ACTIVATION + ", version = ?, updated_at = ?, changed_by = ?, change_reason = ?"
                + " WHERE tenant_id = ? AND id = ? AND version = ?", update -> {
            update.setString(1, row.ciphertext());
            update.setString(2, key.encryptionKeyId());
            update.setBoolean(3, key.active());
            update.setString(4, key.tenantId());
            update.setString(5, key.providerType());
            update.setLong(6, key.version());
            dialect.setInstant(update, 7, key.updatedAt());
            update.setString(8, key.changedBy());
            update.setString(9, key.changeReason());
            update.setString(10, key.tenantId());
            update.setString(11, key.id());
            update.setLong(12, expectedVersion);
        }) == 1;
    }

    @Override
    public boolean recordKeyUse(String tenantId, String id, Instant at) {
        return update("UPDATE api_keys SET last_used_at = ? WHERE tenant_id = ? AND id = ?", update -> {
            dialect.setInstant(update, 1, at);
            update.setString(2, tenantId);
            update.setString(3, id);
        }) == 1;
    }

    @Override
    public void deleteApiKey(String tenantId, String id) {
        update("DELETE FROM api_keys WHERE tenant_id = ? AND id = ?", strings(tenantId, id));
    }

    // Configuration documents.

    @Override
    public Optional<ConfigDocument> document(String tenantId, String name) {
        return first(query("SELECT " + DOCUMENT_COLUMNS + " FROM config_documents WHERE tenant_id = ? AND name = ?",
                strings(tenantId, name), this::document));
    }

    private ConfigDocument document(ResultSet row) throws SQLException {
        String name = row.getString("name");
        try {
            return new ConfigDocument(row.getString("tenant_id"), name,
                    Json.readStored(DOCUMENT + " '" + name + "'", dialect.getJson(row, "content")),
                    row.getInt("format_version"), row.getLong("revision"), dialect.getInstant(row, "updated_at"),
                    row.getString("changed_by"), row.getString("change_reason"));
        } catch (ValidationException e) {
            throw StoredRows.rejected("the stored " + DOCUMENT + " row '" + name + "'", e);
        }
    }

    @Override
    public List<String> documentNames(String tenantId) {
        return query("SELECT name FROM config_documents WHERE tenant_id = ?", strings(tenantId),
                row -> row.getString(1));
    }

    @Override
    public boolean writeDocument(ConfigDocument document, long expectedRevision) {
        String json = Json.write(document.content());
        if (expectedRevision == ConfigDocument.NO_REVISION) {
            return update(dialect.insertIgnoringDuplicates("INSERT INTO config_documents (" + DOCUMENT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"), insert -> {
                insert.setString(1, document.tenantId());
                insert.setString(2, document.name());
                dialect.setJson(insert, 3, json);
                insert.setInt(4, document.formatVersion());
                insert.setLong(5, document.revision());
                dialect.setInstant(insert, 6, document.updatedAt());
                insert.setString(7, document.changedBy());
                insert.setString(8, document.changeReason());
            }) == 1;
        }
        return update("UPDATE config_documents SET content = ?, format_version = ?, revision = ?, updated_at = ?,"
                + " changed_by = ?, change_reason = ? WHERE tenant_id = ? AND name = ? AND revision = ?", update -> {
            dialect.setJson(update, 1, json);
            update.setInt(2, document.formatVersion());
            update.setLong(3, document.revision());
            dialect.setInstant(update, 4, document.updatedAt());
            update.setString(5, document.changedBy());
            update.setString(6, document.changeReason());
            update.setString(7, document.tenantId());
            update.setString(8, document.name());
            update.setLong(9, expectedRevision);
        }) == 1;
    }

    @Override
    public void deleteDocument(String tenantId, String name) {
        update("DELETE FROM config_documents WHERE tenant_id = ? AND name = ?", strings(tenantId, name));
    }

    // Change history.

    /** {@inheritDoc} One statement for one entry; JDBC batches of {@link #BATCH_SIZE} for more. */
    @Override
    public void appendHistory(List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        sql(() -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO change_history ("
                    + HISTORY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                if (entries.size() == 1) {
                    bindHistory(insert, entries.get(0));
                    insert.executeUpdate();
                    return null;
                }
                dialect.prepareForBatch(insert);
                int batched = 0;
                for (HistoryEntry entry : entries) {
                    bindHistory(insert, entry);
                    insert.addBatch();
                    if (++batched % BATCH_SIZE == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    private void bindHistory(PreparedStatement insert, HistoryEntry entry) throws SQLException {
        insert.setString(1, entry.tenantId());
        insert.setString(2, entry.entity().name());
        insert.setString(3, entry.entityId());
        insert.setLong(4, entry.version());
        insert.setString(5, entry.changeType().name());
        dialect.setInstant(insert, 6, entry.changedAt());
        insert.setString(7, entry.changedBy());
        insert.setString(8, entry.reason());
        insert.setString(9, entry.snapshot());
    }

    @Override
    public long lastHistoryVersion(EntityKind entity, String tenantId, String entityId) {
        return query("SELECT COALESCE(MAX(version), 0) FROM change_history WHERE tenant_id = ? AND entity = ?"
                + " AND entity_id = ?", strings(tenantId, entity.name(), entityId), row -> row.getLong(1)).get(0);
    }

    @Override
    public Optional<HistoryEntry> historyEntry(EntityKind entity, String tenantId, String entityId, long version) {
        return first(query("SELECT " + HISTORY_COLUMNS + " FROM change_history WHERE tenant_id = ? AND entity = ?"
                + " AND entity_id = ? AND version = ?", statement -> {
            statement.setString(1, tenantId);
            statement.setString(2, entity.name());
            statement.setString(3, entityId);
            statement.setLong(4, version);
        }, this::historyEntry));
    }

    @Override
    public List<HistoryEntry> history(EntityKind entity, String tenantId, String entityId) {
        return query("SELECT " + HISTORY_COLUMNS + " FROM change_history WHERE tenant_id = ? AND entity = ?"
                + " AND entity_id = ? ORDER BY version", strings(tenantId, entity.name(), entityId),
                this::historyEntry);
    }

    @Override
    public List<HistoryEntry> history(String tenantId, Instant from, Instant to, int offset, int limit) {
        return query("SELECT " + HISTORY_COLUMNS + " FROM change_history WHERE tenant_id = ? AND changed_at >= ?"
                + " AND changed_at < ? ORDER BY changed_at, seq LIMIT ? OFFSET ?", statement -> {
            statement.setString(1, tenantId);
            dialect.setInstant(statement, 2, ChangeHistory.storableBound(from));
            dialect.setInstant(statement, 3, ChangeHistory.storableBound(to));
            statement.setInt(4, limit);
            statement.setInt(5, offset);
        }, this::historyEntry);
    }

    private HistoryEntry historyEntry(ResultSet row) throws SQLException {
        try {
            return new HistoryEntry(EntityKind.valueOf(row.getString("entity")), row.getString("tenant_id"),
                    row.getString("entity_id"), row.getLong("version"),
                    ChangeType.valueOf(row.getString("change_type")), dialect.getInstant(row, "changed_at"),
                    row.getString("changed_by"), row.getString("change_reason"), row.getString("snapshot"));
        } catch (IllegalArgumentException e) {
            throw new StorageException("a change_history row of " + row.getString("entity_id") + " holds a value"
                    + " configstore does not know (" + UNKNOWN_ROW + "); it was written outside configstore:"
                    + " correct or delete it", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the policy picks from every row's key and time (not its snapshot); the picked rows go in one batch.
     */
    @Override
    public PruneReport pruneHistory(RetentionPolicy policy, Instant now) {
        List<HistoryEntry> all = query("SELECT tenant_id, entity, entity_id, version, change_type, changed_at,"
                + " changed_by FROM change_history", statement -> { }, row -> {
            try {
                return new HistoryEntry(EntityKind.valueOf(row.getString("entity")), row.getString("tenant_id"),
                        row.getString("entity_id"), row.getLong("version"),
                        ChangeType.valueOf(row.getString("change_type")), dialect.getInstant(row, "changed_at"),
                        row.getString("changed_by"), null, "{}");
            } catch (IllegalArgumentException e) {
                throw new StorageException("a change_history row of " + row.getString("entity_id") + " holds a"
                        + " value configstore does not know (" + UNKNOWN_ROW + "); it was written outside"
                        + " configstore: correct or delete it, then prune again", e);
            }
        });
        List<HistoryEntry> pruned = policy.prunable(all, now);
        return sql(() -> {
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
                dialect.setInstant(delete, 1, policy.idempotencyCutoff(now));
                records = delete.executeUpdate();
            }
            return new PruneReport(pruned.size(), records);
        });
    }

    // Idempotency records.

    @Override
    public Optional<IdempotencyRecord> idempotencyRecord(String actor, String key) {
        return first(query("SELECT fingerprint, result, created_at FROM idempotency_records WHERE actor = ?"
                + " AND idempotency_key = ?", strings(actor, key), row -> new IdempotencyRecord(actor, key,
                row.getString("fingerprint"), row.getString("result"), dialect.getInstant(row, "created_at"))));
    }

    /** {@inheritDoc} One statement: an upsert on the (actor, key) primary key. */
    @Override
    public void putIdempotencyRecord(IdempotencyRecord record) {
        update(dialect.upsert("INSERT INTO idempotency_records (actor, idempotency_key, fingerprint, result,"
                + " created_at) VALUES (?, ?, ?, ?, ?)", List.of("actor", "idempotency_key"),
                List.of("fingerprint", "result", "created_at")), insert -> {
            insert.setString(1, record.actor());
            insert.setString(2, record.key());
            insert.setString(3, record.fingerprint());
            insert.setString(4, record.result());
            dialect.setInstant(insert, 5, record.createdAt());
        });
    }

    // Tenants and changes.

    @Override
    public List<String> tenantIds() {
        return sql(() -> {
            List<String> tenants = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT tenant_id FROM provider_configs"
                         + " UNION SELECT tenant_id FROM api_keys UNION SELECT tenant_id FROM config_documents")) {
                while (row.next()) {
                    tenants.add(row.getString(1));
                }
            }
            return tenants;
        });
    }

    @Override
    public void changed(ChangeEvent event) {
        transactions.recordChange(event);
    }

    @Override
    public String toString() {
        return "SqlRows[" + dialect.describeDatabase() + "]";
    }
}
