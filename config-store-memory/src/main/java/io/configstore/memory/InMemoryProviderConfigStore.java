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
            List<ProviderConfig> ofType = select(tables, p -> p.providerType().equals(config.providerType()),
                    ProviderSelection.PREFERENCE);
            if (ofType.stream().anyMatch(p -> p.name().equals(config.name()))) {
                throw duplicate(config.providerType(), config.name());
            }
            Instant now = set.now();
            // The first provider of a type always becomes its default: a type with providers has exactly one.
            boolean makeDefault = config.makeDefault() || ofType.isEmpty();
            if (makeDefault) {
                ofType.stream().filter(ProviderConfig::isDefault).findFirst()
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
        return select(set.read(), p -> p.providerType().equals(providerType), ProviderSelection.PREFERENCE);
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
            if (!stored.name().equals(edited.name()) && find(tables, p -> p.providerType()
                    .equals(stored.providerType()) && p.name().equals(edited.name())).isPresent()) {
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
                List<ProviderConfig> left = select(tables, p -> p.providerType().equals(stored.providerType()),
                        ProviderSelection.PREFERENCE);
                ProviderSelection.successor(left).ifPresent(next -> put(tables, changed(next, next.name(),
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
            find(tables, p -> p.providerType().equals(chosen.providerType()) && p.isDefault())
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
        return find(set.read(), p -> p.providerType().equals(providerType) && p.isDefault());
    }

    @Override
    public Optional<ProviderConfig> resolve(String providerType) {
        Arguments.requireProviderType(providerType);
        return ProviderSelection.resolve(select(set.read(), p -> p.providerType().equals(providerType),
                ProviderSelection.PREFERENCE));
    }

    private Optional<ProviderConfig> find(Tables tables, String id) {
        return Optional.ofNullable(tables.providers.get(id)).filter(p -> p.tenantId().equals(tenantId));
    }

    private Optional<ProviderConfig> find(Tables tables, Predicate<ProviderConfig> filter) {
        return tables.providers.values().stream().filter(p -> p.tenantId().equals(tenantId)).filter(filter)
                .findFirst();
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
