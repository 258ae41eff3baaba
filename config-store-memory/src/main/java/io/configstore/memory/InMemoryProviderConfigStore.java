package io.configstore.memory;

import io.configstore.idempotency.IdempotentWrites;
import io.configstore.idempotency.Requests;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.DuplicateException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.ProviderSelection;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/** {@link ProviderConfigStore} of one tenant over an {@link InMemoryStoreSet}. */
final class InMemoryProviderConfigStore implements ProviderConfigStore {
    private static final String ENTITY = "provider config";

    private final InMemoryStoreSet set;
    private final String tenantId;

    InMemoryProviderConfigStore(InMemoryStoreSet set, String tenantId) {
        this.set = set;
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
        return set.write(change, Requests.createProvider(tenantId, config), IdempotentWrites.PROVIDER, tables -> {
            ProviderIndex index = tables.providerIndex();
            if (index.idOfName(tenantId, config.providerType(), config.name()) != null) {
                throw duplicate(config.providerType(), config.name());
            }
            Instant now = set.now();
            // The first provider of a type always becomes its default: a type with providers has exactly one.
            boolean makeDefault = config.makeDefault() || index.idsOfType(tenantId, config.providerType()).isEmpty();
            if (makeDefault) {
                defaultOf(tables, config.providerType())
                        .ifPresent(old -> put(tables, changed(old, old.name(), old.settings(), false, old.enabled(),
                                old.priority(), now, change)));
            }
            ProviderConfig created = new ProviderConfig(UUID.randomUUID().toString(), tenantId,
                    config.providerType(), config.name(), config.settings(), makeDefault, config.enabled(),
                    config.priority(), 1, now, now, change.changedBy(), change.reason());
            put(tables, created);
            return created;
        });
    }

    /** {@inheritDoc} Here: {@link #create} for each, in one unit of work, so that a clash undoes them all. */
    @Override
    public List<ProviderConfig> createAll(List<NewProviderConfig> configs, ChangeContext change) {
        List<NewProviderConfig> batch = ProviderConfigStore.requireValidBatch(configs, change);
        if (batch.isEmpty()) {
            return List.of();
        }
        return set.inUnitOfWork(tenant -> {
            List<ProviderConfig> created = new ArrayList<>(batch.size());
            for (NewProviderConfig config : batch) {
                created.add(create(config, change));
            }
            return created;
        });
    }

    @Override
    public Optional<ProviderConfig> get(String id) {
        Arguments.requireId("id", id);
        return find(set.read(), id);
    }

    @Override
    public List<ProviderConfig> list() {
        return select(set.read(), p -> true, ProviderSelection.LISTING);
    }

    @Override
    public List<ProviderConfig> listByType(String providerType) {
        Arguments.requireProviderType(providerType);
        return ofType(set.read(), providerType);
    }

    @Override
    public List<ProviderConfig> listByName(String name) {
        Arguments.requireName("name", name);
        return select(set.read(), p -> p.name().equals(name), ProviderSelection.LISTING);
    }

    @Override
    public ProviderConfig update(ProviderConfig edited, ChangeContext change) {
        Arguments.requireNonNull("edited", edited);
        Arguments.requireNonNull("change", change);
        if (!edited.tenantId().equals(tenantId)) {
            throw new ValidationException(ENTITY + " '" + edited.id() + "' belongs to tenant '" + edited.tenantId()
                    + "', not '" + tenantId + "'; update it through that tenant's stores");
        }
        return set.write(change, Requests.updateProvider(tenantId, edited), IdempotentWrites.PROVIDER, tables -> {
            ProviderConfig stored = find(tables, edited.id())
                    .orElseThrow(() -> new NotFoundException(ENTITY, tenantId, edited.id()));
            if (!stored.providerType().equals(edited.providerType())) {
                throw new ValidationException(ENTITY + " '" + edited.id() + "' is of type '" + stored.providerType()
                        + "'; the type cannot be changed: create a provider of the new type and delete this one");
            }
            if (stored.isDefault() != edited.isDefault()) {
                throw new ValidationException(ENTITY + " '" + edited.id() + "': update cannot change the default"
                        + " flag; use setDefault on the provider that should become the default");
            }
            if (stored.version() != edited.version()) {
                throw new VersionConflictException(ENTITY, edited.id(), edited.version(), stored.version());
            }
            if (!stored.name().equals(edited.name())
                    && tables.providerIndex().idOfName(tenantId, stored.providerType(), edited.name()) != null) {
                throw duplicate(stored.providerType(), edited.name());
            }
            ProviderConfig updated = changed(stored, edited.name(), edited.settings(), stored.isDefault(),
                    edited.enabled(), edited.priority(), set.now(), change);
            put(tables, updated);
            return updated;
        });
    }

