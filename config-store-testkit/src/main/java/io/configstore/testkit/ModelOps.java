package io.configstore.testkit;

import io.configstore.change.EntityKind;
import io.configstore.crypto.Secret;
import io.configstore.model.ChangeContext;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.TenantStores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The operations of the {@link ModelBasedContract} and their generator. An operation holds what was drawn from the
 * seed (a tenant, an entity's handle, "stale", "flip the default"...); the concrete arguments (the version to send,
 * the revision to expect) are worked out from the model's state when it runs, and the same arguments go to the model
 * and to the backend. Entities are named by handles ({@code p3} is the provider the third provider creation made),
 * so that a sequence stays meaningful when the shrinker drops operations from it: a handle whose creation was dropped
 * names an id no backend knows.
 */
final class ModelOps {
    private static final List<String> TYPES = List.of("openai", "anthropic");
    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final List<String> KEY_NAMES = List.of("k1", "k2");
    private static final List<String> DOCUMENTS = List.of("app", "ui");
    private static final List<String> IDEMPOTENCY_KEYS = List.of("retry-1", "retry-2", "retry-3");
    private static final String ACTOR = "model-kit";

    private ModelOps() {
    }

    /** One step of a sequence. */
    interface Op {
        /** The step as one line (a unit of work: several), as the failure report prints it. */
        String describe();

        /** Runs the step on the model and on {@code root} (the store set, or the running unit's stores). */
        void run(ModelRun run, TenantStores root);

        /** Smaller variants of this step for the shrinker (a unit of work with one step less); none by default. */
        default List<Op> smaller() {
            return List.of();
        }
    }

    /** Who makes a write, and the idempotency key it carries, if any. */
    record Change(String actor, String key) {
        ChangeContext context() {
            ChangeContext change = ChangeContext.by(actor, "model-based contract");
            return key == null ? change : change.withIdempotencyKey(key);
        }

        @Override
        public String toString() {
            return key == null ? "" : " [idempotency key " + key + " of " + actor + "]";
        }
    }

    /** A write that may carry an idempotency key: the shrinker tries it without. */
    interface Keyed extends Op {
        Change change();

        /** This write made with {@code other}. */
        Op with(Change other);

        @Override
        default List<Op> smaller() {
            return change().key() == null ? List.of() : List.of(with(new Change(ACTOR, null)));
        }
    }

    record CreateProvider(String tenant, String handle, String type, String name, int priority, boolean enabled,
                          boolean asDefault, Change change) implements Keyed {
        @Override
        public Op with(Change other) {
            return new CreateProvider(tenant, handle, type, name, priority, enabled, asDefault, other);
        }

        @Override
        public String describe() {
            return "create provider " + handle + " in " + tenant + ": " + type + "/" + name + " priority " + priority
                    + (enabled ? "" : " disabled") + (asDefault ? " as default" : "") + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            SortedMap<String, String> settings = new TreeMap<>();
            settings.put("url", "https://" + name + ".example");
            NewProviderConfig config = NewProviderConfig.of(type, name, ModelRun.json(settings))
                    .withPriority(priority).withEnabled(enabled);
            NewProviderConfig sent = asDefault ? config.asDefault() : config;
            ChangeContext context = change.context();
            run.perform(describe(), root,
                    () -> run.model().createProvider(tenant, type, name, settings, asDefault, enabled, priority,
                            context, handle),
                    stores -> stores.forTenant(tenant).providers().create(sent, context));
        }
    }

