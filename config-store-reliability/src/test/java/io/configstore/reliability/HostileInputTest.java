package io.configstore.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.MasterKeys;
import io.configstore.crypto.Secret;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.error.ConfigStoreException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import io.configstore.testkit.PostgresTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded generator throws 10,000 hostile inputs per backend at the public methods of the three stores (and at a
 * unit of work, tenants, change contexts, the effective-configuration loader with bad flags and environment values,
 * master keys from bad environment values, and stored ciphertexts corrupted underneath the store): only the
 * library's own exceptions ({@code io.configstore.error.*}) may come out, and after every rejection a full dump of
 * the store equals the one before. An accepted input (hostile but legal) becomes the new expected state.
 */
class HostileInputTest {
    private static final long SEED = 0xbad_1dea5L;
    private static final int INPUTS = 10_000;
    private static final ChangeContext CHANGE = ChangeContext.by("hostile-test");
    /** What a caller's own update function throws: it must come back unchanged, and the write must not happen. */
    private static final IllegalStateException CALLERS_OWN = new IllegalStateException("the caller's function fails");

    @TempDir
    Path dir;

    @Test
    void sqlite_rejects_hostile_input_with_its_own_exceptions_and_changes_nothing() throws Exception {
        attack(Backends.SQLITE);
    }

    @Test
    void file_store_rejects_hostile_input_with_its_own_exceptions_and_changes_nothing() throws Exception {
        attack(Backends.FILE);
    }

    @Test
    void postgres_rejects_hostile_input_with_its_own_exceptions_and_changes_nothing() throws Exception {
        attack(Backends.POSTGRES);
    }

