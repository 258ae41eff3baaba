package io.configstore.jdbc;

import io.configstore.change.EntityKind;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeType;
import io.configstore.history.EntitySnapshots;
import io.configstore.idempotency.IdempotentWrites;
import io.configstore.idempotency.Requests;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.store.ApiKeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ApiKeyStore} over SQL: one tenant's rows of {@code api_keys}. The ciphertext is stored exactly as the
 * cipher returns it, bound to its row.
 *
 * <p>{@code activation_seq} orders the active keys of a type by when they were stored, rotated or activated: a
 * counter per (tenant, type), so that two changes within the same millisecond still have an order.
 */
final class JdbcApiKeyStore implements ApiKeyStore {
    private static final String ENTITY = "API key";
    private static final String COLUMNS = "id, tenant_id, provider_type, key_name, ciphertext, encryption_key_id,"
            + " active, activation_seq, version, created_at, updated_at, last_used_at, changed_by, change_reason";
    private static final Comparator<ApiKeyMetadata> LISTING = Comparator.comparing(ApiKeyMetadata::providerType)
            .thenComparing(ApiKeyMetadata::keyName);

    private final StoreContext context;
    private final String tenantId;

    /** One row: the metadata and the stored ciphertext, which never leaves this class. */
    private record Row(ApiKeyMetadata metadata, String ciphertext, long activationSeq) {
    }

    JdbcApiKeyStore(StoreContext context, String tenantId) {
        this.context = context;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public ApiKeyMetadata store(String providerType, String keyName, Secret secret, ChangeContext change) {
        Arguments.requireProviderType(providerType);
        Arguments.requireName("keyName", keyName);
        Arguments.requireNonNull("secret", secret);
        Arguments.requireNonNull("change", change);
        String id = UUID.randomUUID().toString();
        // Encrypt before the transaction: the write lock is held only for the SQL.
        String ciphertext = context.cipher().encrypt(secret, new SecretBinding(tenantId, providerType, keyName, id));
        String keyId = context.cipher().keyIdOf(ciphertext);
        String action = "storing " + ENTITY + " '" + keyName + "' (" + providerType + ")";
        IdempotentWrites.Request request = Requests.storeKey(tenantId, providerType, keyName);
        return context.transactions().write(action, connection -> JdbcHistory.idempotent(context, connection, change,
                request, IdempotentWrites.API_KEY, recorded -> holds(connection, recorded, secret), () -> {
            if (!query(connection, "provider_type = ? AND key_name = ?", providerType, keyName).isEmpty()) {
                throw new DuplicateException("provider type '" + providerType + "' already has an API key named '"
                        + keyName + "' in tenant '" + tenantId + "'; rotate that key or choose another name");
            }
            Instant now = context.now();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO api_keys (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, tenantId);
                insert.setString(3, providerType);
                insert.setString(4, keyName);
                insert.setString(5, ciphertext);
                insert.setString(6, keyId);
                insert.setBoolean(7, true);
                insert.setLong(8, nextActivationSeq(connection, providerType));
                context.dialect().setInstant(insert, 9, now);
                context.dialect().setInstant(insert, 10, now);
                insert.setString(11, change.changedBy());
                insert.setString(12, change.reason());
                insert.executeUpdate();
            }
            context.changed(EntityKind.API_KEY, tenantId, id, 1);
            return recorded(connection, id, ChangeType.CREATE, change);
        }));
    }

    @Override
    public Optional<ApiKeyMetadata> get(String id) {
        Arguments.requireId("id", id);
        return context.transactions().read("reading " + ENTITY + " '" + id + "'",
                connection -> find(connection, id).map(Row::metadata));
    }

    @Override
    public List<ApiKeyMetadata> list() {
        return context.transactions().read("listing API keys", connection -> metadata(query(connection, null)));
    }

    @Override
    public List<ApiKeyMetadata> listByType(String providerType) {
        Arguments.requireProviderType(providerType);
        return context.transactions().read("listing API keys of type '" + providerType + "'",
                connection -> metadata(query(connection, "provider_type = ?", providerType)));
    }