    record UpdateProvider(String tenant, String handle, String viaTenant, String rename, Integer priority,
                          boolean toggleEnabled, String tier, boolean stale, boolean flipDefault, Change change)
            implements Keyed {
        @Override
        public Op with(Change other) {
            return new UpdateProvider(tenant, handle, viaTenant, rename, priority, toggleEnabled, tier, stale,
                    flipDefault, other);
        }

        @Override
        public String describe() {
            return "update provider " + handle + " of " + tenant + (viaTenant != null ? " through " + viaTenant : "")
                    + ":" + (rename != null ? " rename to " + rename : "")
                    + (priority != null ? " priority " + priority : "") + (toggleEnabled ? " toggle enabled" : "")
                    + (tier != null ? " tier " + tier : "") + (stale ? " with a stale version" : "")
                    + (flipDefault ? " flipping the default flag" : "") + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            ReferenceModel.Provider base = run.model().provider(tenant, handle).orElse(
                    new ReferenceModel.Provider(handle, tenant, "openai", "ghost", new TreeMap<>(), false, true, 100,
                            1));
            SortedMap<String, String> settings = new TreeMap<>(base.settings());
            if (tier != null) {
                settings.put("tier", tier);
            }
            long version = !stale ? base.version() : base.version() > 1 ? base.version() - 1 : base.version() + 1;
            ReferenceModel.Provider edited = base.with(rename != null ? rename : base.name(), settings,
                    flipDefault != base.isDefault(), toggleEnabled != base.enabled(),
                    priority != null ? priority : base.priority(), version);
            ProviderConfig sent = new ProviderConfig(run.backendId(handle), edited.tenant(), edited.type(),
                    edited.name(), ModelRun.json(edited.settings()), edited.isDefault(), edited.enabled(),
                    edited.priority(), edited.version(), Instant.EPOCH, Instant.EPOCH, ACTOR, null);
            String calling = viaTenant != null ? viaTenant : tenant;
            ChangeContext context = change.context();
            run.perform(describe(), root, () -> run.model().updateProvider(calling, edited, context),
                    stores -> stores.forTenant(calling).providers().update(sent, context));
        }
    }

    record SetDefault(String tenant, String handle, Change change) implements Keyed {
        @Override
        public Op with(Change other) {
            return new SetDefault(tenant, handle, other);
        }

        @Override
        public String describe() {
            return "set default " + handle + " in " + tenant + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            String id = run.backendId(handle);
            ChangeContext context = change.context();
            run.perform(describe(), root, () -> run.model().setDefault(tenant, handle, context),
                    stores -> stores.forTenant(tenant).providers().setDefault(id, context));
        }
    }

    record DeleteProvider(String tenant, String handle, Change change) implements Keyed {
        @Override
        public Op with(Change other) {
            return new DeleteProvider(tenant, handle, other);
        }

        @Override
        public String describe() {
            return "delete provider " + handle + " in " + tenant + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            String id = run.backendId(handle);
            ChangeContext context = change.context();
            run.perform(describe(), root, () -> run.model().deleteProvider(tenant, handle, context), stores -> {
                stores.forTenant(tenant).providers().delete(id, context);
                return null;
            });
        }
    }

    record Resolve(String tenant, String type) implements Op {
        @Override
        public String describe() {
            return "read the default and resolve " + type + " in " + tenant;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            run.perform(describe(), root,
                    () -> List.of(run.model().defaultOf(tenant, type), run.model().resolve(tenant, type)),
                    stores -> List.of(stores.forTenant(tenant).providers().getDefault(type),
                            stores.forTenant(tenant).providers().resolve(type)));
        }
    }

    record StoreKey(String tenant, String handle, String type, String name, String secret, Change change)
            implements Keyed {
        @Override
        public Op with(Change other) {
            return new StoreKey(tenant, handle, type, name, secret, other);
        }

        @Override
        public String describe() {
            return "store API key " + handle + " in " + tenant + ": " + type + "/" + name + " " + label(secret)
                    + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            ChangeContext context = change.context();
            run.perform(describe(), root,
                    () -> run.model().storeKey(tenant, type, name, secret, context, handle),
                    stores -> stores.forTenant(tenant).apiKeys().store(type, name, Secret.of(secret), context));
        }
    }

    record RotateKey(String tenant, String handle, String secret, Change change) implements Keyed {
        @Override
        public Op with(Change other) {
            return new RotateKey(tenant, handle, secret, other);
        }

        @Override
        public String describe() {
            return "rotate API key " + handle + " in " + tenant + " to " + label(secret) + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            String id = run.backendId(handle);
            ChangeContext context = change.context();
            run.perform(describe(), root, () -> run.model().rotateKey(tenant, handle, secret, context),
                    stores -> stores.forTenant(tenant).apiKeys().rotate(id, Secret.of(secret), context));
        }
    }

    record SetKeyActive(String tenant, String handle, boolean active, Change change) implements Keyed {
        @Override
        public Op with(Change other) {
            return new SetKeyActive(tenant, handle, active, other);
        }

        @Override
        public String describe() {
            return (active ? "activate" : "deactivate") + " API key " + handle + " in " + tenant + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            String id = run.backendId(handle);
            ChangeContext context = change.context();
            run.perform(describe(), root, () -> run.model().setActive(tenant, handle, active, context),
                    stores -> active ? stores.forTenant(tenant).apiKeys().activate(id, context)
                            : stores.forTenant(tenant).apiKeys().deactivate(id, context));
        }
    }

    record DeleteKey(String tenant, String handle, Change change) implements Keyed {
        @Override
        public Op with(Change other) {
            return new DeleteKey(tenant, handle, other);
        }