    @Test
    void corrupted_files_fail_to_open_with_a_storage_exception() throws Exception {
        Random random = new Random(SEED);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[random.nextInt(8192) + 1];
            random.nextBytes(garbage);
            Path db = dir.resolve("garbage" + i + ".db");
            Files.write(db, garbage);
            assertOwnException(() -> Backends.SQLITE.open(db.toString()).close());
            Path store = Files.createDirectories(dir.resolve("garbage-store" + i));
            Files.write(store.resolve("configstore.json"), garbage);
            assertOwnException(() -> Backends.FILE.open(store.toString()).close());
            Path keyFile = dir.resolve("garbage" + i + ".key");
            Files.write(keyFile, garbage);
            assertOwnException(() -> MasterKeys.builder().keyFile(keyFile).build().load());
        }
    }

    private void attack(Backends backend) throws Exception {
        String location = backend.newLocation(dir, "hostile");
        Random random = new Random(SEED + backend.ordinal());
        Hostile hostile = new Hostile(random);
        try (StoreSet stores = backend.open(location)) {
            ProviderConfig provider = stores.providers().create(NewProviderConfig.of("openai", "main",
                    Json.object().put("url", "https://api.openai.com")).asDefault(), CHANGE);
            String keyId = stores.apiKeys().store("openai", "main", Secret.of("sk-original"), CHANGE).id();
            stores.documents().save("app", Json.object().put("port", 8080), 1, ConfigDocument.NO_REVISION, CHANGE);
            String corruptKeyId = stores.apiKeys().store("openai", "corrupt", Secret.of("sk-corrupt"), CHANGE).id();
            corruptCiphertext(backend, location, corruptKeyId);

            Map<String, Object> expected = dump(stores);
            int rejected = 0;
            for (int i = 0; i < INPUTS; i++) {
                int method = random.nextInt(31);
                String where = backend + " input " + i + " (method " + method + ")";
                try {
                    call(method, stores, hostile, provider, keyId, corruptKeyId);
                    trim(stores, provider.id(), keyId, corruptKeyId);
                    expected = dump(stores);
                } catch (ConfigStoreException e) {
                    rejected++;
                    assertThat(e.getMessage()).as(where).isNotBlank().doesNotContain("sk-original", "sk-corrupt");
                    assertThat(dump(stores)).as("%s left the store unchanged after %s", where, e).isEqualTo(expected);
                } catch (IllegalStateException e) {
                    assertThat(e).as(where).isSameAs(CALLERS_OWN);
                    assertThat(dump(stores)).as("%s left the store unchanged", where).isEqualTo(expected);
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(where + " threw " + e + ", not one of io.configstore.error.*", e);
                }
            }
            System.out.printf("%s: %d hostile inputs, %d rejected%n", backend, INPUTS, rejected);
            assertThat(rejected).as("most hostile inputs are rejected").isGreaterThan(INPUTS / 2);
        } finally {
            backend.drop(location);
        }
    }

    /** One hostile call; {@code method} picks which public method. */
    private static void call(int method, StoreSet stores, Hostile h, ProviderConfig provider, String keyId,
                             String corruptKeyId) {
        TenantStores t = h.random.nextInt(10) == 0 ? stores.forTenant(h.text()) : stores;
        switch (method) {
            case 0 -> t.documents().load(h.text());
            case 1 -> t.documents().load(h.text(), Map.class);
            case 2 -> t.documents().save(h.text(), h.json(), h.formatVersion(), h.revision(), h.change());
            case 3 -> t.documents().saveValue(h.text(), h.value(), h.revision(), h.change());
            case 4 -> t.documents().update(h.pick("app", h.text()), h.function(), h.change());
            case 5 -> t.documents().delete(h.pick("app", h.text()), h.revision(), h.change());
            case 6 -> t.providers().create(NewProviderConfig.of(h.text(), h.text(), h.json()), h.change());
            case 7 -> t.providers().get(h.id());
            case 8 -> t.providers().listByType(h.text());
            case 9 -> t.providers().listByName(h.text());
            case 10 -> t.providers().update(new ProviderConfig(provider.id(), provider.tenantId(), h.text(),
                    h.text(), h.json(), provider.isDefault(), provider.enabled(), h.random.nextInt(),
                    h.revision(), provider.createdAt(), provider.updatedAt(), provider.changedBy(),
                    provider.changeReason()), h.change());
            case 11 -> t.providers().delete(h.id(), h.change());
            case 12 -> t.providers().setDefault(h.id(), h.change());
            case 13 -> t.providers().getDefault(h.text());
            case 14 -> t.providers().resolve(h.text());
            case 15 -> t.apiKeys().store(h.text(), h.text(), h.secret(), h.change());
            case 16 -> t.apiKeys().get(h.id());
            case 17 -> t.apiKeys().listByType(h.text());
            case 18 -> t.apiKeys().reveal(h.pick(corruptKeyId, h.id())).close();
            case 19 -> t.apiKeys().findActive(h.text());
            case 20 -> t.apiKeys().rotate(h.pick(keyId, h.id()), h.secret(), h.change());
            case 21 -> t.apiKeys().deactivate(h.id(), h.change());
            case 22 -> t.apiKeys().activate(h.id(), h.change());
            case 23 -> t.apiKeys().delete(h.id(), h.change());
            case 24 -> t.apiKeys().recordUsage(h.id());
            case 25 -> stores.inUnitOfWork(tx -> {
                // A good write first: the hostile one after it must roll both back.
                tx.documents().update("app", doc -> doc.put("port", doc.path("port").asInt() + 1), CHANGE);
                tx.providers().create(NewProviderConfig.of(h.text(), h.text(), h.json()), h.change());
                return null;
            });
            case 26 -> EffectiveConfigLoader.builder(h.pick("app", h.text())).commandLine(h.flags())
                    .build().loadEffective(t.documents());
            case 27 -> EffectiveConfigLoader.builder("app").environment(h.environment(), h.text(),
                    io.configstore.effective.UnknownKeys.values()[h.random.nextInt(
                            io.configstore.effective.UnknownKeys.values().length)])
                    .build().loadEffective(t.documents());
            case 28 -> MasterKeys.builder().environment(h.environment()::get).build().load();
            case 29 -> t.providers().createAll(java.util.Arrays.asList(NewProviderConfig.of("openai", "batch-ok",
                    h.json()), h.random.nextInt(5) == 0 ? null : NewProviderConfig.of(h.text(), h.text(), h.json())),
                    h.change());
            default -> ChangeContext.by(h.text(), h.text());
        }
    }

    /**
     * Deletes what accepted (hostile but legal) inputs created once there is much of it, keeping the seeded rows,
     * so that the full dump after every input stays cheap.
     */
    private static void trim(StoreSet stores, String providerId, String keyId, String corruptKeyId) {
        int rows = 0;
        for (String tenant : stores.tenantIds()) {
            TenantStores t = stores.forTenant(tenant);
            rows += t.documents().names().size() + t.providers().list().size() + t.apiKeys().list().size();
        }
        if (rows < 40) {
            return;
        }
        for (String tenant : stores.tenantIds()) {
            TenantStores t = stores.forTenant(tenant);
            for (String name : t.documents().names()) {
                if (!(tenant.equals(TenantStores.DEFAULT_TENANT) && name.equals("app"))) {
                    t.documents().delete(name, t.documents().load(name).orElseThrow().revision(), CHANGE);
                }
            }
            for (var key : t.apiKeys().list()) {
                if (!key.id().equals(keyId) && !key.id().equals(corruptKeyId)) {
                    t.apiKeys().delete(key.id(), CHANGE);
                }
            }
            for (ProviderConfig other : t.providers().list()) {
                if (!other.id().equals(providerId)) {
                    t.providers().delete(other.id(), CHANGE);
                }
            }
        }
    }

    /** Providers, keys and documents of every tenant, read through the public methods. */
    private static Map<String, Object> dump(StoreSet stores) {
        Map<String, Object> all = new TreeMap<>();
        for (String tenant : stores.tenantIds()) {
            TenantStores t = stores.forTenant(tenant);
            all.put(tenant + "/providers", t.providers().list());
            all.put(tenant + "/keys", t.apiKeys().list());
            Map<String, ConfigDocument> documents = new TreeMap<>();
            for (String name : t.documents().names()) {
                documents.put(name, t.documents().load(name).orElseThrow());
            }
            all.put(tenant + "/documents", documents);
        }
        return all;
    }

    /** Alters a stored ciphertext underneath the store (SQL backends; the file store's is in its JSON file). */
    private static void corruptCiphertext(Backends backend, String location, String keyId) throws Exception {
        String sql = "UPDATE api_keys SET ciphertext = substr(ciphertext, 1, length(ciphertext) - 4) || 'AAAA'"
                + " WHERE id = ?";
        switch (backend) {
            case SQLITE -> {
                try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + location);
                     PreparedStatement update = connection.prepareStatement(sql)) {
                    update.setString(1, keyId);
                    assertThat(update.executeUpdate()).isEqualTo(1);
                }
            }
            case POSTGRES -> {
                try (Connection connection = PostgresTestServer.admin();
                     PreparedStatement update = connection.prepareStatement(
                             sql.replace("UPDATE api_keys", "UPDATE \"" + location + "\".api_keys"))) {
                    update.setString(1, keyId);
                    assertThat(update.executeUpdate()).isEqualTo(1);
                }
            }
            default -> {
                // The file store keeps its rows in memory between reloads; its file corruption is tested above.
            }
        }
    }

    private static void assertOwnException(ThrowingRunnable call) {
        try {
            call.run();
            throw new AssertionError("a corrupted input was accepted");
        } catch (ConfigStoreException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (Exception e) {
            throw new AssertionError("threw " + e + ", not one of io.configstore.error.*", e);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The seeded generator of hostile values. */
    private static final class Hostile {
        final Random random;

        Hostile(Random random) {
            this.random = random;
        }

        <T> T pick(T usual, T hostile) {
            return random.nextInt(3) == 0 ? usual : hostile;
        }

        String text() {
            return switch (random.nextInt(16)) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> "   ";
                case 3 -> "x".repeat(100_000);
                case 4 -> "a\u0000b";
                case 5 -> "line\nbreak\r\t\u0007";
                case 6 -> "'; DROP TABLE provider_configs; --";
                case 7 -> "../../etc/passwd";
                case 8 -> "\uD800";
                case 9 -> "\u202Eevil\u202C";
                case 10 -> "%s%n%d{}${jndi:ldap://x}";
                case 11 -> "name with spaces";
                case 12 -> "😀".repeat(random.nextInt(300) + 1);
                case 13 -> "ok-" + random.nextInt(20);
                case 14 -> randomChars(random.nextInt(64) + 1);
                default -> "\\\"{}[]";
            };
        }

        private String randomChars(int length) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.append((char) random.nextInt(0x3000));
            }
            return text.toString();
        }

        String id() {
            return switch (random.nextInt(4)) {
                case 0 -> UUID.randomUUID().toString();
                case 1 -> UUID.randomUUID().toString().toUpperCase();
                default -> text();
            };
        }

        ObjectNode json() {
            return switch (random.nextInt(8)) {
                case 0 -> null;
                case 1 -> {
                    ObjectNode root = Json.object();
                    ObjectNode node = root;
                    for (int i = 0; i < 5_000; i++) {
                        node = node.putObject("n");
                    }
                    yield root;
                }
                case 2 -> Json.object().put("bad\u0000key", "v");
                case 3 -> Json.object().put("v", "nul\u0000");
                case 4 -> Json.object().put("nan", Double.NaN).put("inf", Double.POSITIVE_INFINITY);
                case 5 -> Json.object().put("big", "y".repeat(200_000));
                case 6 -> Json.object().put(text() == null ? "k" : "k", text());
                default -> Json.object().put("ok", random.nextInt());
            };
        }

        Object value() {
            return switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> new Object();
                case 2 -> List.of(text() == null ? "x" : "y");
                default -> Map.of("k", random.nextInt());
            };
        }

        int formatVersion() {
            return random.nextInt(3) == 0 ? 1 : random.nextInt();
        }

        long revision() {
            return switch (random.nextInt(5)) {
                case 0 -> -1;
                case 1 -> Long.MIN_VALUE;
                case 2 -> Long.MAX_VALUE;
                case 3 -> ConfigDocument.NO_REVISION;
                default -> random.nextInt(5);
            };
        }

        ChangeContext change() {
            return random.nextInt(4) == 0 ? null : random.nextInt(3) == 0 ? ChangeContext.by(text(), text()) : CHANGE;
        }

        Secret secret() {
            return switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> Secret.of(text());
                case 2 -> Secret.of("s".repeat(1_000_000));
                default -> Secret.of("sk-" + random.nextInt());
            };
        }

        UnaryOperator<ObjectNode> function() {
            return switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> doc -> null;
                case 2 -> doc -> {
                    throw CALLERS_OWN;
                };
                default -> doc -> json();
            };
        }

        List<String> flags() {
            List<String> flags = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                flags.add(switch (random.nextInt(6)) {
                    case 0 -> "--" + text();
                    case 1 -> "--server.port=" + text();
                    case 2 -> "-x";
                    case 3 -> "--=";
                    case 4 -> "--a..b=1";
                    default -> String.valueOf(text());
                });
            }
            return flags;
        }

        Map<String, String> environment() {
            Map<String, String> environment = new HashMap<>();
            String value = text();
            if (value != null) {
                // CONFIGSTORE_MASTER_KEY_FILE with a NUL character once escaped as a raw InvalidPathException.
                environment.put(switch (random.nextInt(4)) {
                    case 0 -> MasterKeys.ENV_KEY;
                    case 1 -> MasterKeys.ENV_PASSWORD;
                    case 2 -> MasterKeys.ENV_KEY_FILE;
                    default -> "APP_SERVER__PORT";
                }, value);
            }
            if (random.nextBoolean()) {
                environment.put(MasterKeys.ENV_KEY, new String(new byte[] {(byte) random.nextInt()},
                        StandardCharsets.ISO_8859_1));
            }
            return environment;
        }
    }
}
