package io.configstore.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.KdfParameters;
import io.configstore.crypto.KeyRing;
import io.configstore.crypto.MasterKey;
import io.configstore.crypto.PasswordKeyDerivation;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.error.ConfigStoreException;
import io.configstore.error.CryptoException;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ConfigDocument;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Exports every tenant of a store set to a portable, versioned JSON bundle, and imports one into any backend.
 *
 * <h2>The bundle</h2>
 * A JSON object: {@code format} ({@value #FORMAT}), {@code formatVersion} ({@value #FORMAT_VERSION}),
 * {@code exportedAt}, {@code encryption} (the key-derivation parameters and salt as a PHC string, the cipher), and
 * {@code tenants}, each with its {@code providers} (type, name, settings, default, enabled, priority),
 * {@code documents} (name, format version, content) and {@code apiKeys} (type, name, active, and the metadata that
 * cannot be imported, for the record: created, updated and last used times, who changed it last and why). Each API key's
 * secret is re-encrypted under a key derived from the export password (Argon2id, AES-256-GCM bound to its tenant, type
 * and name); a bundle never holds plaintext, nor anything the store's own master key encrypted (the store API cannot
 * write a ciphertext as it is, so the secrets cannot stay under the store's key).
 *
 * <h2>Import</h2>
 * Idempotent by natural keys: (tenant, type, name) for providers, (tenant, type, key name) for API keys, (tenant,
 * name) for documents. Entries the target holds already are skipped and counted, or make the whole import fail
 * ({@link OnExisting}). Every secret is decrypted before anything is written, so a wrong password writes nothing.
 * The writes run in one unit of work; in {@link OnExisting#SKIP} mode an entry that cannot be written is reported as
 * failed with the reason and the others are still written, in {@link OnExisting#FAIL} mode it undoes everything.
 * A bundle's default provider becomes the default of its type only when the target had no provider of that type.
 */
public final class StoreBundle {
    /** The value of the bundle's {@code format} field. */
    public static final String FORMAT = "configstore-bundle";
    /** The bundle format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The shortest export password accepted. */
    public static final int MIN_PASSWORD_LENGTH = 8;
    private static final String EXPORT_KEY_ID = "export";
    private static final String BINDING_ROW = "bundle";
    private static final String PROVIDER = "provider";
    private static final String API_KEY = "apiKey";
    private static final String DOCUMENT = "document";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreBundle() {
    }

    /** Told as an import or export goes, entry by entry. */
    @FunctionalInterface
    public interface Progress {
        /** A no-op. */
        Progress NONE = (done, total) -> { };

        /** {@code done} of {@code total} entries are handled. */
        void onEntry(int done, int total);
    }

    /**
     * Exports every tenant ({@link StoreSet#tenantIds()}) in one consistent read (a unit of work), with the API keys'
     * secrets re-encrypted under {@code password}.
     *
     * @param password at least {@value #MIN_PASSWORD_LENGTH} characters; copied, clear your own array
     * @throws ValidationException when the password is too short
     * @throws CryptoException when a stored secret cannot be decrypted with the store's master key
     */
    public static ObjectNode export(StoreSet stores, char[] password, Progress progress) {
        Arguments.requireNonNull("stores", stores);
        Arguments.requireNonNull("progress", progress);
        requirePassword(password);
        KdfParameters kdf = KdfParameters.argon2idDefaults();
        KeyRing ring = ring(password, kdf);
        ObjectNode bundle = JSON.objectNode();
        bundle.put("format", FORMAT);
        bundle.put("formatVersion", FORMAT_VERSION);
        bundle.put("exportedAt", Instant.now().toString());
        ObjectNode encryption = bundle.putObject("encryption");
        encryption.put("kdf", kdf.toPhcString());
        encryption.put("cipher", "AES-256-GCM");
        encryption.put("keyId", EXPORT_KEY_ID);
        ArrayNode tenants = bundle.putArray("tenants");
        stores.inUnitOfWork(tx -> {
            tenants.removeAll(); // a backend may run the unit again
            List<String> ids = stores.tenantIds();
            for (String tenantId : ids) {
                tenants.add(exportTenant(stores.forTenant(tenantId), ring, progress));
            }
            return null;
        });
        return bundle;
    }

    private static ObjectNode exportTenant(TenantStores tenant, KeyRing ring, Progress progress) {
        ObjectNode out = JSON.objectNode();
        out.put("id", tenant.tenantId());
        List<ProviderConfig> providers = tenant.providers().list();
        List<ApiKeyMetadata> keys = tenant.apiKeys().list();
        List<String> documents = tenant.documents().names();
        int total = providers.size() + keys.size() + documents.size();
        int done = 0;
        ArrayNode providerArray = out.putArray("providers");
        for (ProviderConfig provider : providers) {
            ObjectNode node = providerArray.addObject();
            node.put("providerType", provider.providerType());
            node.put("name", provider.name());
            node.set("settings", provider.settings());
            node.put("isDefault", provider.isDefault());
            node.put("enabled", provider.enabled());
            node.put("priority", provider.priority());
            progress.onEntry(++done, total);
        }
        ArrayNode documentArray = out.putArray("documents");
        for (String name : documents) {
            Optional<ConfigDocument> document = tenant.documents().load(name);
            if (document.isPresent()) {
                ObjectNode node = documentArray.addObject();
                node.put("name", name);
                node.put("formatVersion", document.get().formatVersion());
                node.set("content", document.get().content());
            }
            progress.onEntry(++done, total);
        }
        ArrayNode keyArray = out.putArray("apiKeys");
        for (ApiKeyMetadata key : keys) {
            ObjectNode node = keyArray.addObject();
            node.put("providerType", key.providerType());
            node.put("keyName", key.keyName());
            node.put("active", key.active());
            try (Secret secret = tenant.apiKeys().reveal(key.id())) {
                node.put("secret", ring.encrypt(secret, binding(tenant.tenantId(), key.providerType(), key.keyName())));
            }
            ObjectNode metadata = node.putObject("metadata");
            metadata.put("version", key.version());
            metadata.put("createdAt", key.createdAt().toString());
            metadata.put("updatedAt", key.updatedAt().toString());
            metadata.put("lastUsedAt", key.lastUsedAt() == null ? null : key.lastUsedAt().toString());
            metadata.put("changedBy", key.changedBy());
            metadata.put("changeReason", key.changeReason());
            progress.onEntry(++done, total);
        }
        return out;
    }

    /**
     * Imports a bundle into {@code target}, or, as a dry run, reports what an import would do.
     *
     * @param password the export password the bundle was written with; copied, clear your own array
     * @return what was done (or would be), entry by entry
     * @throws ValidationException when the bundle is malformed or of another format version
     * @throws CryptoException when the password is wrong or the bundle was altered: nothing is written
     * @throws DuplicateException in {@link OnExisting#FAIL} mode, when the target holds any of the entries (listed):
     *     nothing is written
     */
    public static ImportReport importInto(StoreSet target, JsonNode bundle, char[] password, ImportOptions options,
                                          Progress progress) {
        Arguments.requireNonNull("target", target);
        Arguments.requireNonNull("options", options);
        Arguments.requireNonNull("progress", progress);
        Arguments.requireNonNull("password", password);
        List<Entry> entries = readEntries(bundle);
        KdfParameters kdf = readKdf(bundle);
        Map<Entry, Secret> secrets = new HashMap<>();
        try {
            KeyRing ring = ring(password, kdf);
            for (Entry entry : entries) {
                if (entry.entity().equals(API_KEY)) {
                    secrets.put(entry, decrypt(ring, entry));
                }
            }
            return importEntries(target, entries, secrets, options, progress);
        } finally {
            secrets.values().forEach(Secret::destroy);
        }
    }

    /**
     * Copies every tenant of {@code source} into {@code target}: an export and an import in memory, the secrets
     * re-encrypted in between under a random password that never leaves the process.
     *
     * @see #importInto
     */
    public static ImportReport copy(StoreSet source, StoreSet target, ImportOptions options, Progress progress) {
        char[] password = randomPassword();
        try {
            ObjectNode bundle = export(source, password, Progress.NONE);
            return importInto(target, bundle, password, options, progress);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** One entry of a bundle: its natural key and its JSON. */
    private record Entry(String tenantId, String entity, String type, String name, ObjectNode node) {
        String key() {
            return type == null ? name : type + "/" + name;
        }

        ImportItem item(ImportItem.Outcome outcome, String detail) {
            return new ImportItem(tenantId, entity, key(), outcome, detail);
        }
    }

    private static ImportReport importEntries(StoreSet target, List<Entry> entries, Map<Entry, Secret> secrets,
                                              ImportOptions options, Progress progress) {
        // Plan from a read of the target: which entries exist, and which types have no provider yet.
        Map<Entry, String> existing = new HashMap<>();
        Set<String> typesWithoutProvider = new HashSet<>();
        for (Entry entry : entries) {
            TenantStores tenant = target.forTenant(entry.tenantId());
            existing(tenant, entry, secrets.get(entry)).ifPresent(detail -> existing.put(entry, detail));
            if (entry.entity().equals(PROVIDER) && tenant.providers().getDefault(entry.type()).isEmpty()) {
                typesWithoutProvider.add(entry.tenantId() + "\u0000" + entry.type());
            }
        }
        if (options.onExisting() == OnExisting.FAIL && !existing.isEmpty()) {
            throw new DuplicateException("the target holds " + existing.size() + " of the bundle's entries already ("
                    + existing.keySet().stream().limit(10).map(entry -> entry.entity() + " " + entry.key()
                            + " in tenant " + entry.tenantId()).collect(Collectors.joining(", "))
                    + (existing.size() > 10 ? ", ..." : "") + "); nothing was imported: import with skip to keep"
                    + " the target's entries, or import into an empty store");
        }
        if (options.dryRun()) {
            List<ImportItem> items = new ArrayList<>();
            for (Entry entry : entries) {
                items.add(existing.containsKey(entry)
                        ? entry.item(ImportItem.Outcome.SKIPPED, existing.get(entry))
                        : entry.item(ImportItem.Outcome.IMPORTED, ""));
            }
            return new ImportReport(true, items);
        }
        List<ImportItem> items = target.inUnitOfWork(tx -> {
            List<ImportItem> done = new ArrayList<>();
            for (Entry entry : entries) {
                if (existing.containsKey(entry)) {
                    done.add(entry.item(ImportItem.Outcome.SKIPPED, existing.get(entry)));
                } else if (options.onExisting() == OnExisting.FAIL) {
                    write(target, entry, secrets.get(entry), typesWithoutProvider, options);
                    done.add(entry.item(ImportItem.Outcome.IMPORTED, ""));
                } else {
                    try {
                        // A savepoint: a failing entry undoes only itself.
                        target.inUnitOfWork(inner -> {
                            write(target, entry, secrets.get(entry), typesWithoutProvider, options);
                            return null;
                        });
                        done.add(entry.item(ImportItem.Outcome.IMPORTED, ""));
                    } catch (ConfigStoreException e) {
                        done.add(entry.item(ImportItem.Outcome.FAILED, e.getMessage()));
                    }
                }
                progress.onEntry(done.size(), entries.size());
            }
            return done;
        });
        return new ImportReport(false, items);
    }

    private static void write(StoreSet target, Entry entry, Secret secret, Set<String> typesWithoutProvider,
                              ImportOptions options) {
        TenantStores tenant = target.forTenant(entry.tenantId());
        ObjectNode node = entry.node();
        switch (entry.entity()) {
            case PROVIDER -> {
                NewProviderConfig config = new NewProviderConfig(entry.type(), entry.name(),
                        object(node, "settings", entry), false, bool(node, "enabled", entry),
                        integer(node, "priority", entry));
                if (bool(node, "isDefault", entry)
                        && typesWithoutProvider.contains(entry.tenantId() + "\u0000" + entry.type())) {
                    config = config.asDefault();
                }
                tenant.providers().create(config, options.change());
            }
            case API_KEY -> {
                ApiKeyMetadata stored = tenant.apiKeys().store(entry.type(), entry.name(), secret, options.change());
                if (!bool(node, "active", entry)) {
                    tenant.apiKeys().deactivate(stored.id(), options.change());
                }
            }
            default -> tenant.documents().save(entry.name(), object(node, "content", entry),
                    integer(node, "formatVersion", entry), ConfigDocument.NO_REVISION, options.change());
        }
    }

    /** When the target holds the entry: whether it is identical, or how it differs. */
    private static Optional<String> existing(TenantStores tenant, Entry entry, Secret secret) {
        ObjectNode node = entry.node();
        switch (entry.entity()) {
            case PROVIDER -> {
                Optional<ProviderConfig> found = tenant.providers().listByType(entry.type()).stream()
                        .filter(provider -> provider.name().equals(entry.name())).findFirst();
                return found.map(provider -> differences(
                        difference("settings", !provider.settings().equals(node.get("settings"))),
                        difference("enabled", provider.enabled() != bool(node, "enabled", entry)),
                        difference("priority", provider.priority() != integer(node, "priority", entry)),
                        difference("default", provider.isDefault() != bool(node, "isDefault", entry))));
            }
            case API_KEY -> {
                Optional<ApiKeyMetadata> found = tenant.apiKeys().listByType(entry.type()).stream()
                        .filter(key -> key.keyName().equals(entry.name())).findFirst();
                return found.map(key -> differences(
                        difference("secret", !sameSecret(tenant, key, secret)),
                        difference("active", key.active() != bool(node, "active", entry))));
            }
            default -> {
                Optional<ConfigDocument> found = tenant.documents().load(entry.name());
                return found.map(document -> differences(
                        difference("content", !document.content().equals(node.get("content"))),
                        difference("formatVersion",
                                document.formatVersion() != integer(node, "formatVersion", entry))));
            }
        }
    }

    private static boolean sameSecret(TenantStores tenant, ApiKeyMetadata key, Secret secret) {
        try (Secret stored = tenant.apiKeys().reveal(key.id())) {
            return stored.equals(secret);
        } catch (CryptoException e) {
            return false;
        }
    }

    private static String difference(String field, boolean differs) {
        return differs ? field : null;
    }

    private static String differences(String... fields) {
        List<String> differing = Arrays.stream(fields).filter(field -> field != null).toList();
        return differing.isEmpty() ? "exists, identical" : "exists, differs in " + String.join(", ", differing);
    }

    private static List<Entry> readEntries(JsonNode bundle) {
        if (bundle == null || !bundle.isObject()) {
            throw new ValidationException("the bundle is not a JSON object; give a file written by export");
        }
        if (!FORMAT.equals(bundle.path("format").asText(null))) {
            throw new ValidationException("the file is not a configstore bundle (its format is not '" + FORMAT
                    + "'); give a file written by export");
        }
        int version = bundle.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ValidationException("the bundle has format version " + version + "; this version of"
                    + " configstore reads version " + FORMAT_VERSION + (version > FORMAT_VERSION
                    ? ": import it with a newer configstore" : ""));
        }
        JsonNode tenants = bundle.get("tenants");
        if (tenants == null || !tenants.isArray()) {
            throw new ValidationException("the bundle has no 'tenants' array; it is damaged");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode tenant : tenants) {
            String tenantId = text(tenant, "id", "a tenant");
            Arguments.requireTenantId(tenantId);
            for (JsonNode provider : array(tenant, "providers", tenantId)) {
                entries.add(new Entry(tenantId, PROVIDER, text(provider, "providerType", "a provider"),
                        text(provider, "name", "a provider"), (ObjectNode) provider));
            }
            for (JsonNode document : array(tenant, "documents", tenantId)) {
                entries.add(new Entry(tenantId, DOCUMENT, null, text(document, "name", "a document"),
                        (ObjectNode) document));
            }
            for (JsonNode key : array(tenant, "apiKeys", tenantId)) {
                entries.add(new Entry(tenantId, API_KEY, text(key, "providerType", "an API key"),
                        text(key, "keyName", "an API key"), (ObjectNode) key));
            }
        }
        return entries;
    }

    private static KdfParameters readKdf(JsonNode bundle) {
        String phc = bundle.path("encryption").path("kdf").asText(null);
        if (phc == null) {
            throw new ValidationException("the bundle has no encryption.kdf; it is damaged");
        }
        return KdfParameters.parse(phc);
    }

    private static Secret decrypt(KeyRing ring, Entry entry) {
        String stored = text(entry.node(), "secret", "API key " + entry.key());
        try {
            return ring.decrypt(stored, binding(entry.tenantId(), entry.type(), entry.name()));
        } catch (CryptoException e) {
            throw new CryptoException("cannot decrypt API key " + entry.key() + " of tenant " + entry.tenantId()
                    + " in the bundle: the export password is wrong, or the bundle was altered; nothing was"
                    + " imported: give the password the bundle was exported with");
        }
    }

    private static Iterable<JsonNode> array(JsonNode tenant, String field, String tenantId) {
        JsonNode array = tenant.get(field);
        if (array == null || !array.isArray()) {
            throw new ValidationException("tenant '" + tenantId + "' of the bundle has no '" + field + "' array;"
                    + " the bundle is damaged");
        }
        for (JsonNode element : array) {
            if (!element.isObject()) {
                throw new ValidationException("an entry of '" + field + "' in tenant '" + tenantId + "' is not a"
                        + " JSON object; the bundle is damaged");
            }
        }
        return array;
    }

    private static String text(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new ValidationException(what + " in the bundle has no text field '" + field + "'; the bundle is"
                    + " damaged");
        }
        return value.asText();
    }

    private static boolean bool(JsonNode node, String field, Entry entry) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw new ValidationException(entry.entity() + " " + entry.key() + " in the bundle has no boolean '"
                    + field + "'; the bundle is damaged");
        }
        return value.asBoolean();
    }

    private static int integer(JsonNode node, String field, Entry entry) {
        JsonNode value = node.get(field);
        if (value == null || !value.isInt()) {
            throw new ValidationException(entry.entity() + " " + entry.key() + " in the bundle has no integer '"
                    + field + "'; the bundle is damaged");
        }
        return value.asInt();
    }

    private static ObjectNode object(JsonNode node, String field, Entry entry) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw new ValidationException(entry.entity() + " " + entry.key() + " in the bundle has no object '"
                    + field + "'; the bundle is damaged");
        }
        return ((ObjectNode) value).deepCopy();
    }

    private static SecretBinding binding(String tenantId, String providerType, String keyName) {
        return new SecretBinding(tenantId, providerType, keyName, BINDING_ROW);
    }

    private static KeyRing ring(char[] password, KdfParameters kdf) {
        char[] copy = password.clone();
        byte[] material = null;
        try {
            material = PasswordKeyDerivation.standard().deriveKey(copy, kdf);
            try (MasterKey key = MasterKey.aes256(EXPORT_KEY_ID, material)) {
                return KeyRing.of(key);
            }
        } finally {
            Arrays.fill(copy, '\0');
            if (material != null) {
                Arrays.fill(material, (byte) 0);
            }
        }
    }

    private static void requirePassword(char[] password) {
        Arguments.requireNonNull("password", password);
        if (password.length < MIN_PASSWORD_LENGTH) {
            throw new ValidationException("the export password must be at least " + MIN_PASSWORD_LENGTH
                    + " characters long");
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        char[] password = Base64.getEncoder().encodeToString(bytes).toCharArray();
        Arrays.fill(bytes, (byte) 0);
        return password;
    }
}