        @Override
        public String describe() {
            return "delete API key " + handle + " in " + tenant + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            String id = run.backendId(handle);
            ChangeContext context = change.context();
            run.perform(describe(), root, () -> run.model().deleteKey(tenant, handle, context), stores -> {
                stores.forTenant(tenant).apiKeys().delete(id, context);
                return null;
            });
        }
    }

    /** Which revision a document write expects. */
    enum Expect { CURRENT, STALE, NEW }

    record SaveDocument(String tenant, String name, String value, int format, Expect expect, Change change)
            implements Keyed {
        @Override
        public Op with(Change other) {
            return new SaveDocument(tenant, name, value, format, expect, other);
        }

        @Override
        public String describe() {
            return "save document " + name + " in " + tenant + ": v=" + value + " format " + format + " expecting "
                    + expect.name().toLowerCase(Locale.ROOT) + " revision" + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            long current = run.model().document(tenant, name).map(ReferenceModel.Document::revision).orElse(0L);
            long expected = switch (expect) {
                case CURRENT -> current;
                case NEW -> 0;
                case STALE -> current > 1 ? current - 1 : current + 1;
            };
            SortedMap<String, String> content = new TreeMap<>();
            content.put("v", value);
            ChangeContext context = change.context();
            run.perform(describe(), root,
                    () -> run.model().saveDocument(tenant, name, content, format, expected, context),
                    stores -> stores.forTenant(tenant).documents().save(name, ModelRun.json(content), format,
                            expected, context));
        }
    }

    record UpdateDocument(String tenant, String name, String field, String value) implements Op {
        @Override
        public String describe() {
            return "update document " + name + " in " + tenant + ": put " + field + "=" + value;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            run.perform(describe(), root, () -> run.model().updateDocument(tenant, name, field, value),
                    stores -> stores.forTenant(tenant).documents().update(name, doc -> doc.put(field, value),
                            Samples.CHANGE));
        }
    }

    record DeleteDocument(String tenant, String name, boolean stale, Change change) implements Keyed {
        @Override
        public Op with(Change other) {
            return new DeleteDocument(tenant, name, stale, other);
        }

        @Override
        public String describe() {
            return "delete document " + name + " in " + tenant + (stale ? " with a stale revision" : "") + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            long current = run.model().document(tenant, name).map(ReferenceModel.Document::revision).orElse(0L);
            long expected = !stale ? current : current > 1 ? current - 1 : current + 1;
            ChangeContext context = change.context();
            run.perform(describe(), root, () -> run.model().deleteDocument(tenant, name, expected, context),
                    stores -> {
                        stores.forTenant(tenant).documents().delete(name, expected, context);
                        return null;
                    });
        }
    }

    record Rollback(String tenant, EntityKind entity, String target, int pick, Change change) implements Keyed {
        @Override
        public Op with(Change other) {
            return new Rollback(tenant, entity, target, pick, other);
        }

        @Override
        public String describe() {
            return "roll back " + entity + " " + target + " in " + tenant + " to "
                    + (pick % 7 == 6 ? "a version it never had" : "its kept entry number " + pick + " (modulo)")
                    + change;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            List<ReferenceModel.Entry> entries = run.model().history(tenant, entity, target);
            long toVersion = entries.isEmpty() ? 1 : pick % 7 == 6 ? entries.get(entries.size() - 1).version() + 2
                    : entries.get(pick % entries.size()).version();
            String id = entity == EntityKind.CONFIG_DOCUMENT ? target : run.backendId(target);
            ChangeContext context = change.context();
            run.perform(describe() + " (version " + toVersion + ")", root,
                    () -> run.model().rollback(tenant, entity, target, toVersion, context),
                    stores -> stores.forTenant(tenant).history().rollback(entity, id, toVersion, context));
        }
    }

    record ListHistory(String tenant, EntityKind entity, String target) implements Op {
        @Override
        public String describe() {
            return "list the history of " + entity + " " + target + " in " + tenant;
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            String id = entity == EntityKind.CONFIG_DOCUMENT ? target : run.backendId(target);
            run.perform(describe(), root, () -> run.model().history(tenant, entity, target),
                    stores -> stores.forTenant(tenant).history().list(entity, id));
        }
    }

    /** The previous call again, with the same arguments and idempotency key. */
    record Retry() implements Op {
        @Override
        public String describe() {
            return "retry the previous call as it was";
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            run.retryLast(root);
        }
    }

