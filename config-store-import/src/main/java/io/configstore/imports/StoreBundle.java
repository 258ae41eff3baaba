package io.configstore.imports;

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
import io.configstore.error.CryptoException;
import io.configstore.error.DuplicateException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreBundle() {
    }

    /**
     * Exports every tenant ({@link StoreSet#tenantIds()}) in one consistent read (a unit of work), with the API keys'
     * secrets re-encrypted under {@code password}.
     *
     * @param password at least {@value #MIN_PASSWORD_LENGTH} characters; copied, clear your own array
     * @throws ValidationException when the password is too short
     * @throws CryptoException when a stored secret cannot be decrypted with the store's master key
     */
    public static ObjectNode export(StoreSet stores, char[] password, ImportProgress progress) {
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

    private static ObjectNode exportTenant(TenantStores tenant, KeyRing ring, ImportProgress progress) {
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
     * Reads a bundle file through the library's one strict JSON reader ({@link Json#readWhole}): a duplicate key, text
     * after the bundle or a syntax error refuses the whole file, never imports part of it.
     *
     * @throws ValidationException naming the file, the line and column and the problem, never the text found there
     * @throws io.configstore.error.StorageException when the file cannot be read
     */
    public static ObjectNode readFile(Path file) {
        Arguments.requireNonNull("file", file);
        return Json.readObjectFile(file, "bundle", "a configstore bundle: the JSON object written by export");
    }

    /**
     * Imports a bundle into {@code target}, or, as a dry run, reports what an import would do, through the engine
     * every import shares ({@link ImportSource} says how it behaves).
     *
     * @param password the export password the bundle was written with; copied, clear your own array
     * @return what was done (or would be), entry by entry
     * @throws ValidationException when the bundle is malformed or of another format version
     * @throws CryptoException when the password is wrong or the bundle was altered: nothing is written
     * @throws DuplicateException in {@link OnExisting#FAIL} mode, when the target holds any of the entries (listed):
     *     nothing is written
     */
    public static ImportReport importInto(StoreSet target, JsonNode bundle, char[] password, ImportOptions options,
                                          ImportProgress progress) {
        Arguments.requireNonNull("password", password);
        return ImportEngine.run(target, options, progress, () -> read(bundle, password));
    }

    /**
     * Copies every tenant of {@code source} into {@code target}: an export and an import in memory, the secrets
     * re-encrypted in between under a random password that never leaves the process.
     *
     * @see #importInto
     */
    public static ImportReport copy(StoreSet source, StoreSet target, ImportOptions options,
                                    ImportProgress progress) {
        char[] password = randomPassword();
        try {
            ObjectNode bundle = export(source, password, ImportProgress.NONE);
            return importInto(target, bundle, password, options, progress);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Reads and checks the whole bundle, decrypting every secret, before anything is written. */
    private static ImportBatch read(JsonNode bundle, char[] password) {
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
        KdfParameters kdf = readKdf(bundle);
        KeyRing ring = ring(password, kdf);
        ImportBatch batch = new ImportBatch("bundle");
        try {
            for (JsonNode tenant : tenants) {
                String tenantId = text(tenant, "id", "a tenant");
                Arguments.requireTenantId(tenantId);
                for (JsonNode provider : array(tenant, "providers", tenantId)) {
                    String type = text(provider, "providerType", "a provider");
                    String name = text(provider, "name", "a provider");
                    String what = "provider " + type + "/" + name;
                    batch.add(ImportEntry.provider(tenantId, new NewProviderConfig(type, name,
                            object(provider, "settings", what), bool(provider, "isDefault", what),
                            bool(provider, "enabled", what), integer(provider, "priority", what))));
                }
                for (JsonNode document : array(tenant, "documents", tenantId)) {
                    String name = text(document, "name", "a document");
                    String what = "document " + name;
                    batch.add(ImportEntry.document(tenantId, name, object(document, "content", what),
                            integer(document, "formatVersion", what)));
                }
                for (JsonNode key : array(tenant, "apiKeys", tenantId)) {
                    String type = text(key, "providerType", "an API key");
                    String name = text(key, "keyName", "an API key");
                    boolean active = bool(key, "active", "apiKey " + type + "/" + name);
                    batch.add(ImportEntry.apiKey(tenantId, type, name, decrypt(ring, key, tenantId, type, name),
                            active));
                }
            }
            return batch;
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    private static KdfParameters readKdf(JsonNode bundle) {
        String phc = bundle.path("encryption").path("kdf").asText(null);
        if (phc == null) {
            throw new ValidationException("the bundle has no encryption.kdf; it is damaged");
        }
        return KdfParameters.parse(phc);
    }

    private static Secret decrypt(KeyRing ring, JsonNode node, String tenantId, String type, String name) {
        String stored = text(node, "secret", "API key " + type + "/" + name);
        try {
            return ring.decrypt(stored, binding(tenantId, type, name));
        } catch (CryptoException e) {
            throw new CryptoException("cannot decrypt API key " + type + "/" + name + " of tenant " + tenantId
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

    private static boolean bool(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw new ValidationException(what + " in the bundle has no boolean '"
                    + field + "'; the bundle is damaged");
        }
        return value.asBoolean();
    }

    private static int integer(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isInt()) {
            throw new ValidationException(what + " in the bundle has no integer '"
                    + field + "'; the bundle is damaged");
        }
        return value.asInt();
    }

    private static ObjectNode object(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw new ValidationException(what + " in the bundle has no object '"
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