    @Override
    public Secret reveal(String id) {
        Arguments.requireId("id", id);
        Row row = context.transactions().read("reading " + ENTITY + " '" + id + "'",
                connection -> require(connection, id));
        return context.cipher().decrypt(row.ciphertext(), binding(row.metadata()));
    }

    @Override
    public Optional<ApiKeyMetadata> findActive(String providerType) {
        Arguments.requireProviderType(providerType);
        return context.transactions().read("finding the active API key of type '" + providerType + "'",
                connection -> query(connection, "provider_type = ? AND active = ?", providerType, true).stream()
                        // activation_seq is drawn under the write lock, so it is commit order; wall-clock time is
                        // not (a clock step, or skew between machines sharing one database).
                        .max(Comparator.comparingLong(Row::activationSeq))
                        .map(Row::metadata));
    }

    @Override
    public ApiKeyMetadata rotate(String id, Secret newSecret, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("newSecret", newSecret);
        Arguments.requireNonNull("change", change);
        IdempotentWrites.Request request = Requests.rotateKey(tenantId, id);
        return context.transactions().write("rotating " + ENTITY + " '" + id + "'", connection ->
                JdbcHistory.idempotent(context, connection, change, request, IdempotentWrites.API_KEY,
                        recorded -> holds(connection, recorded, newSecret), () -> {
            ApiKeyMetadata stored = require(connection, id).metadata();
            String ciphertext = context.cipher().encrypt(newSecret, binding(stored));
            try (PreparedStatement update = connection.prepareStatement("UPDATE api_keys SET ciphertext = ?,"
                    + " encryption_key_id = ?, activation_seq = ?, version = version + 1, updated_at = ?,"
                    + " changed_by = ?, change_reason = ? WHERE tenant_id = ? AND id = ?")) {
                update.setString(1, ciphertext);
                update.setString(2, context.cipher().keyIdOf(ciphertext));
                update.setLong(3, nextActivationSeq(connection, stored.providerType()));
                context.dialect().setInstant(update, 4, context.now());
                update.setString(5, change.changedBy());
                update.setString(6, change.reason());
                update.setString(7, tenantId);
                update.setString(8, id);
                update.executeUpdate();
            }
            context.changed(EntityKind.API_KEY, tenantId, id, stored.version() + 1);
            return recorded(connection, id, ChangeType.KEY_ROTATION, change);
        }));
    }

    /**
     * Whether the key a recorded store or rotation wrote is still at that version and holds {@code given}: the
     * secret is not in the idempotency fingerprint, so a replay compares it here (in constant time).
     */
    private boolean holds(Connection connection, ApiKeyMetadata recorded, Secret given) throws SQLException {
        Optional<Row> row = find(connection, recorded.id());
        if (row.isEmpty() || row.get().metadata().version() != recorded.version()) {
            return false;
        }
        try (Secret stored = context.cipher().decrypt(row.get().ciphertext(), binding(row.get().metadata()))) {
            return IdempotentWrites.sameSecret(stored, given);
        }
    }

    /** The row just written, after appending its history entry. */
    private ApiKeyMetadata recorded(Connection connection, String id, ChangeType type, ChangeContext change)
            throws SQLException {
        Row row = require(connection, id);
        context.history(connection, row.metadata(), row.ciphertext(), type, change);
        return row.metadata();
    }

    @Override
    public ApiKeyMetadata deactivate(String id, ChangeContext change) {
        return setActive(id, false, change);
    }

    @Override
    public ApiKeyMetadata activate(String id, ChangeContext change) {
        return setActive(id, true, change);
    }

