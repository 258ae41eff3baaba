package io.configstore.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.internal.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Versioned;
import io.configstore.store.ConfigStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The service's configuration documents: reads from the snapshot, writes through to the store and then drop the
 * snapshot before returning. See {@link ConfigurationService} for the guarantees.
 */
final class CachedConfigStore implements ConfigStore {
    private final ConfigurationService service;
    private final Supplier<ConfigStore> store;
    private final CachedSection<DocumentSnapshot> section;
    /** Every write method goes through it: the one write path of the service. */
    private final WriteThrough writes;
    /** False for the view the service hands to effective-configuration loaders, so a read counts once. */
    private final boolean counted;

    CachedConfigStore(ConfigurationService service, Supplier<ConfigStore> store, CachedSection<DocumentSnapshot> section,
                      boolean counted) {
        this.service = service;
        this.store = store;
        this.section = section;
        this.writes = new WriteThrough(service, section);
        this.counted = counted;
    }

    @Override
    public String tenantId() {
        return service.tenantId();
    }

    private DocumentSnapshot snapshot() {
        return counted ? section.read() : section.readUncounted();
    }

    /** From the snapshot: the stored record itself (its {@code content()} hands out a copy). */
    @Override
    public Optional<ConfigDocument> load(String name) {
        service.checkOpen();
        Arguments.requireNonNull("name", name);
        Optional<ConfigDocument> found = snapshot().byName(name);
        if (found != null) {
            return found;
        }
        Arguments.requireName("name", name);
        return Optional.empty();
    }

    /** From the snapshot, bound to {@code type} on each call (a new value each time: hosts may change it). */
    @Override
    public <T> Optional<Versioned<T>> load(String name, Class<T> type) {
        Arguments.requireNonNull("type", type);
        return load(name).map(d -> new Versioned<>(d.bind(type), d.revision(), d.formatVersion()));
    }

    /** From the snapshot: an immutable, sorted list. */
    @Override
    public List<String> names() {
        service.checkOpen();
        return snapshot().names();
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ConfigDocument save(String name, ObjectNode content, int formatVersion, long expectedRevision,
                               ChangeContext change) {
        return writes.call(() -> store.get().save(name, content, formatVersion, expectedRevision, change));
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public ConfigDocument saveValue(String name, Object value, long expectedRevision, ChangeContext change) {
        return writes.call(() -> store.get().saveValue(name, value, expectedRevision, change));
    }

    /**
     * Runs the store's own read-modify-write (reading the store, not the snapshot, so compare-and-set sees the
     * latest revision); the snapshot is dropped before this returns.
     */
    @Override
    public ConfigDocument update(String name, UnaryOperator<ObjectNode> fn, ChangeContext change) {
        return writes.call(() -> store.get().update(name, fn, change));
    }

    /** Like {@link #update(String, UnaryOperator, ChangeContext)}, through a host type. */
    @Override
    public <T> Versioned<T> update(String name, Class<T> type, UnaryOperator<T> fn, ChangeContext change) {
        return writes.call(() -> store.get().update(name, type, fn, change));
    }

    /** Writes through to the store; the snapshot is dropped before this returns, also when it fails. */
    @Override
    public void delete(String name, long expectedRevision, ChangeContext change) {
        writes.run(() -> store.get().delete(name, expectedRevision, change));
    }

    @Override
    public String toString() {
        return "CachedConfigStore[tenant " + tenantId() + "]";
    }
}
