package io.configstore.engine;

import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.history.ChangeType;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.ProviderSelection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ProviderConfigStore} of one tenant, every rule written once over {@link StoreRows}.
 *
 * <p>A type with providers has exactly one default: the first provider of a type becomes it, and deleting it makes
 * {@link ProviderSelection#successor} the default. Moving the default clears the old flag before setting the new one
 * (a database's unique index allows one default per type at any moment), so the old default's
 * {@link ChangeType#DEFAULT_CHANGE} entry and event come first; deleting a default records its deletion first, then
 * its heir's DEFAULT_CHANGE.
 */
final class EngineProviderConfigStore implements ProviderConfigStore {
    private static final String ENTITY = "provider config";

    private final Engine engine;
    private final String tenantId;

    EngineProviderConfigStore(Engine engine, String tenantId) {
        this.engine = engine;
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
        return engine.write("creating " + ENTITY + " '" + config.name() + "' (" + config.providerType() + ")", change,
                Requests.createProvider(tenantId, config), IdempotentWrites.PROVIDER, rows -> {
            if (rows.providerNamed(tenantId, config.providerType(), config.name()).isPresent()) {
                throw duplicate(config.providerType(), config.name(), "; update that one or choose another name");
            }
            return createOne(rows, new HistoryWriter(rows, change, engine.now()), config, change);
        });
    }

    /** Creates one provider whose name is free, moving the default to it when it asks or is its type's first. */
    private ProviderConfig createOne(StoreRows rows, HistoryWriter history, NewProviderConfig config,
                                     ChangeContext change) {
        Instant now = history.now();
        Optional<ProviderConfig> currentDefault = rows.defaultProvider(tenantId, config.providerType());
        boolean makeDefault = config.makeDefault() || currentDefault.isEmpty();
        if (makeDefault && currentDefault.isPresent()) {
            replace(rows, history, withDefault(currentDefault.get(), false, now, change), currentDefault.get(),
                    ChangeType.DEFAULT_CHANGE);
        }
        ProviderConfig created = newRow(config, makeDefault, now, change);
        if (!rows.insertProviders(List.of(created))) {
            throw duplicate(config.providerType(), config.name(), "; another writer created it just now: update"
                    + " that one or choose another name");
        }
        history.createdProviders(List.of(created));
        return created;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: all in one write. A list in which none asks to become the default is inserted with one
     * {@link StoreRows#insertProviders} call (which a database batches) and its history with one append; a list that
     * moves a default is created row by row, as {@link #create} does.
     */
    @Override
    public List<ProviderConfig> createAll(List<NewProviderConfig> configs, ChangeContext change) {
        List<NewProviderConfig> batch = ProviderConfigStore.requireValidBatch(configs, change);
        if (batch.isEmpty()) {
            return List.of();
        }
        return engine.storage().write("creating " + batch.size() + " provider configs", rows -> {
            HistoryWriter history = new HistoryWriter(rows, change, engine.now());
            if (batch.stream().anyMatch(NewProviderConfig::makeDefault)) {
                List<ProviderConfig> created = new ArrayList<>(batch.size());
                for (NewProviderConfig config : batch) {
                    if (rows.providerNamed(tenantId, config.providerType(), config.name()).isPresent()) {
                        throw batchDuplicate(config, batch.size());
                    }
                    created.add(createOne(rows, history, config, change));
                }
                return created;
            }
            return insertAll(rows, history, batch, change);
        });
    }

    private List<ProviderConfig> insertAll(StoreRows rows, HistoryWriter history, List<NewProviderConfig> batch,
                                           ChangeContext change) {
        Instant now = history.now();
        Map<String, Boolean> hasDefault = new HashMap<>();
        List<ProviderConfig> created = new ArrayList<>(batch.size());
        for (NewProviderConfig config : batch) {
            String type = config.providerType();
            // The first of a type without a default becomes it; one lookup per type.
            Boolean typeHasDefault = hasDefault.put(type, true);
            boolean makeDefault = typeHasDefault == null
                    ? rows.defaultProvider(tenantId, type).isEmpty()
                    : !typeHasDefault;
            created.add(newRow(config, makeDefault, now, change));
        }
        if (!rows.insertProviders(created)) {
            for (NewProviderConfig config : batch) {
                if (rows.providerNamed(tenantId, config.providerType(), config.name()).isPresent()) {
                    throw batchDuplicate(config, batch.size());
                }
            }
            throw new DuplicateException("a name of the " + batch.size() + " providers was taken by another writer"
                    + " while they were created, so none was created; list the providers and run it again");
        }
        history.createdProviders(created);
        return created;
    }

    /** A new provider at version 1 under a fresh id, its settings in the form every backend reads back. */
    private ProviderConfig newRow(NewProviderConfig config, boolean makeDefault, Instant now, ChangeContext change) {
        return new ProviderConfig(UUID.randomUUID().toString(), tenantId, config.providerType(), config.name(),
                Json.asStored("the settings of " + ENTITY + " '" + config.name() + "'", config.settings()),
                makeDefault, config.enabled(), config.priority(), 1, now, now, change.changedBy(), change.reason());
    }

    @Override
    public Optional<ProviderConfig> get(String id) {
        Arguments.requireId("id", id);
        return engine.storage().read("reading " + ENTITY + " '" + id + "'", rows -> rows.provider(tenantId, id));
    }

    @Override
    public List<ProviderConfig> list() {
        return engine.storage().read("listing provider configs", rows -> sorted(rows.providers(tenantId, null)));
    }

    @Override
    public List<ProviderConfig> listByType(String providerType) {
        Arguments.requireProviderType(providerType);
        return engine.storage().read("listing provider configs of type '" + providerType + "'",
                rows -> sorted(rows.providers(tenantId, providerType)));
    }

    @Override
    public List<ProviderConfig> listByName(String name) {
        Arguments.requireName("name", name);
        return engine.storage().read("listing provider configs named '" + name + "'",
                rows -> sorted(rows.providersNamed(tenantId, name)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Checked in this order: the tenant of {@code edited} ({@link ValidationException}), that it exists
     * ({@link NotFoundException}), its provider type ({@link ValidationException}), its version
     * ({@link VersionConflictException}), its default flag ({@link ValidationException}), its new name
     * ({@link DuplicateException}). The version comes before the default flag: a stale copy whose flag differs was
     * read before someone else moved the default, which is a conflict, not a mistake of the caller.
     */
    @Override
    public ProviderConfig update(ProviderConfig edited, ChangeContext change) {
        Arguments.requireNonNull("edited", edited);
        Arguments.requireNonNull("change", change);
        if (!edited.tenantId().equals(tenantId)) {
            throw new ValidationException(ENTITY + " '" + edited.id() + "' belongs to tenant '" + edited.tenantId()
                    + "', not to tenant '" + tenantId + "'; update it through that tenant's stores");
        }
        return engine.write("updating " + ENTITY + " '" + edited.id() + "'", change,
                Requests.updateProvider(tenantId, edited), IdempotentWrites.PROVIDER, rows -> {
            ProviderConfig stored = require(rows, edited.id());
            if (!stored.providerType().equals(edited.providerType())) {
                throw new ValidationException("the provider type of " + ENTITY + " '" + edited.id() + "' is '"
                        + stored.providerType() + "' and cannot be changed; create a provider of the other type and"
                        + " delete this one");
            }
            if (stored.version() != edited.version()) {
                throw new VersionConflictException(ENTITY, edited.id(), edited.version(), stored.version());
            }
            if (stored.isDefault() != edited.isDefault()) {
                throw new ValidationException("update cannot change whether " + ENTITY + " '" + edited.id()
                        + "' is the default; use setDefault on the provider that should become the default");
            }
            if (!stored.name().equals(edited.name())
                    && rows.providerNamed(tenantId, stored.providerType(), edited.name()).isPresent()) {
                throw duplicate(stored.providerType(), edited.name(), "; choose another name");
            }
            HistoryWriter history = new HistoryWriter(rows, change, engine.now());
            ProviderConfig updated = new ProviderConfig(stored.id(), tenantId, stored.providerType(), edited.name(),
                    Json.asStored("the settings of " + ENTITY + " '" + edited.id() + "'", edited.settings()),
                    stored.isDefault(), edited.enabled(), edited.priority(), stored.version() + 1,
                    stored.createdAt(), history.now(), change.changedBy(), change.reason());
            replace(rows, history, updated, stored, changeType(stored, updated));
            return updated;
        });
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

    /** {@inheritDoc} Deleting the default records the deletion first, then the heir's DEFAULT_CHANGE. */
    @Override
    public void delete(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        engine.write("deleting " + ENTITY + " '" + id + "'", change, Requests.deleteProvider(tenantId, id),
                IdempotentWrites.NONE, rows -> {
            ProviderConfig stored = require(rows, id);
            HistoryWriter history = new HistoryWriter(rows, change, engine.now());
            rows.deleteProvider(tenantId, id);
            history.provider(stored, ChangeType.DELETE);
            if (stored.isDefault()) {
                ProviderSelection.successor(rows.providers(tenantId, stored.providerType())).ifPresent(heir ->
                        replace(rows, history, withDefault(heir, true, history.now(), change), heir,
                                ChangeType.DEFAULT_CHANGE));
            }
            return null;
        });
    }

    /** {@inheritDoc} The old default's DEFAULT_CHANGE is recorded first, then the new one's. */
    @Override
    public ProviderConfig setDefault(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        return engine.write("making " + ENTITY + " '" + id + "' the default", change,
                Requests.setDefaultProvider(tenantId, id), IdempotentWrites.PROVIDER, rows -> {
            ProviderConfig chosen = require(rows, id);
            if (chosen.isDefault()) {
                return chosen;
            }
            HistoryWriter history = new HistoryWriter(rows, change, engine.now());
            Instant now = history.now();
            rows.defaultProvider(tenantId, chosen.providerType()).ifPresent(old ->
                    replace(rows, history, withDefault(old, false, now, change), old, ChangeType.DEFAULT_CHANGE));
            ProviderConfig made = withDefault(chosen, true, now, change);
            replace(rows, history, made, chosen, ChangeType.DEFAULT_CHANGE);
            return made;
        });
    }

    @Override
    public Optional<ProviderConfig> getDefault(String providerType) {
        Arguments.requireProviderType(providerType);
        return engine.storage().read("reading the default provider config of type '" + providerType + "'",
                rows -> rows.defaultProvider(tenantId, providerType));
    }

    @Override
    public Optional<ProviderConfig> resolve(String providerType) {
        Arguments.requireProviderType(providerType);
        return engine.storage().read("resolving the provider config of type '" + providerType + "'",
                rows -> ProviderSelection.resolve(rows.providers(tenantId, providerType)));
    }

    /** {@code row} with its default flag set to {@code isDefault}, as the next version. */
    private static ProviderConfig withDefault(ProviderConfig row, boolean isDefault, Instant now,
                                              ChangeContext change) {
        return new ProviderConfig(row.id(), row.tenantId(), row.providerType(), row.name(), row.settings(), isDefault,
                row.enabled(), row.priority(), row.version() + 1, row.createdAt(), now, change.changedBy(),
                change.reason());
    }

    /** Replaces {@code stored} by {@code next} and records it; another writer's change since the read conflicts. */
    private static void replace(StoreRows rows, HistoryWriter history, ProviderConfig next, ProviderConfig stored,
                        ChangeType type) {
        if (!rows.replaceProvider(next, stored.version())) {
            throw new VersionConflictException(ENTITY + " '" + stored.id() + "' was changed by another writer"
                    + " while this write ran (or its new name was taken); nothing was written: read it again and"
                    + " retry");
        }
        history.provider(next, type);
    }

    private ProviderConfig require(StoreRows rows, String id) {
        return rows.provider(tenantId, id).orElseThrow(() -> new NotFoundException(ENTITY, tenantId, id));
    }

    private static List<ProviderConfig> sorted(List<ProviderConfig> rows) {
        return rows.stream().sorted(ProviderSelection.LISTING).toList();
    }

    private DuplicateException duplicate(String providerType, String name, String advice) {
        return new DuplicateException("provider type '" + providerType + "' already has a provider named '" + name
                + "' in tenant '" + tenantId + "'" + advice);
    }

    private DuplicateException batchDuplicate(NewProviderConfig config, int size) {
        return duplicate(config.providerType(), config.name(), ", so none of the " + size + " providers was"
                + " created; drop or rename that one and run it again");
    }

    @Override
    public String toString() {
        return "ProviderConfigStore[" + tenantId + "]";
    }
}