    record Reopen() implements Op {
        @Override
        public String describe() {
            return "close the store set and open the location again";
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            if (root == run.set()) {
                run.reopen();
            }
        }
    }

    /** Thrown by a unit of work that fails half way: the kit's own, so that nothing else is mistaken for it. */
    static final class UnitFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnitFailed() {
            super("the model-based contract fails this unit of work on purpose", null, false, false);
        }
    }

    /**
     * A unit of work: its steps, then (when {@code fails}) an exception, so that nothing of it may remain. Nested in
     * another, its failure is caught by the outer unit, which goes on: only the inner steps are undone.
     */
    record Unit(List<Op> body, boolean fails) implements Op {
        @Override
        public String describe() {
            StringBuilder text = new StringBuilder("unit of work" + (fails ? " that fails at its end" : "") + " {");
            for (Op op : body) {
                text.append("\n    ").append(op.describe().replace("\n", "\n    "));
            }
            return text.append("\n}").toString();
        }

        @Override
        public void run(ModelRun run, TenantStores root) {
            ReferenceModel before = run.model().copy();
            Map<String, String> bound = run.bindings();
            String outcome;
            try {
                run.set().inUnitOfWork(tx -> {
                    for (Op op : body) {
                        op.run(run, tx);
                    }
                    if (fails) {
                        throw new UnitFailed();
                    }
                    return null;
                });
                outcome = "committed";
            } catch (UnitFailed expected) {
                outcome = "rolled back";
            } catch (ModelRun.Divergence divergence) {
                throw divergence;
            } catch (RuntimeException e) {
                outcome = "throws " + e.getClass().getSimpleName();
            }
            if (fails) {
                run.model().restore(before);
                run.restoreBindings(bound);
            }
            run.expectSame("unit of work", fails ? "rolled back" : "committed", outcome);
        }

        @Override
        public List<Op> smaller() {
            List<Op> variants = new ArrayList<>();
            for (int i = 0; i < body.size(); i++) {
                List<Op> fewer = new ArrayList<>(body);
                fewer.remove(i);
                variants.add(new Unit(fewer, fails));
                for (Op inner : body.get(i).smaller()) {
                    List<Op> simpler = new ArrayList<>(body);
                    simpler.set(i, inner);
                    variants.add(new Unit(simpler, fails));
                }
            }
            return variants;
        }
    }

    /** Names a test secret in a report without printing it: the kit never prints a secret, not even its own. */
    private static String label(String secret) {
        return "secret no. " + secret.substring(secret.lastIndexOf('-') + 1);
    }

    /** Operations in a sequence, counting those inside units of work. */
    static int count(List<Op> ops) {
        int count = 0;
        for (Op op : ops) {
            count += op instanceof Unit unit ? 1 + count(unit.body()) : 1;
        }
        return count;
    }

    /** The sequence of {@code length} steps that {@code seed} gives: the same on every run and every backend. */
    static List<Op> generate(long seed, int length) {
        Generator generator = new Generator(new Random(seed));
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            ops.add(generator.next(0));
        }
        return ops;
    }

    /** Draws steps, keeping just enough memory of earlier draws to name entities that exist. */
    private static final class Generator {
        private final Random random;
        private final List<String> providerTenants = new ArrayList<>();
        private final List<String> keyTenants = new ArrayList<>();
        private boolean lastKeyed;

        Generator(Random random) {
            this.random = random;
        }

        Op next(int depth) {
            if (lastKeyed && random.nextInt(3) == 0) {
                lastKeyed = false;
                return new Retry();
            }
            int roll = random.nextInt(100);
            Change change = change();
            lastKeyed = change.key() != null;
            if (roll < 14) {
                String tenant = tenant();
                providerTenants.add(tenant);
                return new CreateProvider(tenant, "p" + providerTenants.size(), pick(TYPES), pick(NAMES),
                        pick(List.of(1, 5, 10, 50)), random.nextInt(5) != 0, random.nextInt(4) == 0, change);
            }
            if (roll < 29 && !providerTenants.isEmpty()) {
                int index = random.nextInt(providerTenants.size());
                String tenant = providerTenants.get(index);
                return new UpdateProvider(tenant, "p" + (index + 1),
                        random.nextInt(20) == 0 ? other(tenant) : null,
                        random.nextInt(3) == 0 ? pick(NAMES) : null,
                        random.nextInt(5) < 2 ? pick(List.of(1, 5, 10, 50)) : null, random.nextInt(3) == 0,
                        random.nextInt(3) == 0 ? "t" + random.nextInt(3) : null, random.nextInt(4) == 0,
                        random.nextInt(6) == 0, change);
            }
            if (roll < 36 && !providerTenants.isEmpty()) {
                int index = random.nextInt(providerTenants.size());
                return new SetDefault(providerTenants.get(index), "p" + (index + 1), change);
            }
            if (roll < 42 && !providerTenants.isEmpty()) {
                int index = random.nextInt(providerTenants.size());
                return new DeleteProvider(providerTenants.get(index), "p" + (index + 1), change);
            }
            if (roll < 45) {
                lastKeyed = false;
                return new Resolve(tenant(), pick(TYPES));
            }
            if (roll < 51) {
                String tenant = tenant();
                keyTenants.add(tenant);
                return new StoreKey(tenant, "k" + keyTenants.size(), pick(TYPES), pick(KEY_NAMES), secret(), change);
            }
            if (roll < 55 && !keyTenants.isEmpty()) {
                int index = random.nextInt(keyTenants.size());
                return new RotateKey(keyTenants.get(index), "k" + (index + 1), secret(), change);
            }
            if (roll < 59 && !keyTenants.isEmpty()) {
                int index = random.nextInt(keyTenants.size());
                return new SetKeyActive(keyTenants.get(index), "k" + (index + 1), random.nextBoolean(), change);
            }
            if (roll < 62 && !keyTenants.isEmpty()) {
                int index = random.nextInt(keyTenants.size());
                return new DeleteKey(keyTenants.get(index), "k" + (index + 1), change);
            }
            if (roll < 71) {
                Expect expect = pick(List.of(Expect.CURRENT, Expect.CURRENT, Expect.CURRENT, Expect.STALE,
                        Expect.NEW));
                return new SaveDocument(tenant(), pick(DOCUMENTS), "" + random.nextInt(4), 1 + random.nextInt(2),
                        expect, change);
            }
            if (roll < 75) {
                lastKeyed = false;
                return new UpdateDocument(tenant(), pick(DOCUMENTS), pick(List.of("v", "w")), "" + random.nextInt(3));
            }
            if (roll < 79) {
                return new DeleteDocument(tenant(), pick(DOCUMENTS), random.nextInt(4) == 0, change);
            }
            if (roll < 87) {
                return rollback(change);
            }
            lastKeyed = false;
            if (roll < 90) {
                Rollback target = rollback(change());
                return new ListHistory(target.tenant(), target.entity(), target.target());
            }
            if (roll < 98 && depth < 2) {
                List<Op> body = new ArrayList<>();
                int size = 2 + random.nextInt(3);
                for (int i = 0; i < size; i++) {
                    body.add(depth == 0 && random.nextInt(4) == 0 ? nested(depth + 1) : next(depth + 1));
                }
                lastKeyed = false;
                return new Unit(body, random.nextInt(3) == 0);
            }
            if (depth == 0) {
                return new Reopen();
            }
            return new Resolve(tenant(), pick(TYPES));
        }

        private Op nested(int depth) {
            List<Op> body = new ArrayList<>();
            int size = 1 + random.nextInt(2);
            for (int i = 0; i < size; i++) {
                body.add(next(depth + 1));
            }
            return new Unit(body, random.nextBoolean());
        }

        private Rollback rollback(Change change) {
            int kind = random.nextInt(3);
            if (kind == 0 && !providerTenants.isEmpty()) {
                int index = random.nextInt(providerTenants.size());
                return new Rollback(providerTenants.get(index), EntityKind.PROVIDER_CONFIG, "p" + (index + 1),
                        random.nextInt(1000), change);
            }
            if (kind == 1 && !keyTenants.isEmpty()) {
                int index = random.nextInt(keyTenants.size());
                return new Rollback(keyTenants.get(index), EntityKind.API_KEY, "k" + (index + 1),
                        random.nextInt(1000), change);
            }
            return new Rollback(tenant(), EntityKind.CONFIG_DOCUMENT, pick(DOCUMENTS), random.nextInt(1000), change);
        }

        private Change change() {
            if (random.nextInt(10) < 3) {
                return new Change(random.nextInt(5) == 0 ? "other-kit" : ACTOR, pick(IDEMPOTENCY_KEYS));
            }
            return new Change(ACTOR, null);
        }

        private String tenant() {
            return random.nextInt(3) == 0 ? "acme" : "default";
        }

        private String other(String tenant) {
            return tenant.equals("acme") ? "default" : "acme";
        }

        private String secret() {
            return "sk-model-" + random.nextInt(4);
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }
    }
}
