package io.configstore.testkit;

import io.configstore.change.EntityKind;
import io.configstore.error.ConfigStoreException;
import io.configstore.error.DuplicateException;
import io.configstore.error.IdempotencyConflictException;
import io.configstore.error.NotFoundException;
import io.configstore.error.ValidationException;
import io.configstore.error.VersionConflictException;
import io.configstore.history.ChangeType;
import io.configstore.model.ChangeContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The reference the {@link ModelBasedContract} compares a backend with: the documented rules of the stores, written
 * plainly over a few maps, with no storage, no concurrency and no cleverness, so that a reader can check each rule
 * against the API's documentation. Entities are named by the kit's handles ({@code p1}, {@code k2}), not by the
 * backend's random ids; settings and document contents are maps of text values.
 *
 * <p>A write either completes or throws a {@link Refusal} naming the exception class the store must throw, and then
 * has changed nothing. {@link #copy()} and {@link #restore} give units of work their all-or-nothing behaviour.
 */
final class ReferenceModel {
    static final Comparator<Provider> PREFERENCE = Comparator.comparingInt(Provider::priority)
            .thenComparing(Provider::name).thenComparing(Provider::id);
    static final Comparator<Provider> LISTING = Comparator.comparing(Provider::type).thenComparing(PREFERENCE);
    static final Comparator<Key> KEY_LISTING = Comparator.comparing(Key::type).thenComparing(Key::name);

    /** The exception a store must throw for a refused call, without a message (messages differ by backend). */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Class<? extends ConfigStoreException> kind;

        Refusal(Class<? extends ConfigStoreException> kind) {
            super(kind.getSimpleName(), null, false, false);
            this.kind = kind;
        }
    }

    /** A provider configuration as the model keeps it; {@link #toString()} is what is compared. */
    record Provider(String id, String tenant, String type, String name, SortedMap<String, String> settings,
                    boolean isDefault, boolean enabled, int priority, long version) {
        Provider with(String newName, SortedMap<String, String> newSettings, boolean newDefault, boolean newEnabled,
                      int newPriority, long newVersion) {
            return new Provider(id, tenant, type, newName, newSettings, newDefault, newEnabled, newPriority,
                    newVersion);
        }

        @Override
        public String toString() {
            return "provider " + id + " " + tenant + "/" + type + "/" + name + " " + settings
                    + (isDefault ? " default" : "") + (enabled ? "" : " disabled") + " priority " + priority
                    + " v" + version;
        }
    }

    /** An API key: its metadata, and its secret, which is never part of {@link #toString()}. */
    record Key(String id, String tenant, String type, String name, boolean active, long version, String secret) {
        @Override
        public String toString() {
            return "key " + id + " " + tenant + "/" + type + "/" + name + (active ? " active" : " inactive")
                    + " v" + version;
        }
    }

    /** A configuration document. */
    record Document(String tenant, String name, SortedMap<String, String> content, int format, long revision) {
        @Override
        public String toString() {
            return "document " + tenant + "/" + name + " " + content + " format " + format + " r" + revision;
        }
    }

    /** A history entry: the entity's state after the write ({@link Provider}, {@link Key} or {@link Document}). */
    record Entry(EntityKind entity, String tenant, String entityId, long version, ChangeType type, Object state) {
        @Override
        public String toString() {
            return "entry " + entity + " " + tenant + "/" + entityId + " v" + version + " " + type + " of " + state;
        }
    }

    private record Recorded(String fingerprint, Object result) {
    }

    private Map<String, Provider> providers = new LinkedHashMap<>();
    private Map<String, Key> keys = new LinkedHashMap<>();
    private Map<String, Document> documents = new LinkedHashMap<>();
    private List<Entry> history = new ArrayList<>();
    private Map<String, Recorded> idempotency = new LinkedHashMap<>();

    /** A copy to restore when a unit of work fails (the records are immutable, so copying the maps is enough). */
    ReferenceModel copy() {
        ReferenceModel copy = new ReferenceModel();
        copy.providers = new LinkedHashMap<>(providers);
        copy.keys = new LinkedHashMap<>(keys);
        copy.documents = new LinkedHashMap<>(documents);
        copy.history = new ArrayList<>(history);
        copy.idempotency = new LinkedHashMap<>(idempotency);
        return copy;
    }

    /** Puts back the state of {@code saved}: what a rolled-back unit of work leaves. */
    void restore(ReferenceModel saved) {
        ReferenceModel copy = saved.copy();
        providers = copy.providers;
        keys = copy.keys;
        documents = copy.documents;
        history = copy.history;
        idempotency = copy.idempotency;
    }

    // ----- reads -----

    Optional<Provider> provider(String tenant, String id) {
        return Optional.ofNullable(providers.get(id)).filter(p -> p.tenant().equals(tenant));
    }

    Optional<Key> key(String tenant, String id) {
        return Optional.ofNullable(keys.get(id)).filter(k -> k.tenant().equals(tenant));
    }

    Optional<Document> document(String tenant, String name) {
        return Optional.ofNullable(documents.get(tenant + "/" + name));
    }

    List<Provider> providers(String tenant) {
        return providers.values().stream().filter(p -> p.tenant().equals(tenant)).sorted(LISTING).toList();
    }

    List<Key> keys(String tenant) {
        return keys.values().stream().filter(k -> k.tenant().equals(tenant)).sorted(KEY_LISTING).toList();
    }

    List<Document> documents(String tenant) {
        return documents.values().stream().filter(d -> d.tenant().equals(tenant))
                .sorted(Comparator.comparing(Document::name)).toList();
    }

    List<Provider> ofType(String tenant, String type) {
        return providers.values().stream().filter(p -> p.tenant().equals(tenant) && p.type().equals(type))
                .sorted(PREFERENCE).toList();
    }

    Optional<Provider> defaultOf(String tenant, String type) {
        return ofType(tenant, type).stream().filter(Provider::isDefault).findFirst();
    }

    /** The default if enabled, else the best enabled one. */
    Optional<Provider> resolve(String tenant, String type) {
        Optional<Provider> theDefault = defaultOf(tenant, type).filter(Provider::enabled);
        return theDefault.isPresent() ? theDefault
                : ofType(tenant, type).stream().filter(Provider::enabled).findFirst();
    }

    /** The entries of one entity, oldest first. */
    List<Entry> history(String tenant, EntityKind entity, String id) {
        return history.stream().filter(e -> e.entity() == entity && e.tenant().equals(tenant)
                && e.entityId().equals(id)).sorted(Comparator.comparingLong(Entry::version)).toList();
    }

    /** The entries of one tenant in the order they were written. */
    List<Entry> history(String tenant) {
        return history.stream().filter(e -> e.tenant().equals(tenant)).toList();
    }

    /** Every entity id (and document name) of a tenant that has history, in first-written order. */
    List<Entry> firstEntries(String tenant) {
        Map<String, Entry> first = new LinkedHashMap<>();
        for (Entry e : history(tenant)) {
            first.putIfAbsent(e.entity() + "/" + e.entityId(), e);
        }
        return List.copyOf(first.values());
    }

    // ----- provider writes -----

    Provider createProvider(String tenant, String type, String name, SortedMap<String, String> settings,
                            boolean makeDefault, boolean enabled, int priority, ChangeContext change, String newId) {
        String fingerprint = fingerprint("provider.create", tenant, type, name, settings, makeDefault, enabled,
                priority);
        return write(change, fingerprint, recorded -> true, () -> {
            if (named(tenant, type, name).isPresent()) {
                throw refuse(DuplicateException.class);
            }
            boolean becomesDefault = makeDefault || ofType(tenant, type).isEmpty();
            if (becomesDefault) {
                // Rule: the old default's entry comes before the new default's.
                defaultOf(tenant, type).ifPresent(old -> putProvider(old.with(old.name(), old.settings(), false,
                        old.enabled(), old.priority(), old.version() + 1), ChangeType.DEFAULT_CHANGE));
            }
            Provider created = new Provider(newId, tenant, type, name, settings, becomesDefault, enabled, priority,
                    1);
            putProvider(created, ChangeType.CREATE);
            return created;
        });
    }

    /**
     * An update as documented, its checks in the engine's order: another tenant's row, not found, type changed,
     * stale version, default flag changed, name taken.
     */
    Provider updateProvider(String callingTenant, Provider edited, ChangeContext change) {
        if (!edited.tenant().equals(callingTenant)) {
            throw refuse(ValidationException.class);
        }
        String fingerprint = fingerprint("provider.update", callingTenant, edited.id(), edited.name(),
                edited.settings(), edited.enabled(), edited.priority(), edited.version());
        return write(change, fingerprint, recorded -> true, () -> {
            Provider stored = provider(callingTenant, edited.id())
                    .orElseThrow(() -> refuse(NotFoundException.class));
            if (!stored.type().equals(edited.type())) {
                throw refuse(ValidationException.class);
            }
            if (stored.version() != edited.version()) {
                throw refuse(VersionConflictException.class);
            }
            if (stored.isDefault() != edited.isDefault()) {
                throw refuse(ValidationException.class);
            }
            if (!stored.name().equals(edited.name())
                    && named(callingTenant, stored.type(), edited.name()).isPresent()) {
                throw refuse(DuplicateException.class);
            }
            boolean onlyEnabledChanged = stored.enabled() != edited.enabled() && stored.name().equals(edited.name())
                    && stored.settings().equals(edited.settings()) && stored.priority() == edited.priority();
            ChangeType type = onlyEnabledChanged ? (edited.enabled() ? ChangeType.ENABLE : ChangeType.DISABLE)
                    : ChangeType.UPDATE;
            Provider updated = stored.with(edited.name(), edited.settings(), stored.isDefault(), edited.enabled(),
                    edited.priority(), stored.version() + 1);
            putProvider(updated, type);
            return updated;
        });
    }

    Provider setDefault(String tenant, String id, ChangeContext change) {
        return write(change, fingerprint("provider.setDefault", tenant, id), recorded -> true, () -> {
            Provider chosen = provider(tenant, id).orElseThrow(() -> refuse(NotFoundException.class));
            if (chosen.isDefault()) {
                return chosen;
            }
            defaultOf(tenant, chosen.type()).ifPresent(old -> putProvider(old.with(old.name(), old.settings(), false,
                    old.enabled(), old.priority(), old.version() + 1), ChangeType.DEFAULT_CHANGE));
            Provider made = chosen.with(chosen.name(), chosen.settings(), true, chosen.enabled(), chosen.priority(),
                    chosen.version() + 1);
            putProvider(made, ChangeType.DEFAULT_CHANGE);
            return made;
        });
    }

    Object deleteProvider(String tenant, String id, ChangeContext change) {
        return write(change, fingerprint("provider.delete", tenant, id), recorded -> true, () -> {
            Provider stored = provider(tenant, id).orElseThrow(() -> refuse(NotFoundException.class));
            providers.remove(id);
            append(EntityKind.PROVIDER_CONFIG, tenant, id, stored.version() + 1, ChangeType.DELETE, stored);
            if (stored.isDefault()) {
                // Rule: the deletion's entry first, then the heir's (the best enabled one, else the best one left).
                List<Provider> left = ofType(tenant, stored.type());
                Optional<Provider> heir = left.stream().filter(Provider::enabled).findFirst()
                        .or(() -> left.stream().findFirst());
                heir.ifPresent(next -> putProvider(next.with(next.name(), next.settings(), true, next.enabled(),
                        next.priority(), next.version() + 1), ChangeType.DEFAULT_CHANGE));
            }
            return null;
        });
    }

    // ----- API key writes -----

    Key storeKey(String tenant, String type, String name, String secret, ChangeContext change, String newId) {
        return write(change, fingerprint("apiKey.store", tenant, type, name), recorded -> holds(recorded, secret),
                () -> {
                    boolean taken = keys.values().stream().anyMatch(k -> k.tenant().equals(tenant)
                            && k.type().equals(type) && k.name().equals(name));
                    if (taken) {
                        throw refuse(DuplicateException.class);
                    }
                    Key stored = new Key(newId, tenant, type, name, true, 1, secret);
                    putKey(stored, ChangeType.CREATE);
                    return stored;
                });
    }

    Key rotateKey(String tenant, String id, String secret, ChangeContext change) {
        return write(change, fingerprint("apiKey.rotate", tenant, id), recorded -> holds(recorded, secret), () -> {
            Key old = key(tenant, id).orElseThrow(() -> refuse(NotFoundException.class));
            Key rotated = new Key(id, tenant, old.type(), old.name(), old.active(), old.version() + 1, secret);
            putKey(rotated, ChangeType.KEY_ROTATION);
            return rotated;
        });
    }

    Key setActive(String tenant, String id, boolean active, ChangeContext change) {
        String operation = active ? "apiKey.activate" : "apiKey.deactivate";
        return write(change, fingerprint(operation, tenant, id), recorded -> true, () -> {
            Key old = key(tenant, id).orElseThrow(() -> refuse(NotFoundException.class));
            if (old.active() == active) {
                return old;
            }
            Key flipped = new Key(id, tenant, old.type(), old.name(), active, old.version() + 1, old.secret());
            putKey(flipped, active ? ChangeType.ENABLE : ChangeType.DISABLE);
            return flipped;
        });
    }

    Object deleteKey(String tenant, String id, ChangeContext change) {
        return write(change, fingerprint("apiKey.delete", tenant, id), recorded -> true, () -> {
            Key old = key(tenant, id).orElseThrow(() -> refuse(NotFoundException.class));
            keys.remove(id);
            append(EntityKind.API_KEY, tenant, id, old.version() + 1, ChangeType.DELETE, old);
            return null;
        });
    }

    /** A recorded store or rotation replays only while its key is at that version and holds the same secret. */
    private boolean holds(Object recorded, String secret) {
        Key then = (Key) recorded;
        Key now = keys.get(then.id());
        return now != null && now.version() == then.version() && now.secret().equals(secret);
    }

    // ----- document writes -----

    Document saveDocument(String tenant, String name, SortedMap<String, String> content, int format, long expected,
                          ChangeContext change) {
        return write(change, fingerprint("document.save", tenant, name, content, format, expected), recorded -> true,
                () -> putDocument(tenant, name, content, format, expected));
    }

    /** {@code update} with a function that puts one text field: no write when the document already holds it. */
    Document updateDocument(String tenant, String name, String field, String value) {
        return write(Samples.CHANGE, "", recorded -> true, () -> {
            Optional<Document> stored = document(tenant, name);
            SortedMap<String, String> after = new TreeMap<>(stored.map(Document::content).orElse(new TreeMap<>()));
            after.put(field, value);
            if (stored.isPresent() && after.equals(stored.get().content())) {
                return stored.get();
            }
            return putDocument(tenant, name, after, stored.map(Document::format).orElse(1),
                    stored.map(Document::revision).orElse(0L));
        });
    }

    Object deleteDocument(String tenant, String name, long expected, ChangeContext change) {
        return write(change, fingerprint("document.delete", tenant, name, expected), recorded -> true, () -> {
            Document stored = document(tenant, name).orElseThrow(() -> refuse(NotFoundException.class));
            if (stored.revision() != expected) {
                throw refuse(VersionConflictException.class);
            }
            documents.remove(tenant + "/" + name);
            append(EntityKind.CONFIG_DOCUMENT, tenant, name, stored.revision() + 1, ChangeType.DELETE, stored);
            return null;
        });
    }

    private Document putDocument(String tenant, String name, SortedMap<String, String> content, int format,
                                 long expected) {
        Optional<Document> stored = document(tenant, name);
        long actual = stored.map(Document::revision).orElse(0L);
        if (actual != expected) {
            throw refuse(VersionConflictException.class);
        }
        Document saved = new Document(tenant, name, content, format, expected + 1);
        documents.put(tenant + "/" + name, saved);
        append(EntityKind.CONFIG_DOCUMENT, tenant, name, saved.revision(),
                stored.isPresent() ? ChangeType.UPDATE : ChangeType.CREATE, saved);
        return saved;
    }

    // ----- rollback -----

    /**
     * Puts an entity back as it was at {@code toVersion}: a deleted one comes back with its id (a provider as the
     * default only when its type has none), a live provider keeps its default flag; the new version follows the
     * current one, or the last history entry for a deleted entity. Returns the entity's new last entry.
     */
    Entry rollback(String tenant, EntityKind entity, String id, long toVersion, ChangeContext change) {
        return write(change, fingerprint("history.rollback", tenant, entity, id, toVersion), recorded -> true, () -> {
            Entry target = history(tenant, entity, id).stream().filter(e -> e.version() == toVersion).findFirst()
                    .orElseThrow(() -> refuse(NotFoundException.class));
            if (target.type() == ChangeType.DELETE) {
                throw refuse(ValidationException.class);
            }
            long lastVersion = lastVersion(entity, tenant, id);
            switch (entity) {
                case PROVIDER_CONFIG -> {
                    Provider then = (Provider) target.state();
                    Optional<Provider> current = provider(tenant, id);
                    if (named(tenant, then.type(), then.name()).filter(p -> !p.id().equals(id)).isPresent()) {
                        throw refuse(DuplicateException.class);
                    }
                    boolean isDefault = current.map(Provider::isDefault)
                            .orElseGet(() -> defaultOf(tenant, then.type()).isEmpty());
                    long version = current.map(p -> p.version() + 1).orElse(lastVersion + 1);
                    putProvider(then.with(then.name(), then.settings(), isDefault, then.enabled(), then.priority(),
                            version), ChangeType.ROLLBACK);
                }
                case API_KEY -> {
                    Key then = (Key) target.state();
                    Optional<Key> current = key(tenant, id);
                    boolean clash = current.isEmpty() && keys.values().stream().anyMatch(k -> k.tenant().equals(tenant)
                            && k.type().equals(then.type()) && k.name().equals(then.name()));
                    if (clash) {
                        throw refuse(DuplicateException.class);
                    }
                    long version = current.map(k -> k.version() + 1).orElse(lastVersion + 1);
                    putKey(new Key(id, tenant, then.type(), then.name(), then.active(), version, then.secret()),
                            ChangeType.ROLLBACK);
                }
                case CONFIG_DOCUMENT -> {
                    Document then = (Document) target.state();
                    long revision = document(tenant, id).map(d -> d.revision() + 1).orElse(lastVersion + 1);
                    Document restored = new Document(tenant, id, then.content(), then.format(), revision);
                    documents.put(tenant + "/" + id, restored);
                    append(EntityKind.CONFIG_DOCUMENT, tenant, id, revision, ChangeType.ROLLBACK, restored);
                }
            }
            List<Entry> entries = history(tenant, entity, id);
            return entries.get(entries.size() - 1);
        });
    }

    // ----- the shared machinery of writes -----

    /**
     * Runs {@code body} idempotently when {@code change} has a key: the same actor's key with the same request
     * replays the first result (when {@code replayable} accepts it), with another request it is a conflict; a refused
     * write records nothing. Whatever {@code body} changed before a refusal is undone.
     */
    @SuppressWarnings("unchecked")
    private <T> T write(ChangeContext change, String fingerprint, Predicate<Object> replayable, Supplier<T> body) {
        String slot = change.idempotencyKey() == null ? null : change.changedBy() + "\n" + change.idempotencyKey();
        if (slot != null && idempotency.containsKey(slot)) {
            Recorded recorded = idempotency.get(slot);
            if (!recorded.fingerprint().equals(fingerprint) || !replayable.test(recorded.result())) {
                throw refuse(IdempotencyConflictException.class);
            }
            return (T) recorded.result();
        }
        ReferenceModel before = copy();
        T result;
        try {
            result = body.get();
        } catch (Refusal refusal) {
            restore(before);
            throw refusal;
        }
        if (slot != null) {
            idempotency.put(slot, new Recorded(fingerprint, result));
        }
        return result;
    }

    private Optional<Provider> named(String tenant, String type, String name) {
        return ofType(tenant, type).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private void putProvider(Provider row, ChangeType type) {
        providers.put(row.id(), row);
        append(EntityKind.PROVIDER_CONFIG, row.tenant(), row.id(), row.version(), type, row);
    }

    private void putKey(Key row, ChangeType type) {
        keys.put(row.id(), row);
        append(EntityKind.API_KEY, row.tenant(), row.id(), row.version(), type, row);
    }

    /** Appends an entry numbered after the entity's last one, and at least at the entity's own new version. */
    private void append(EntityKind entity, String tenant, String id, long entityVersion, ChangeType type,
                        Object state) {
        long version = Math.max(lastVersion(entity, tenant, id) + 1, entityVersion);
        history.add(new Entry(entity, tenant, id, version, type, state));
    }

    private long lastVersion(EntityKind entity, String tenant, String id) {
        return history(tenant, entity, id).stream().mapToLong(Entry::version).max().orElse(0);
    }

    private static String fingerprint(String operation, Object... arguments) {
        StringBuilder text = new StringBuilder(operation);
        for (Object argument : arguments) {
            text.append('\u0000').append(argument);
        }
        return text.toString();
    }

    private static Refusal refuse(Class<? extends ConfigStoreException> kind) {
        return new Refusal(kind);
    }
}
