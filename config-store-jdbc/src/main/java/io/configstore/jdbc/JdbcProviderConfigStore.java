package io.configstore.jdbc;

import io.configstore.change.EntityKind;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.history.ChangeType;
import io.configstore.history.EntitySnapshots;
import io.configstore.idempotency.IdempotentWrites;
import io.configstore.idempotency.Requests;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.ProviderSelection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link ProviderConfigStore} over SQL: one tenant's rows of {@code provider_configs}. */
final class JdbcProviderConfigStore implements ProviderConfigStore {
    private static final String ENTITY = "provider config";
    private static final String COLUMNS = "id, tenant_id, provider_type, name, settings, is_default, enabled,"
            + " priority, version, created_at, updated_at, changed_by, change_reason";
    /** The row of a new provider, at version 1. */
    private static final String INSERT_NEW = "INSERT INTO provider_configs (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)";

    private final StoreContext context;
    private final String tenantId;

    JdbcProviderConfigStore(StoreContext context, String tenantId) {
        this.context = context;
        this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
        return tenantId;
    }

    @Override
    public ProviderConfig create(NewProviderConfig config, ChangeContext change) {
        Arguments.requireNonNull("config", config);
        Arguments.requireNonNull("change", change);
        String settings = Json.write(config.settings());
        String action = "creating " + ENTITY + " '" + config.name() + "' (" + config.providerType() + ")";
        return context.transactions().write(action, connection -> JdbcHistory.idempotent(context, connection, change,
                Requests.createProvider(tenantId, config), IdempotentWrites.PROVIDER, () -> {
            if (findByName(connection, config.providerType(), config.name()).isPresent()) {
                throw new DuplicateException("provider type '" + config.providerType() + "' already has a provider"
                        + " named '" + config.name() + "' in tenant '" + tenantId + "'; update that one or choose"
                        + " another name");
            }
            Instant now = context.now();
            Optional<ProviderConfig> currentDefault = findDefault(connection, config.providerType());
            boolean makeDefault = config.makeDefault() || currentDefault.isEmpty();
            if (makeDefault && currentDefault.isPresent()) {
                // Clear the old flag first: the partial unique index allows one default per type at any moment.
                setDefaultFlag(connection, currentDefault.get(), false, now, change);
            }
            ProviderConfig created = newRow(config, settings, makeDefault, now, change);
            try (PreparedStatement insert = connection.prepareStatement(INSERT_NEW)) {
                bindNewRow(insert, created, settings);
                insert.executeUpdate();
            }
            context.changed(EntityKind.PROVIDER_CONFIG, tenantId, created.id(), 1);
            context.historyOfCreated(connection, List.of(created), change);
            return created;
        }));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the rows and their history rows go in JDBC batches, one lookup of the default per type, and a taken
     * name is found by the unique constraint (the batch runs in a savepoint, so the transaction stays usable to say
     * which name). A list that moves a default ({@code asDefault}) is created row by row, as {@link #create} does.
     */
    @Override
    public List<ProviderConfig> createAll(List<NewProviderConfig> configs, ChangeContext change) {
        List<NewProviderConfig> batch = ProviderConfigStore.requireValidBatch(configs, change);
        if (batch.isEmpty()) {
            return List.of();
        }
        return context.transactions().write("creating " + batch.size() + " provider configs", connection -> {
            if (batch.stream().anyMatch(NewProviderConfig::makeDefault)) {
                List<ProviderConfig> created = new ArrayList<>(batch.size());
                for (NewProviderConfig config : batch) {
                    created.add(create(config, change)); // joins this transaction, in a savepoint
                }
                return created;
            }
            return insertAll(connection, batch, change);
        });
    }

    private List<ProviderConfig> insertAll(Connection connection, List<NewProviderConfig> batch, ChangeContext change)
            throws SQLException {
        Instant now = context.now();
        Map<String, Boolean> hasDefault = new HashMap<>();
        List<ProviderConfig> created = new ArrayList<>(batch.size());
        List<String> settings = new ArrayList<>(batch.size());
        for (NewProviderConfig config : batch) {
            String type = config.providerType();
            Boolean typeHasDefault = hasDefault.put(type, true);
            boolean makeDefault = typeHasDefault == null ? findDefault(connection, type).isEmpty() : !typeHasDefault;
            String json = Json.write(config.settings());
            settings.add(json);
            created.add(newRow(config, json, makeDefault, now, change));
        }
        Transactions.execute(connection, "SAVEPOINT configstore_batch");
        try (PreparedStatement insert = connection.prepareStatement(INSERT_NEW)) {
            context.dialect().prepareForBatch(insert);
            for (int i = 0; i < created.size(); i++) {
                bindNewRow(insert, created.get(i), settings.get(i));
                insert.addBatch();
                if ((i + 1) % JdbcHistory.BATCH_SIZE == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            Transactions.execute(connection, "ROLLBACK TO SAVEPOINT configstore_batch");
            throw takenName(connection, batch, e);
        }
        Transactions.execute(connection, "RELEASE SAVEPOINT configstore_batch");
        context.historyOfCreated(connection, created, change);
        for (ProviderConfig row : created) {
            context.changed(EntityKind.PROVIDER_CONFIG, tenantId, row.id(), 1);
        }
        return created;
    }

    /**
     * A new provider at version 1, built from what is about to be written rather than read back afterwards (one
     * statement less per create); its settings are parsed from the written text, so they are what a later read returns.
     */
    private ProviderConfig newRow(NewProviderConfig config, String settingsJson, boolean makeDefault, Instant now,
                                  ChangeContext change) {
        return new ProviderConfig(UUID.randomUUID().toString(), tenantId, config.providerType(), config.name(),
                Json.readStored(ENTITY + " '" + config.name() + "'", settingsJson), makeDefault, config.enabled(),
                config.priority(), 1, now, now, change.changedBy(), change.reason());
    }

    /** Binds {@code row} to {@link #INSERT_NEW}. */
    private void bindNewRow(PreparedStatement insert, ProviderConfig row, String settingsJson) throws SQLException {
        insert.setString(1, row.id());
        insert.setString(2, tenantId);
        insert.setString(3, row.providerType());
        insert.setString(4, row.name());
        context.dialect().setJson(insert, 5, settingsJson);
        insert.setBoolean(6, row.isDefault());
        insert.setBoolean(7, row.enabled());
        insert.setInt(8, row.priority());
        context.dialect().setInstant(insert, 9, row.createdAt());
        context.dialect().setInstant(insert, 10, row.updatedAt());
        insert.setString(11, row.changedBy());
        insert.setString(12, row.changeReason());
    }

    /** Drivers report a failed batch as a BatchUpdateException whose cause or next exception says why. */
    private boolean isUniqueViolation(SQLException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (context.dialect().classify(next) == SqlErrorKind.UNIQUE_VIOLATION) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The first name of the batch that is taken; the constraint's own error when none is (another writer's race). */
    private RuntimeException takenName(Connection connection, List<NewProviderConfig> batch, SQLException violation)
            throws SQLException {
        for (NewProviderConfig config : batch) {
            if (findByName(connection, config.providerType(), config.name()).isPresent()) {
                return new DuplicateException("provider type '" + config.providerType() + "' already has a provider"
                        + " named '" + config.name() + "' in tenant '" + tenantId + "', so none of the "
                        + batch.size() + " providers was created; drop or rename that one and run it again");
            }
        }
        throw violation;
    }

    @Override
    public Optional<ProviderConfig> get(String id) {
        Arguments.requireId("id", id);
        return context.transactions().read("reading " + ENTITY + " '" + id + "'", connection -> find(connection, id));
    }

    @Override
    public List<ProviderConfig> list() {
        return context.transactions().read("listing provider configs", connection ->
                query(connection, "SELECT " + COLUMNS + " FROM provider_configs WHERE tenant_id = ?"));
    }

    @Override
    public List<ProviderConfig> listByType(String providerType) {
        Arguments.requireProviderType(providerType);
        return context.transactions().read("listing provider configs of type '" + providerType + "'",
                connection -> ofType(connection, providerType));
    }

    @Override
    public List<ProviderConfig> listByName(String name) {
        Arguments.requireName("name", name);
        return context.transactions().read("listing provider configs named '" + name + "'", connection ->
                query(connection, "SELECT " + COLUMNS + " FROM provider_configs WHERE tenant_id = ? AND name = ?",
                        name));
    }

    @Override
    public ProviderConfig update(ProviderConfig edited, ChangeContext change) {
        Arguments.requireNonNull("edited", edited);
        Arguments.requireNonNull("change", change);
        if (!edited.tenantId().equals(tenantId)) {
            throw new ValidationException(ENTITY + " '" + edited.id() + "' belongs to tenant '" + edited.tenantId()
                    + "', not to tenant '" + tenantId + "'; update it through that tenant's store");
        }
        String settings = Json.write(edited.settings());
        return context.transactions().write("updating " + ENTITY + " '" + edited.id() + "'", connection ->
                JdbcHistory.idempotent(context, connection, change, Requests.updateProvider(tenantId, edited),
                        IdempotentWrites.PROVIDER, () -> {
            ProviderConfig stored = require(connection, edited.id());
            if (!stored.providerType().equals(edited.providerType())) {
                throw new ValidationException("the provider type of " + ENTITY + " '" + edited.id() + "' is '"
                        + stored.providerType() + "' and cannot be changed to '" + edited.providerType()
                        + "'; create a new provider of the other type instead");
            }
            if (stored.version() != edited.version()) {
                throw new VersionConflictException(ENTITY, edited.id(), edited.version(), stored.version());
            }
            if (stored.isDefault() != edited.isDefault()) {
                throw new ValidationException("update cannot change whether " + ENTITY + " '" + edited.id()
                        + "' is the default; use setDefault on the provider that should become the default");
            }
            if (!stored.name().equals(edited.name())) {
                Optional<ProviderConfig> sameName = findByName(connection, stored.providerType(), edited.name());
                if (sameName.isPresent()) {
                    throw new DuplicateException("provider type '" + stored.providerType() + "' already has a"
                            + " provider named '" + edited.name() + "' in tenant '" + tenantId + "'; choose another"
                            + " name");
                }
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE provider_configs SET name = ?,"
                    + " settings = ?, enabled = ?, priority = ?, version = version + 1, updated_at = ?,"
                    + " changed_by = ?, change_reason = ? WHERE tenant_id = ? AND id = ? AND version = ?")) {
                update.setString(1, edited.name());
                context.dialect().setJson(update, 2, settings);
                update.setBoolean(3, edited.enabled());
                update.setInt(4, edited.priority());
                context.dialect().setInstant(update, 5, context.now());
                update.setString(6, change.changedBy());
                update.setString(7, change.reason());
                update.setString(8, tenantId);
                update.setString(9, edited.id());
                update.setLong(10, edited.version());
                if (update.executeUpdate() != 1) {
                    throw new VersionConflictException(ENTITY, edited.id(), edited.version(), -1);
                }
            }
            context.changed(EntityKind.PROVIDER_CONFIG, tenantId, edited.id(), edited.version() + 1);
            ProviderConfig updated = require(connection, edited.id());
            context.history(connection, updated, changeType(stored, updated), change);
            return updated;
        }));
    }

    /** ENABLE or DISABLE when only the enabled flag changed, else UPDATE. */
    private static ChangeType changeType(ProviderConfig before, ProviderConfig after) {
        boolean onlyEnabled = before.enabled() != after.enabled() && before.name().equals(after.name())
                && before.settings().equals(after.settings()) && before.priority() == after.priority();
        if (onlyEnabled) {
            return after.enabled() ? ChangeType.ENABLE : ChangeType.DISABLE;
        }
        return ChangeType.UPDATE;
    }

    @Override
    public void delete(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        context.transactions().write("deleting " + ENTITY + " '" + id + "'", connection -> JdbcHistory.idempotent(
                context, connection, change, Requests.deleteProvider(tenantId, id), IdempotentWrites.NONE, () -> {
            ProviderConfig stored = require(connection, id);
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM provider_configs WHERE tenant_id = ? AND id = ?")) {
                delete.setString(1, tenantId);
                delete.setString(2, id);
                delete.executeUpdate();
            }
            context.deleted(EntityKind.PROVIDER_CONFIG, tenantId, id, stored.version());
            context.history(connection, stored, ChangeType.DELETE, change);
            if (stored.isDefault()) {
                Optional<ProviderConfig> successor =
                        ProviderSelection.successor(ofType(connection, stored.providerType()));
                if (successor.isPresent()) {
                    setDefaultFlag(connection, successor.get(), true, context.now(), change);
                }
            }
            return null;
        }));
    }

    @Override
    public ProviderConfig setDefault(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        return context.transactions().write("making " + ENTITY + " '" + id + "' the default", connection ->
                JdbcHistory.idempotent(context, connection, change, Requests.setDefaultProvider(tenantId, id),
                        IdempotentWrites.PROVIDER, () -> {
            ProviderConfig target = require(connection, id);
            if (target.isDefault()) {
                return target;
            }
            Instant now = context.now();
            Optional<ProviderConfig> previous = findDefault(connection, target.providerType());
            if (previous.isPresent()) {
                setDefaultFlag(connection, previous.get(), false, now, change);
            }
            setDefaultFlag(connection, target, true, now, change);
            return require(connection, id);
        }));
    }

    @Override
    public Optional<ProviderConfig> getDefault(String providerType) {
        Arguments.requireProviderType(providerType);
        return context.transactions().read("reading the default provider config of type '" + providerType + "'",
                connection -> findDefault(connection, providerType));
    }

    @Override
    public Optional<ProviderConfig> resolve(String providerType) {
        Arguments.requireProviderType(providerType);
        return context.transactions().read("resolving the provider config of type '" + providerType + "'",
                connection -> ProviderSelection.resolve(ofType(connection, providerType)));
    }

    private void setDefaultFlag(Connection connection, ProviderConfig row, boolean isDefault, Instant now,
                                ChangeContext change) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE provider_configs SET is_default = ?,"
                + " version = version + 1, updated_at = ?, changed_by = ?, change_reason = ?"
                + " WHERE tenant_id = ? AND id = ?")) {
            update.setBoolean(1, isDefault);
            context.dialect().setInstant(update, 2, now);
            update.setString(3, change.changedBy());
            update.setString(4, change.reason());
            update.setString(5, tenantId);
            update.setString(6, row.id());
            update.executeUpdate();
        }
        context.changed(EntityKind.PROVIDER_CONFIG, tenantId, row.id(), row.version() + 1);
        context.history(connection, require(connection, row.id()), ChangeType.DEFAULT_CHANGE, change);
    }

    /**
     * Puts the provider back as {@code snapshot} holds it, in the running transaction of a rollback: its name,
     * settings, enabled flag and priority over the current row, or the whole row again when it was deleted.
     */
    void restore(Connection connection, ProviderConfig snapshot, ChangeContext change) throws SQLException {
        Optional<ProviderConfig> current = find(connection, snapshot.id());
        Optional<ProviderConfig> sameName = findByName(connection, snapshot.providerType(), snapshot.name());
        if (sameName.isPresent() && !sameName.get().id().equals(snapshot.id())) {
            throw new DuplicateException("provider type '" + snapshot.providerType() + "' now has another provider"
                    + " named '" + snapshot.name() + "' in tenant '" + tenantId + "'; rename or delete it, then roll"
                    + " back again");
        }
        Instant now = context.now();
        long version = current.map(p -> p.version() + 1).orElseGet(() -> 0L);
        if (current.isEmpty()) {
            version = JdbcHistory.lastVersion(connection, tenantId, EntityKind.PROVIDER_CONFIG, snapshot.id()) + 1;
        }
        ProviderConfig restored = EntitySnapshots.restoredProvider(snapshot, current.orElse(null),
                findDefault(connection, snapshot.providerType()).isEmpty(), version, now, change);
        if (current.isPresent()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE provider_configs SET name = ?,"
                    + " settings = ?, enabled = ?, priority = ?, version = ?, updated_at = ?, changed_by = ?,"
                    + " change_reason = ? WHERE tenant_id = ? AND id = ?")) {
                update.setString(1, restored.name());
                context.dialect().setJson(update, 2, Json.write(restored.settings()));
                update.setBoolean(3, restored.enabled());
                update.setInt(4, restored.priority());
                update.setLong(5, restored.version());
                context.dialect().setInstant(update, 6, now);
                update.setString(7, change.changedBy());
                update.setString(8, change.reason());
                update.setString(9, tenantId);
                update.setString(10, restored.id());
                update.executeUpdate();
            }
        } else {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO provider_configs (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, restored.id());
                insert.setString(2, tenantId);
                insert.setString(3, restored.providerType());
                insert.setString(4, restored.name());
                context.dialect().setJson(insert, 5, Json.write(restored.settings()));
                insert.setBoolean(6, restored.isDefault());
                insert.setBoolean(7, restored.enabled());
                insert.setInt(8, restored.priority());
                insert.setLong(9, restored.version());
                context.dialect().setInstant(insert, 10, restored.createdAt());
                context.dialect().setInstant(insert, 11, now);
                insert.setString(12, change.changedBy());
                insert.setString(13, change.reason());
                insert.executeUpdate();
            }
        }
        context.changed(EntityKind.PROVIDER_CONFIG, tenantId, restored.id(), restored.version());
        context.history(connection, require(connection, restored.id()), ChangeType.ROLLBACK, change);
    }

    private ProviderConfig require(Connection connection, String id) throws SQLException {
        return find(connection, id).orElseThrow(() -> new NotFoundException(ENTITY, tenantId, id));
    }

    private Optional<ProviderConfig> find(Connection connection, String id) throws SQLException {
        return first(query(connection, "SELECT " + COLUMNS + " FROM provider_configs WHERE tenant_id = ? AND id = ?",
                id));
    }

    private Optional<ProviderConfig> findByName(Connection connection, String providerType, String name)
            throws SQLException {
        return first(query(connection, "SELECT " + COLUMNS + " FROM provider_configs"
                + " WHERE tenant_id = ? AND provider_type = ? AND name = ?", providerType, name));
    }

    /** The default of a type: one row through the partial unique index, however many providers the type has. */
    private Optional<ProviderConfig> findDefault(Connection connection, String providerType) throws SQLException {
        return first(query(connection, "SELECT " + COLUMNS + " FROM provider_configs"
                + " WHERE tenant_id = ? AND provider_type = ? AND is_default = " + context.dialect().trueLiteral(),
                providerType));
    }

    private List<ProviderConfig> ofType(Connection connection, String providerType) throws SQLException {
        return query(connection, "SELECT " + COLUMNS + " FROM provider_configs WHERE tenant_id = ? AND provider_type = ?",
                providerType);
    }

    private static Optional<ProviderConfig> first(List<ProviderConfig> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Runs a query whose first parameter is the tenant id, and returns the rows in listing order. */
    private List<ProviderConfig> query(Connection connection, String sql, String... parameters) throws SQLException {
        List<ProviderConfig> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, tenantId);
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 2, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(map(row));
                }
            }
        }
        // Sorted here, not by ORDER BY, so that every database orders names the same way (Java's string order).
        rows.sort(ProviderSelection.LISTING);
        return rows;
    }

    private ProviderConfig map(ResultSet row) throws SQLException {
        String name = row.getString("name");
        try {
            return new ProviderConfig(row.getString("id"), row.getString("tenant_id"),
                    row.getString("provider_type"), name,
                    Json.readStored(ENTITY + " '" + name + "'", context.dialect().getJson(row, "settings")),
                    row.getBoolean("is_default"), row.getBoolean("enabled"), row.getInt("priority"),
                    row.getLong("version"), context.dialect().getInstant(row, "created_at"),
                    context.dialect().getInstant(row, "updated_at"), row.getString("changed_by"),
                    row.getString("change_reason"));
        } catch (ValidationException e) {
            throw StoredRows.rejected("the stored " + ENTITY + " row with id '" + row.getString("id") + "'", e);
        }
    }

    @Override
    public String toString() {
        return "ProviderConfigStore[" + tenantId + "]";
    }
}