    @Override
    public void delete(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        set.write(change, Requests.deleteProvider(tenantId, id), IdempotentWrites.NONE, tables -> {
            ProviderConfig stored = find(tables, id).orElseThrow(() -> new NotFoundException(ENTITY, tenantId, id));
            tables.providers.remove(id);
            if (stored.isDefault()) {
                ProviderSelection.successor(ofType(tables, stored.providerType())).ifPresent(next -> put(tables, changed(next, next.name(),
                        next.settings(), true, next.enabled(), next.priority(), set.now(), change)));
            }
            return null;
        });
    }

    @Override
    public ProviderConfig setDefault(String id, ChangeContext change) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("change", change);
        return set.write(change, Requests.setDefaultProvider(tenantId, id), IdempotentWrites.PROVIDER, tables -> {
            ProviderConfig chosen = find(tables, id).orElseThrow(() -> new NotFoundException(ENTITY, tenantId, id));
            if (chosen.isDefault()) {
                return chosen;
            }
            Instant now = set.now();
            defaultOf(tables, chosen.providerType())
                    .ifPresent(old -> put(tables, changed(old, old.name(), old.settings(), false, old.enabled(),
                            old.priority(), now, change)));
            ProviderConfig made = changed(chosen, chosen.name(), chosen.settings(), true, chosen.enabled(),
                    chosen.priority(), now, change);
            put(tables, made);
            return made;
        });
    }

    @Override
    public Optional<ProviderConfig> getDefault(String providerType) {
        Arguments.requireProviderType(providerType);
        return defaultOf(set.read(), providerType);
    }

    @Override
    public Optional<ProviderConfig> resolve(String providerType) {
        Arguments.requireProviderType(providerType);
        return ProviderSelection.resolve(ofType(set.read(), providerType));
    }

    private Optional<ProviderConfig> find(Tables tables, String id) {
        return Optional.ofNullable(tables.providers.get(id)).filter(p -> p.tenantId().equals(tenantId));
    }

    /** The default provider of {@code providerType} in this tenant, through the index. */
    private Optional<ProviderConfig> defaultOf(Tables tables, String providerType) {
        String id = tables.providerIndex().defaultOf(tenantId, providerType);
        return id == null ? Optional.empty() : Optional.of(tables.providers.get(id));
    }

    /** The providers of {@code providerType} in this tenant in order of preference, through the index. */
    private List<ProviderConfig> ofType(Tables tables, String providerType) {
        return tables.providerIndex().idsOfType(tenantId, providerType).stream().map(tables.providers::get)
                .sorted(ProviderSelection.PREFERENCE).toList();
    }

    private List<ProviderConfig> select(Tables tables, Predicate<ProviderConfig> filter,
                                        Comparator<ProviderConfig> order) {
        return tables.providers.values().stream().filter(p -> p.tenantId().equals(tenantId)).filter(filter)
                .sorted(order).toList();
    }

    private static void put(Tables tables, ProviderConfig row) {
        tables.providers.put(row.id(), row);
    }

    /** The next version of a row: the given fields, version bumped, stamped with this change. */
    private static ProviderConfig changed(ProviderConfig row, String name, ObjectNode settings, boolean isDefault,
                                          boolean enabled, int priority, Instant now, ChangeContext change) {
        return new ProviderConfig(row.id(), row.tenantId(), row.providerType(), name, settings, isDefault, enabled,
                priority, row.version() + 1, row.createdAt(), now, change.changedBy(), change.reason());
    }

    private DuplicateException duplicate(String providerType, String name) {
        return new DuplicateException("provider type '" + providerType + "' already has a provider named '" + name
                + "' in tenant '" + tenantId + "'; choose another name or update the existing one");
    }
}