    private ApiKeyMetadata setActive(String id, boolean active, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        String action = (active ? "activating " : "deactivating ") + ENTITY + " '" + id + "'";
        return context.transactions().write(action, connection -> JdbcHistory.idempotent(context, connection, change,
                Requests.setKeyActive(tenantId, id, active), IdempotentWrites.API_KEY, () -> {
            ApiKeyMetadata stored = require(connection, id).metadata();
            if (stored.active() == active) {
                return stored;
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE api_keys SET active = ?,"
                    + " activation_seq = ?, version = version + 1, updated_at = ?, changed_by = ?,"
                    + " change_reason = ? WHERE tenant_id = ? AND id = ?")) {
                update.setBoolean(1, active);
                update.setLong(2, nextActivationSeq(connection, stored.providerType()));
                context.dialect().setInstant(update, 3, context.now());
                update.setString(4, change.changedBy());
                update.setString(5, change.reason());
                update.setString(6, tenantId);
                update.setString(7, id);
                update.executeUpdate();
            }
            context.changed(EntityKind.API_KEY, tenantId, id, stored.version() + 1);
            return recorded(connection, id, active ? ChangeType.ENABLE : ChangeType.DISABLE, change);
        }));
    }

    @Override
    public void delete(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        context.transactions().write("deleting " + ENTITY + " '" + id + "'", connection -> JdbcHistory.idempotent(
                context, connection, change, Requests.deleteKey(tenantId, id), IdempotentWrites.NONE, () -> {
            Row row = require(connection, id);
            ApiKeyMetadata stored = row.metadata();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM api_keys WHERE tenant_id = ? AND id = ?")) {
                delete.setString(1, tenantId);
                delete.setString(2, id);
                delete.executeUpdate();
            }
            context.deleted(EntityKind.API_KEY, tenantId, id, stored.version());
            // A deletion is no rollback target and is never pruned (an entity's latest entry): no ciphertext in it.
            context.history(connection, stored, null, ChangeType.DELETE, change);
            return null;
        }));
    }

    @Override
    public void recordUsage(String id) {
        Arguments.requireId("id", id);
        context.transactions().writeOneStatement("recording a use of " + ENTITY + " '" + id + "'", connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE api_keys SET last_used_at = ? WHERE tenant_id = ? AND id = ?")) {
                context.dialect().setInstant(update, 1, context.now());
                update.setString(2, tenantId);
                update.setString(3, id);
                if (update.executeUpdate() != 1) {
                    throw new NotFoundException(ENTITY, tenantId, id);
                }
            }
            return null;
        });
    }

    /**
     * Puts the key back as {@code snapshot} holds it, in the running transaction of a rollback: its ciphertext
     * exactly as stored then, and its active flag; the whole row again when it was deleted. The ciphertext is
     * decrypted first (and the result dropped) to prove that its master key is still configured.
     */
    void restore(Connection connection, ApiKeyMetadata snapshot, String ciphertext, ChangeContext change)
            throws SQLException {
        EntitySnapshots.requireRestorable(context.cipher(), snapshot, ciphertext);
        Optional<Row> current = find(connection, snapshot.id());
        if (current.isEmpty() && !query(connection, "provider_type = ? AND key_name = ?", snapshot.providerType(),
                snapshot.keyName()).isEmpty()) {
            throw new DuplicateException("provider type '" + snapshot.providerType() + "' now has another API key"
                    + " named '" + snapshot.keyName() + "' in tenant '" + tenantId + "'; delete it, then roll back"
                    + " again");
        }
        Instant now = context.now();
        long version = current.isPresent() ? current.get().metadata().version() + 1
                : JdbcHistory.lastVersion(connection, tenantId, EntityKind.API_KEY, snapshot.id()) + 1;
        ApiKeyMetadata restored = EntitySnapshots.restoredApiKey(snapshot,
                current.map(Row::metadata).orElse(null), version, now, change);
        if (current.isPresent()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE api_keys SET ciphertext = ?,"
                    + " encryption_key_id = ?, active = ?, activation_seq = ?, version = ?, updated_at = ?,"
                    + " changed_by = ?, change_reason = ? WHERE tenant_id = ? AND id = ?")) {
                update.setString(1, ciphertext);
                update.setString(2, context.cipher().keyIdOf(ciphertext));
                update.setBoolean(3, restored.active());
                update.setLong(4, nextActivationSeq(connection, snapshot.providerType()));
                update.setLong(5, version);
                context.dialect().setInstant(update, 6, now);
                update.setString(7, change.changedBy());
                update.setString(8, change.reason());
                update.setString(9, tenantId);
                update.setString(10, snapshot.id());
                update.executeUpdate();
            }
        } else {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO api_keys (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, snapshot.id());
                insert.setString(2, tenantId);
                insert.setString(3, snapshot.providerType());
                insert.setString(4, snapshot.keyName());
                insert.setString(5, ciphertext);
                insert.setString(6, context.cipher().keyIdOf(ciphertext));
                insert.setBoolean(7, restored.active());
                insert.setLong(8, nextActivationSeq(connection, snapshot.providerType()));
                insert.setLong(9, version);
                context.dialect().setInstant(insert, 10, restored.createdAt());
                context.dialect().setInstant(insert, 11, now);
                context.dialect().setInstant(insert, 12, restored.lastUsedAt());
                insert.setString(13, change.changedBy());
                insert.setString(14, change.reason());
                insert.executeUpdate();
            }
        }
        context.changed(EntityKind.API_KEY, tenantId, snapshot.id(), version);
        recorded(connection, snapshot.id(), ChangeType.ROLLBACK, change);
    }

    private SecretBinding binding(ApiKeyMetadata key) {
        return new SecretBinding(key.tenantId(), key.providerType(), key.keyName(), key.id());
    }

    private long nextActivationSeq(Connection connection, String providerType) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE(MAX(activation_seq), 0) + 1"
                + " FROM api_keys WHERE tenant_id = ? AND provider_type = ?")) {
            select.setString(1, tenantId);
            select.setString(2, providerType);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private Row require(Connection connection, String id) throws SQLException {
        return find(connection, id).orElseThrow(() -> new NotFoundException(ENTITY, tenantId, id));
    }

    private Optional<Row> find(Connection connection, String id) throws SQLException {
        List<Row> rows = query(connection, "id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<ApiKeyMetadata> metadata(List<Row> rows) {
        return rows.stream().map(Row::metadata).sorted(LISTING).toList();
    }

    /** Rows of this tenant matching {@code condition} (or all of them when null), bound to {@code parameters}. */
    private List<Row> query(Connection connection, String condition, Object... parameters) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM api_keys WHERE tenant_id = ?"
                + (condition == null ? "" : " AND " + condition);
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, tenantId);
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Boolean flag) {
                    select.setBoolean(i + 2, flag);
                } else {
                    select.setString(i + 2, (String) parameters[i]);
                }
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(map(row));
                }
            }
        }
        return rows;
    }

    private Row map(ResultSet row) throws SQLException {
        ApiKeyMetadata metadata;
        try {
            metadata = new ApiKeyMetadata(row.getString("id"), row.getString("tenant_id"),
                    row.getString("provider_type"), row.getString("key_name"), row.getBoolean("active"),
                    row.getLong("version"), row.getString("encryption_key_id"),
                    context.dialect().getInstant(row, "created_at"), context.dialect().getInstant(row, "updated_at"),
                    context.dialect().getInstant(row, "last_used_at"), row.getString("changed_by"),
                    row.getString("change_reason"));
        } catch (ValidationException e) {
            throw StoredRows.rejected("the stored " + ENTITY + " row with id '" + row.getString("id") + "'", e);
        }
        return new Row(metadata, row.getString("ciphertext"), row.getLong("activation_seq"));
    }

    @Override
    public String toString() {
        return "ApiKeyStore[" + tenantId + "]";
    }

    @Override
    public io.configstore.crypto.SealedSecret sealed(String id) {
        Arguments.requireId("id", id);
        Row row = context.transactions().read("reading the sealed secret of " + ENTITY + " '" + id + "'",
                connection -> require(connection, id));
        return new io.configstore.crypto.SealedSecret(context.cipher().keyIdOf(row.ciphertext()),
                binding(row.metadata()), row.ciphertext());
    }
}
