package io.configstore.testkit;

import static io.configstore.testkit.Samples.CHANGE;
import static io.configstore.testkit.Samples.json;
import static io.configstore.testkit.Samples.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Secret;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input: every public method rejects it with {@link ValidationException} (never a NullPointerException or a
 * storage error) and changes nothing. Table-driven: one test per (method, bad value), each on a fresh store that
 * holds a provider, an API key and a document, whose full state is compared before and after.
 */
public interface BadInputContract extends StoreContract {
    /** The secret of the seeded key; no rejection message may contain it. */
    String SEEDED_SECRET = "sk-seeded-secret-0815";

    /** Ids that are not well formed: null, empty, blank, bad characters, too long. */
    List<String> BAD_IDS = Arrays.asList(null, "", " ", "has space", "-leading-dash", "x".repeat(65), "a\u0000b",
            "../escape");
    /** Names (provider, key, document) that are not acceptable. */
    List<String> BAD_NAMES = Arrays.asList(null, "", "   ", "n".repeat(Arguments.MAX_NAME_LENGTH + 1), "line\nbreak",
            "bell\u0007", " padded", "lone\ud800", "\udc00first");
    /** Provider types that are not acceptable. */
    List<String> BAD_TYPES = Arrays.asList(null, "", "t".repeat(Arguments.MAX_TYPE_LENGTH + 1), "tab\there",
            "open\ud800ai");
    /** Tenant ids that are not well formed. */
    List<String> BAD_TENANTS = Arrays.asList(null, "", "has space", "-leading", "x".repeat(65), "a/b", "ümlaut",
            "nul\u0000", "acme\ud800");

    /**
     * The rows present before each bad call.
     *
     * @param provider a provider config of type {@code openai}
     * @param key an API key of type {@code openai}
     * @param document the document {@code app}
     */
    record Seeded(ProviderConfig provider, ApiKeyMetadata key, ConfigDocument document) {
    }

    /**
     * One call with one bad argument.
     *
     * @param description the call, shown as the test's name
     * @param call makes the call on the store set
     */
    record BadCall(String description, BiConsumer<StoreSet, Seeded> call) {
        @Override
        public String toString() {
            return description;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.configstore.testkit.BadInputContract#badCalls")
    default void bad_input_is_rejected_with_a_validation_error_and_changes_nothing(BadCall bad, StoreUnderTest store) {
        StoreSet stores = store.stores();
        Seeded seeded = seed(stores);
        Snapshot before = Snapshot.of(stores, "acme");

        assertThatThrownBy(() -> bad.call().accept(stores, seeded))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain(SEEDED_SECRET))
                // A message that quoted rejected text would carry a lone surrogate into logs, or a secret.
                .satisfies(e -> assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(e.getMessage())).isTrue());

        assertThat(Snapshot.of(stores, "acme")).isEqualTo(before);
        assertThat(stores.apiKeys().reveal(seeded.key().id()).reveal()).isEqualTo(SEEDED_SECRET);
    }

