package io.configstore.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.EntityKind;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One replay of a sequence of {@link ModelOps.Op operations} on a fresh location of the backend under test and on a
 * fresh {@link ReferenceModel}: each call goes to the model first, then to the backend with the same arguments, and
 * the two outcomes (the result, or the class of the exception) must read the same. At the end the whole state of both
 * tenants is compared. The first disagreement stops the replay as a {@link Divergence}.
 *
 * <p>Also the driver of {@link ModelBasedContract}: {@link #check} replays every seed and shrinks the sequences that
 * diverge.
 */
final class ModelRun {
    /** The tenants every sequence works in. */
    static final List<String> TENANTS = List.of("default", "acme");
    /** Operations in one generated sequence (a unit of work counts as one). */
    static final int LENGTH = 30;
    /** The seeds run when {@link ModelBasedContract#SEED_PROPERTY} is not set. */
    static final int DEFAULT_SEEDS = 40;
    /** How long the kit spends shrinking failed sequences, over all seeds, before it reports them as they are. */
    static final Duration SHRINK_BUDGET = Duration.ofSeconds(60);
    /** Most replays one shrink tries. */
    static final int MAX_SHRINK_REPLAYS = 400;

    /** Where a replay first disagreed with the model. */
    static final class Divergence extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** What kind of disagreement: the operation (or state section) and the two outcomes' shapes. */
        final String kind;

        Divergence(String kind, String detail) {
            super(detail, null, false, false);
            this.kind = kind;
        }
    }

    /** One call with its arguments fixed: what a retry repeats. */
    record Call(String what, Supplier<Object> onModel, Function<TenantStores, Object> onBackend) {
    }

    private final ReferenceModel model = new ReferenceModel();
    private final StoreLocation location;
    private final SecretCipher cipher;
    private final Map<String, String> idOfHandle = new HashMap<>();
    private final Map<String, String> handleOfId = new HashMap<>();
    private StoreSet set;
    private Call lastCall;
    private int position;

    private ModelRun(StoreLocation location, SecretCipher cipher) throws Exception {
        this.location = location;
        this.cipher = cipher;
        this.set = location.open(cipher);
    }

    // ----- driving the contract -----

    /** The seeds to run: the ones named by {@code property} (comma separated), or 1 to {@link #DEFAULT_SEEDS}. */
    static List<Long> seeds(String property) {
        if (property == null || property.isBlank()) {
            List<Long> seeds = new ArrayList<>();
            for (long seed = 1; seed <= DEFAULT_SEEDS; seed++) {
                seeds.add(seed);
            }
            return seeds;
        }
        List<Long> seeds = new ArrayList<>();
        for (String part : property.split(",")) {
            try {
                seeds.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the system property " + ModelBasedContract.SEED_PROPERTY
                        + " must be seeds (whole numbers) separated by commas, for example 17 or 3,17", e);
            }
        }
        return seeds;
    }

    /**
     * Replays the sequence of every seed; fails with every seed that diverged, each with the shortest sequence found
     * that still diverges the same way, one operation per line.
     */
    static void check(StoreBackend backend, SecretCipher cipher, List<Long> seeds) throws Exception {
        List<String> failures = new ArrayList<>();
        long shrinkUntil = System.nanoTime() + SHRINK_BUDGET.toNanos();
        for (long seed : seeds) {
            List<ModelOps.Op> ops = ModelOps.generate(seed, LENGTH);
            Divergence divergence = replay(backend, cipher, ops);
            if (divergence == null) {
                continue;
            }
            List<ModelOps.Op> shortest = ops;
            boolean shrunk = false;
            if (System.nanoTime() < shrinkUntil) {
                shortest = shrink(backend, cipher, ops, divergence.kind, shrinkUntil);
                Divergence again = replay(backend, cipher, shortest);
                if (again != null) {
                    divergence = again;
                    shrunk = true;
                } else {
                    shortest = ops;
                }
            }
            failures.add(report(seed, ops.size(), shortest, shrunk, divergence));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + seeds.size() + " seeded sequences diverged from the"
                    + " reference model; replay one with -D" + ModelBasedContract.SEED_PROPERTY + "=<seed>\n\n"
                    + String.join("\n", failures));
        }
    }

    private static String report(long seed, int length, List<ModelOps.Op> ops, boolean shrunk,
                                 Divergence divergence) {
        StringBuilder text = new StringBuilder("seed " + seed + ": " + (shrunk ? "shortest sequence found, "
                + ModelOps.count(ops) + " of " + length + " operations" : "the whole sequence (not shrunk: the"
                + " shrinking time was spent)") + ":\n");
        int number = 1;
        for (ModelOps.Op op : ops) {
            text.append(String.format("%4d. ", number++)).append(op.describe().replace("\n", "\n      "))
                    .append('\n');
        }
        text.append("  diverged ").append(divergence.getMessage().replace("\n", "\n  ")).append('\n');
        return text.toString();
    }

    /**
     * Drops operations (whole chunks, then single ones, then operations inside units of work) while the sequence
     * still diverges the same way, within the replay and time budgets.
     */
    static List<ModelOps.Op> shrink(StoreBackend backend, SecretCipher cipher, List<ModelOps.Op> ops, String kind,
                                    long until) throws Exception {
        List<ModelOps.Op> current = ops;
        int replays = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
                int start = 0;
                while (start + chunk <= current.size()) {
                    if (replays++ >= MAX_SHRINK_REPLAYS || System.nanoTime() > until) {
                        return current;
                    }
                    List<ModelOps.Op> candidate = new ArrayList<>(current.subList(0, start));
                    candidate.addAll(current.subList(start + chunk, current.size()));
                    if (sameDivergence(backend, cipher, candidate, kind)) {
                        current = candidate;
                        progress = true;
                    } else {
                        start += chunk;
                    }
                }
                if (chunk == 1) {
                    break;
                }
            }
            for (int i = 0; i < current.size(); i++) {
                if (current.get(i) instanceof ModelOps.Unit unit && !unit.fails()) {
                    // A committing unit's steps, run on their own, often diverge just as well.
                    if (replays++ >= MAX_SHRINK_REPLAYS || System.nanoTime() > until) {
                        return current;
                    }
                    List<ModelOps.Op> candidate = new ArrayList<>(current.subList(0, i));
                    candidate.addAll(unit.body());
                    candidate.addAll(current.subList(i + 1, current.size()));
                    if (sameDivergence(backend, cipher, candidate, kind)) {
                        current = candidate;
                        progress = true;
                        continue;
                    }
                }
                for (ModelOps.Op smaller : current.get(i).smaller()) {
                    if (replays++ >= MAX_SHRINK_REPLAYS || System.nanoTime() > until) {
                        return current;
                    }
                    List<ModelOps.Op> candidate = new ArrayList<>(current);
                    candidate.set(i, smaller);
                    if (sameDivergence(backend, cipher, candidate, kind)) {
                        current = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return current;
    }

    private static boolean sameDivergence(StoreBackend backend, SecretCipher cipher, List<ModelOps.Op> ops,
                                          String kind) throws Exception {
        Divergence divergence = replay(backend, cipher, ops);
        return divergence != null && divergence.kind.equals(kind);
    }

    /** Replays {@code ops} on a fresh location and model; the first divergence, or null when they agree throughout. */
    static Divergence replay(StoreBackend backend, SecretCipher cipher, List<ModelOps.Op> ops) throws Exception {
        StoreLocation location = backend.newLocation();
        try {
            ModelRun run = new ModelRun(location, cipher);
            try {
                for (ModelOps.Op op : ops) {
                    run.position++;
                    op.run(run, run.set);
                }
                run.compareFinalState();
                return null;
            } catch (Divergence divergence) {
                return divergence;
            } finally {
                run.set.close();
            }
        } finally {
            location.close();
        }
    }

    // ----- what operations use -----

    ReferenceModel model() {
        return model;
    }

    StoreSet set() {
        return set;
    }

    /** The backend's id of a handle; a fixed id no backend ever made for a handle whose entity was never created. */
    String backendId(String handle) {
        String id = idOfHandle.get(handle);
        return id != null ? id
                : UUID.nameUUIDFromBytes(("never created " + handle).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The handles bound so far: a failed unit of work forgets those bound inside it, as the model forgets them. */
    Map<String, String> bindings() {
        return new HashMap<>(idOfHandle);
    }

    /** Goes back to {@code saved} bindings (see {@link #bindings()}). */
    void restoreBindings(Map<String, String> saved) {
        idOfHandle.clear();
        idOfHandle.putAll(saved);
        handleOfId.clear();
        saved.forEach((handle, id) -> handleOfId.put(id, handle));
    }

    /** Makes a call on both sides and compares the outcomes; remembered for {@link #retryLast}. */
    void perform(String what, TenantStores root, Supplier<Object> onModel, Function<TenantStores, Object> onBackend) {
        lastCall = new Call(what, onModel, onBackend);
        execute(lastCall, root);
    }

    /** Makes the last call again with the same arguments (and idempotency key): a client's retry. */
    void retryLast(TenantStores root) {
        if (lastCall != null) {
            execute(new Call("retry of " + lastCall.what(), lastCall.onModel(), lastCall.onBackend()), root);
        }
    }

    /** Closes the store set and opens the location again, as a restarted application would. */
    void reopen() {
        set.close();
        try {
            set = location.open(cipher);
        } catch (Exception e) {
            throw new Divergence("reopen", "at operation " + position + " (reopen): the location could not be"
                    + " opened again: " + e.getClass().getSimpleName());
        }
    }

    /** Compares two outcomes of a step that is not a store call (a unit of work's end). */
    void expectSame(String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            String[] words = what.split(" ");
            String operation = words.length > 1 ? words[0] + " " + words[1] : what;
            throw new Divergence(operation + ": " + shape(expected) + " vs " + shape(actual),
                    "at operation " + position
                    + " (" + what + ")\n  model:   " + expected + "\n  backend: " + actual);
        }
    }

    private void execute(Call call, TenantStores root) {
        Object modelResult = null;
        String expected;
        try {
            modelResult = call.onModel().get();
            expected = view(modelResult);
        } catch (ReferenceModel.Refusal refusal) {
            expected = "throws " + refusal.kind.getSimpleName();
        }
        String actual;
        try {
            Object result = call.onBackend().apply(root);
            bind(modelResult, result);
            actual = view(toModel(result));
        } catch (Divergence divergence) {
            throw divergence;
        } catch (RuntimeException e) {
            actual = "throws " + e.getClass().getSimpleName();
        }
        expectSame(call.what(), expected, actual);
    }

    private static String shape(String outcome) {
        return outcome.startsWith("throws ") ? outcome : "a result";
    }

    /** Learns the backend's id of a newly created entity from the first call that returns it. */
    private void bind(Object modelResult, Object backendResult) {
        if (modelResult instanceof ReferenceModel.Provider p && backendResult instanceof ProviderConfig c) {
            bind(p.id(), c.id());
        } else if (modelResult instanceof ReferenceModel.Key k && backendResult instanceof ApiKeyMetadata m) {
            bind(k.id(), m.id());
        }
    }

    private void bind(String handle, String id) {
        if (!idOfHandle.containsKey(handle) && !handleOfId.containsKey(id)) {
            idOfHandle.put(handle, id);
            handleOfId.put(id, handle);
        }
    }

    private String handle(String id) {
        String handle = handleOfId.get(id);
        return handle != null ? handle : "unknown-id-" + id;
    }

    // ----- the final state -----

    private void compareFinalState() {
        position++;
        for (String tenant : TENANTS) {
            TenantStores stores = set.forTenant(tenant);
            section("providers of " + tenant, view(model.providers(tenant)),
                    () -> view(toModel(stores.providers().list())));
            section("API keys of " + tenant, view(model.keys(tenant)), () -> view(toModel(stores.apiKeys().list())));
            section("documents of " + tenant, view(model.documents(tenant)), () -> view(toModel(
                    stores.documents().names().stream().map(name -> stores.documents().load(name)).toList())));
            section("secrets of " + tenant, model.keys(tenant).stream().map(k -> k.id() + " holds its secret")
                    .collect(Collectors.joining("\n")), () -> model.keys(tenant).stream().map(k -> {
                        try (Secret secret = stores.apiKeys().reveal(backendId(k.id()))) {
                            return k.id() + (secret.reveal().equals(k.secret()) ? " holds its secret"
                                    : " holds another secret");
                        }
                    }).collect(Collectors.joining("\n")));
            for (ReferenceModel.Entry first : model.firstEntries(tenant)) {
                String id = first.entity() == EntityKind.CONFIG_DOCUMENT ? first.entityId()
                        : backendId(first.entityId());
                section("history of " + first.entity() + " " + tenant + "/" + first.entityId(),
                        view(model.history(tenant, first.entity(), first.entityId())),
                        () -> view(toModel(stores.history().list(first.entity(), id))));
            }
            section("history of " + tenant + " in time order", view(model.history(tenant)),
                    () -> view(toModel(stores.history().list(Instant.EPOCH,
                            Instant.now().plus(Duration.ofDays(1)), 0, 1000))));
        }
    }

    private void section(String what, String expected, Supplier<String> actual) {
        String got;
        try {
            got = actual.get();
        } catch (Divergence divergence) {
            throw divergence;
        } catch (RuntimeException e) {
            got = "throws " + e.getClass().getSimpleName();
        }
        if (!expected.equals(got)) {
            throw new Divergence("final state: " + what, "in the final state: " + what + "\n  model:\n    "
                    + expected.replace("\n", "\n    ") + "\n  backend:\n    " + got.replace("\n", "\n    "));
        }
    }

    // ----- turning the backend's values into the model's -----

    /** A backend's result as the model's records, its ids turned into handles. */
    Object toModel(Object result) {
        if (result == null || result instanceof String) {
            return result;
        }
        if (result instanceof Optional<?> optional) {
            return optional.map(this::toModel);
        }
        if (result instanceof List<?> list) {
            return list.stream().map(this::toModel).toList();
        }
        if (result instanceof ProviderConfig p) {
            return new ReferenceModel.Provider(handle(p.id()), p.tenantId(), p.providerType(), p.name(),
                    text(p.settings()), p.isDefault(), p.enabled(), p.priority(), p.version());
        }
        if (result instanceof ApiKeyMetadata k) {
            return new ReferenceModel.Key(handle(k.id()), k.tenantId(), k.providerType(), k.keyName(), k.active(),
                    k.version(), null);
        }
        if (result instanceof ConfigDocument d) {
            return new ReferenceModel.Document(d.tenantId(), d.name(), text(d.content()), d.formatVersion(),
                    d.revision());
        }
        if (result instanceof HistoryEntry e) {
            Object state = switch (e.entity()) {
                case PROVIDER_CONFIG -> toModel(EntitySnapshots.toProvider(e.snapshotJson()));
                case API_KEY -> toModel(EntitySnapshots.toApiKey(e.snapshotJson()));
                case CONFIG_DOCUMENT -> toModel(EntitySnapshots.toDocument(e.snapshotJson()));
            };
            String id = e.entity() == EntityKind.CONFIG_DOCUMENT ? e.entityId() : handle(e.entityId());
            return new ReferenceModel.Entry(e.entity(), e.tenantId(), id, e.version(), e.changeType(), state);
        }
        return "a " + result.getClass().getSimpleName();
    }

    /** What is compared: one line per value; nothing for a void call. */
    static String view(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(ModelRun::view).orElse("empty");
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "none" : list.stream().map(ModelRun::view).collect(Collectors.joining("\n"));
        }
        return value.toString();
    }

    /** A settings object or document as the model keeps it: text values by field, sorted. */
    static SortedMap<String, String> text(ObjectNode node) {
        SortedMap<String, String> fields = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.put(field.getKey(), field.getValue().isTextual() ? field.getValue().asText()
                    : Json.write(field.getValue()));
        }
        return fields;
    }

    /** The JSON object a backend is given for the model's text fields. */
    static ObjectNode json(SortedMap<String, String> fields) {
        ObjectNode node = Json.object();
        fields.forEach(node::put);
        return node;
    }
}