    private static Seeded seed(StoreSet stores) {
        ProviderConfig provider = stores.providers().create(provider("openai", "prod"), CHANGE);
        stores.providers().create(provider("openai", "staging"), CHANGE);
        ApiKeyMetadata key = stores.apiKeys().store("openai", "prod", Secret.of(SEEDED_SECRET), CHANGE);
        ConfigDocument document = stores.documents().save("app", json("v", "1"), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        stores.forTenant("acme").documents().save("app", json("tenant", "acme"), 1, ConfigDocument.NO_REVISION,
                CHANGE);
        return new Seeded(provider, key, document);
    }

    /** Every bad call the contract makes. */
    static Stream<BadCall> badCalls() {
        List<BadCall> calls = new ArrayList<>();
        for (String id : BAD_IDS) {
            String v = shown(id);
            calls.add(new BadCall("providers.get(" + v + ")", (s, x) -> s.providers().get(id)));
            calls.add(new BadCall("providers.delete(" + v + ")", (s, x) -> s.providers().delete(id, CHANGE)));
            calls.add(new BadCall("providers.setDefault(" + v + ")", (s, x) -> s.providers().setDefault(id, CHANGE)));
            calls.add(new BadCall("apiKeys.get(" + v + ")", (s, x) -> s.apiKeys().get(id)));
            calls.add(new BadCall("apiKeys.reveal(" + v + ")", (s, x) -> s.apiKeys().reveal(id)));
            calls.add(new BadCall("apiKeys.rotate(" + v + ")",
                    (s, x) -> s.apiKeys().rotate(id, Secret.of("new"), CHANGE)));
            calls.add(new BadCall("apiKeys.deactivate(" + v + ")", (s, x) -> s.apiKeys().deactivate(id, CHANGE)));
            calls.add(new BadCall("apiKeys.activate(" + v + ")", (s, x) -> s.apiKeys().activate(id, CHANGE)));
            calls.add(new BadCall("apiKeys.delete(" + v + ")", (s, x) -> s.apiKeys().delete(id, CHANGE)));
            calls.add(new BadCall("apiKeys.recordUsage(" + v + ")", (s, x) -> s.apiKeys().recordUsage(id)));
        }
        for (String name : BAD_NAMES) {
            String v = shown(name);
            calls.add(new BadCall("providers.listByName(" + v + ")", (s, x) -> s.providers().listByName(name)));
            calls.add(new BadCall("providers.create with name " + v,
                    (s, x) -> s.providers().create(provider("openai", name), CHANGE)));
            calls.add(new BadCall("providers.update renaming to " + v,
                    (s, x) -> s.providers().update(x.provider().withName(name), CHANGE)));
            calls.add(new BadCall("apiKeys.store with key name " + v,
                    (s, x) -> s.apiKeys().store("openai", name, Secret.of("s"), CHANGE)));
            calls.add(new BadCall("documents.load(" + v + ")", (s, x) -> s.documents().load(name)));
            calls.add(new BadCall("documents.load(" + v + ", type)",
                    (s, x) -> s.documents().load(name, ObjectNode.class)));
            calls.add(new BadCall("documents.save(" + v + ")",
                    (s, x) -> s.documents().save(name, json(), 1, ConfigDocument.NO_REVISION, CHANGE)));
            calls.add(new BadCall("documents.saveValue(" + v + ")",
                    (s, x) -> s.documents().saveValue(name, json(), ConfigDocument.NO_REVISION, CHANGE)));
            calls.add(new BadCall("documents.update(" + v + ")",
                    (s, x) -> s.documents().update(name, doc -> doc.put("k", 1), CHANGE)));
            calls.add(new BadCall("documents.update(" + v + ", type)",
                    (s, x) -> s.documents().update(name, ObjectNode.class, doc -> doc.put("k", 1), CHANGE)));
            calls.add(new BadCall("documents.delete(" + v + ")", (s, x) -> s.documents().delete(name, 1, CHANGE)));
        }
        for (String type : BAD_TYPES) {
            String v = shown(type);
            calls.add(new BadCall("providers.listByType(" + v + ")", (s, x) -> s.providers().listByType(type)));
            calls.add(new BadCall("providers.getDefault(" + v + ")", (s, x) -> s.providers().getDefault(type)));
            calls.add(new BadCall("providers.resolve(" + v + ")", (s, x) -> s.providers().resolve(type)));
            calls.add(new BadCall("providers.create with type " + v,
                    (s, x) -> s.providers().create(provider(type, "new"), CHANGE)));
            calls.add(new BadCall("providers.createAll with type " + v + " after a good one",
                    (s, x) -> s.providers().createAll(List.of(provider("openai", "good"), provider(type, "new")),
                            CHANGE)));
            calls.add(new BadCall("apiKeys.store with type " + v,
                    (s, x) -> s.apiKeys().store(type, "new", Secret.of("s"), CHANGE)));
            calls.add(new BadCall("apiKeys.listByType(" + v + ")", (s, x) -> s.apiKeys().listByType(type)));
            calls.add(new BadCall("apiKeys.findActive(" + v + ")", (s, x) -> s.apiKeys().findActive(type)));
        }
        for (String tenant : BAD_TENANTS) {
            String v = shown(tenant);
            calls.add(new BadCall("forTenant(" + v + ")", (s, x) -> s.forTenant(tenant)));
            calls.add(new BadCall("forTenant(\"acme\").forTenant(" + v + ")",
                    (s, x) -> s.forTenant("acme").forTenant(tenant)));
            calls.add(new BadCall("forTenant(" + v + ") inside a unit of work",
                    (s, x) -> s.inUnitOfWork(tx -> tx.forTenant(tenant))));
        }
        addNullArguments(calls);
        addBadJson(calls);
        addTextThatIsNotUnicode(calls);
        addValuesNestedTooDeep(calls);
        addBadNumbers(calls);
        return calls.stream();
    }

    private static void addNullArguments(List<BadCall> calls) {
        calls.add(new BadCall("providers.create(null config)", (s, x) -> s.providers().create(null, CHANGE)));
        calls.add(new BadCall("providers.create(null change)",
                (s, x) -> s.providers().create(provider("openai", "new"), null)));
        calls.add(new BadCall("providers.update(null edited)", (s, x) -> s.providers().update(null, CHANGE)));
        calls.add(new BadCall("providers.update(null change)",
                (s, x) -> s.providers().update(x.provider().withPriority(1), null)));
        calls.add(new BadCall("providers.delete(null change)",
                (s, x) -> s.providers().delete(x.provider().id(), null)));
        calls.add(new BadCall("providers.setDefault(null change)",
                (s, x) -> s.providers().setDefault(s.providers().listByName("staging").get(0).id(), null)));
        calls.add(new BadCall("apiKeys.store(null secret)",
                (s, x) -> s.apiKeys().store("openai", "new", null, CHANGE)));
        calls.add(new BadCall("apiKeys.store(null change)",
                (s, x) -> s.apiKeys().store("openai", "new", Secret.of("s"), null)));
        calls.add(new BadCall("apiKeys.store(empty secret)",
                (s, x) -> s.apiKeys().store("openai", "new", Secret.of(""), CHANGE)));
        calls.add(new BadCall("apiKeys.rotate(null secret)",
                (s, x) -> s.apiKeys().rotate(x.key().id(), null, CHANGE)));
        calls.add(new BadCall("apiKeys.rotate(null change)",
                (s, x) -> s.apiKeys().rotate(x.key().id(), Secret.of("new"), null)));
        calls.add(new BadCall("apiKeys.deactivate(null change)",
                (s, x) -> s.apiKeys().deactivate(x.key().id(), null)));
        calls.add(new BadCall("apiKeys.activate(null change)", (s, x) -> s.apiKeys().activate(x.key().id(), null)));
        calls.add(new BadCall("apiKeys.delete(null change)", (s, x) -> s.apiKeys().delete(x.key().id(), null)));
        calls.add(new BadCall("documents.save(null content)",
                (s, x) -> s.documents().save("app", null, 1, x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.save(null change)",
                (s, x) -> s.documents().save("app", json(), 1, x.document().revision(), null)));
        calls.add(new BadCall("documents.saveValue(null value)",
                (s, x) -> s.documents().saveValue("app", null, x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.saveValue(null change)",
                (s, x) -> s.documents().saveValue("app", json(), x.document().revision(), null)));
        calls.add(new BadCall("documents.load(name, null type)",
                (s, x) -> s.documents().load("app", (Class<?>) null)));
        calls.add(new BadCall("documents.update(null function)",
                (s, x) -> s.documents().update("app", null, CHANGE)));
        calls.add(new BadCall("documents.update(null change)",
                (s, x) -> s.documents().update("app", doc -> doc.put("k", 1), null)));
        calls.add(new BadCall("documents.update(name, null type, fn)",
                (s, x) -> s.documents().update("app", (Class<ObjectNode>) null, doc -> doc, CHANGE)));
        calls.add(new BadCall("documents.update(name, type, null function)",
                (s, x) -> s.documents().update("app", ObjectNode.class, null, CHANGE)));
        calls.add(new BadCall("documents.update(name, type, fn, null change)",
                (s, x) -> s.documents().update("app", ObjectNode.class, doc -> doc, null)));
        calls.add(new BadCall("documents.update whose function returns null",
                (s, x) -> s.documents().update("app", doc -> null, CHANGE)));
        calls.add(new BadCall("documents.update(type) whose function returns null",
                (s, x) -> s.documents().update("app", ObjectNode.class, doc -> null, CHANGE)));
        calls.add(new BadCall("documents.delete(null change)",
                (s, x) -> s.documents().delete("app", x.document().revision(), null)));
        calls.add(new BadCall("inUnitOfWork(null)", (s, x) -> s.<Object, RuntimeException>inUnitOfWork(null)));
    }

    private static void addBadJson(List<BadCall> calls) {
        // The typed API only takes objects; text from a host goes through Json.parseObject, which must refuse.
        calls.add(new BadCall("providers.create with settings text that is not a JSON object",
                (s, x) -> s.providers().create(NewProviderConfig.of("openai", "new",
                        Json.parseObject("settings", "[1, 2]")), CHANGE)));
        calls.add(new BadCall("providers.create with null settings",
                (s, x) -> s.providers().create(NewProviderConfig.of("openai", "new", null), CHANGE)));
        calls.add(new BadCall("providers.create with settings nested too deep",
                (s, x) -> s.providers().create(NewProviderConfig.of("openai", "new", tooDeep()), CHANGE)));
        calls.add(new BadCall("providers.create with a NaN setting",
                (s, x) -> s.providers().create(NewProviderConfig.of("openai", "new", withNaN()), CHANGE)));
        calls.add(new BadCall("providers.update with settings nested too deep",
                (s, x) -> s.providers().update(x.provider().withSettings(tooDeep()), CHANGE)));
        calls.add(new BadCall("providers.update with an infinite setting",
                (s, x) -> s.providers().update(x.provider().withSettings(json().put("x",
                        Double.POSITIVE_INFINITY)), CHANGE)));
        calls.add(new BadCall("documents.save nested too deep",
                (s, x) -> s.documents().save("app", tooDeep(), 1, x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.save with NaN",
                (s, x) -> s.documents().save("app", withNaN(), 1, x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.save with a NUL character in a string",
                (s, x) -> s.documents().save("app", json("k", "a\u0000b"), 1, x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.save of a new document nested too deep",
                (s, x) -> s.documents().save("new", tooDeep(), 1, ConfigDocument.NO_REVISION, CHANGE)));
        calls.add(new BadCall("documents.saveValue of a value that is not a JSON object",
                (s, x) -> s.documents().saveValue("app", "just text", x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.saveValue of a list",
                (s, x) -> s.documents().saveValue("app", List.of(1, 2), x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.update whose function nests too deep",
                (s, x) -> s.documents().update("app", doc -> tooDeep(), CHANGE)));
        calls.add(new BadCall("documents.update whose function writes NaN",
                (s, x) -> s.documents().update("app", doc -> doc.put("x", Double.NaN), CHANGE)));
        calls.add(new BadCall("documents.update of a new document whose function writes NaN",
                (s, x) -> s.documents().update("new", doc -> doc.put("x", Double.NaN), CHANGE)));
    }

    /**
     * A lone UTF-16 surrogate has no UTF-8 form: a database would store {@code ?}, so two names would address one row
     * and content would read back changed. Every backend refuses it wherever text comes in.
     */
    private static void addTextThatIsNotUnicode(List<BadCall> calls) {
        String lone = "sk-\ud800";
        calls.add(new BadCall("a change whose actor has a lone surrogate",
                (s, x) -> s.documents().save("app", json(), 1, x.document().revision(), ChangeContext.by(lone))));
        calls.add(new BadCall("a change whose reason has a lone surrogate",
                (s, x) -> s.documents().save("app", json(), 1, x.document().revision(),
                        ChangeContext.by("actor", "why \udfff"))));
        calls.add(new BadCall("a change whose idempotency key has a lone surrogate",
                (s, x) -> s.documents().save("app", json(), 1, x.document().revision(),
                        ChangeContext.by("actor").withIdempotencyKey("key\ud800"))));
        calls.add(new BadCall("apiKeys.store of a secret with a lone surrogate",
                (s, x) -> s.apiKeys().store("openai", "new", Secret.of(lone), CHANGE)));
        calls.add(new BadCall("apiKeys.rotate to a secret with a lone surrogate",
                (s, x) -> s.apiKeys().rotate(x.key().id(), Secret.of("\udc00" + lone), CHANGE)));
        calls.add(new BadCall("documents.save with a lone surrogate in a string",
                (s, x) -> s.documents().save("app", json("k", lone), 1, x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.save with a lone surrogate in a nested key",
                (s, x) -> s.documents().save("new", json().set("outer", json("k\udbff", "v")), 1,
                        ConfigDocument.NO_REVISION, CHANGE)));
        calls.add(new BadCall("documents.saveValue of a map with a lone surrogate in a string",
                (s, x) -> s.documents().saveValue("app", Map.of("k", List.of("ok", lone)), x.document().revision(),
                        CHANGE)));
        calls.add(new BadCall("documents.update whose function writes a lone surrogate",
                (s, x) -> s.documents().update("app", doc -> doc.put("k\ud800", "v"), CHANGE)));
        calls.add(new BadCall("providers.create with a lone surrogate in a setting",
                (s, x) -> s.providers().create(NewProviderConfig.of("openai", "new", json("url", lone)), CHANGE)));
        calls.add(new BadCall("providers.update with a lone surrogate in a setting's key",
                (s, x) -> s.providers().update(x.provider().withSettings(json("\udc00", "v")), CHANGE)));
    }

    /**
     * Host values nested deeper than {@link Json#MAX_DEPTH}, or containing themselves, are refused at the limit
     * instead of recursing until the stack overflows.
     */
    private static void addValuesNestedTooDeep(List<BadCall> calls) {
        calls.add(new BadCall("documents.saveValue of a map that contains itself",
                (s, x) -> s.documents().saveValue("app", mapContainingItself(), x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.saveValue of a map nested 100,000 deep",
                (s, x) -> s.documents().saveValue("app", mapNested(100_000), x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.saveValue of a new document holding a list that contains itself",
                (s, x) -> s.documents().saveValue("new", Map.of("list", listContainingItself()),
                        ConfigDocument.NO_REVISION, CHANGE)));
        calls.add(new BadCall("documents.update(type) whose function returns a map that contains itself",
                (s, x) -> s.documents().update("app", Map.class, doc -> mapContainingItself(), CHANGE)));
        calls.add(new BadCall("documents.save of a tree nested 100,000 deep built in code",
                (s, x) -> s.documents().save("app", treeNested(100_000), 1, x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.save of a tree that contains itself",
                (s, x) -> {
                    ObjectNode loop = json();
                    loop.set("loop", loop);
                    s.documents().save("app", loop, 1, x.document().revision(), CHANGE);
                }));
        calls.add(new BadCall("providers.create with settings nested 100,000 deep built in code",
                (s, x) -> s.providers().create(NewProviderConfig.of("openai", "new", treeNested(100_000)), CHANGE)));
    }

    private static Map<String, Object> mapContainingItself() {
        Map<String, Object> map = new HashMap<>();
        map.put("self", map);
        return map;
    }

    private static Map<String, Object> mapNested(int depth) {
        Map<String, Object> root = new HashMap<>();
        Map<String, Object> node = root;
        for (int i = 0; i < depth; i++) {
            Map<String, Object> child = new HashMap<>();
            node.put("d", child);
            node = child;
        }
        return root;
    }

    private static List<Object> listContainingItself() {
        List<Object> list = new ArrayList<>();
        list.add(list);
        return list;
    }

    private static ObjectNode treeNested(int depth) {
        ObjectNode root = json();
        ObjectNode node = root;
        for (int i = 0; i < depth; i++) {
            node = node.putObject("d");
        }
        return root;
    }

    private static void addBadNumbers(List<BadCall> calls) {
        calls.add(new BadCall("documents.save with format version 0",
                (s, x) -> s.documents().save("app", json(), 0, x.document().revision(), CHANGE)));
        calls.add(new BadCall("documents.save with a negative expected revision",
                (s, x) -> s.documents().save("app", json(), 1, -1, CHANGE)));
        calls.add(new BadCall("documents.saveValue with a negative expected revision",
                (s, x) -> s.documents().saveValue("app", json(), -1, CHANGE)));
        calls.add(new BadCall("documents.delete with a negative expected revision",
                (s, x) -> s.documents().delete("app", -1, CHANGE)));
    }

    /** An object nested one level deeper than {@link Json#MAX_DEPTH} allows. */
    private static ObjectNode tooDeep() {
        ObjectNode root = json();
        ObjectNode node = root;
        for (int i = 0; i <= Json.MAX_DEPTH + 1; i++) {
            node = node.putObject("d");
        }
        return root;
    }

    private static ObjectNode withNaN() {
        return json("ok", "yes").put("x", Double.NaN);
    }

    /** A value as it appears in a test name: quoted, control characters escaped, long ones shortened. */
    private static String shown(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() > 20) {
            return "'" + value.charAt(0) + "' x " + value.length();
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            out.append(Character.isISOControl(c) || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('"').toString();
    }
}
