package io.configstore.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Secret;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * A {@code provider_keys.json} file, as tools that keep provider keys in a file lay it out: a JSON object mapping a
 * provider name to {@code {"apiKey": ..., "baseUrl": ..., "models": [...], "displayName": ...}} (camelCase, every
 * field optional), or, in the older shape, to the bare key string. Both shapes may be mixed in one file.
 *
 * <p>Each provider name becomes a provider type with one provider named {@link #DEFAULT_NAME} (its settings: every
 * field but {@code apiKey}, including fields this library does not know, which are kept, not dropped) and, when it
 * has a key, one API key of that name. The first provider of a type is its default.
 *
 * <pre>{@code
 * ImportReport report = ProviderKeysFile.of(Path.of("provider_keys.json"))
 *         .importInto(stores, ImportOptions.skipExisting(ChangeContext.by("ops", "move")), ImportProgress.NONE);
 * }</pre>
 */
public final class ProviderKeysFile implements ImportSource {
    /** The name given to the provider and the API key made from each entry. */
    public static final String DEFAULT_NAME = "default";

    private final Path file;
    private final String tenantId;
    private final String name;

    private ProviderKeysFile(Path file, String tenantId, String name) {
        this.file = file;
        this.tenantId = tenantId;
        this.name = name;
    }

    /** The file at {@code file}, imported into the default tenant under {@link #DEFAULT_NAME}. */
    public static ProviderKeysFile of(Path file) {
        Arguments.requireNonNull("file", file);
        return new ProviderKeysFile(file, TenantStores.DEFAULT_TENANT, DEFAULT_NAME);
    }

    /** A copy importing into another tenant. */
    public ProviderKeysFile intoTenant(String tenant) {
        return new ProviderKeysFile(file, Arguments.requireTenantId(tenant), name);
    }

    /** A copy naming the providers and keys it creates {@code providerName} rather than {@link #DEFAULT_NAME}. */
    public ProviderKeysFile named(String providerName) {
        return new ProviderKeysFile(file, tenantId, Arguments.requireName("providerName", providerName));
    }

    @Override
    public String describe() {
        return "provider_keys.json " + file;
    }

    @Override
    public ImportReport importInto(StoreSet target, ImportOptions options, ImportProgress progress) {
        return ImportEngine.run(target, options, progress, this::read);
    }

    /** Reads and checks the whole file; every problem names the file, the position and what was expected. */
    ImportBatch read() {
        ObjectNode root = SourceFiles.readObject(file, "provider key file",
                "a JSON object mapping provider names to a key or to {\"apiKey\": ...}");
        ImportBatch batch = new ImportBatch(describe());
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                readProvider(batch, field.getKey(), field.getValue());
            }
            return batch;
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    private void readProvider(ImportBatch batch, String provider, JsonNode value) {
        String at = file + " at /" + provider;
        try {
            Arguments.requireProviderType(provider);
        } catch (ValidationException e) {
            throw new ValidationException(at + ": the provider name is not usable as a provider type ("
                    + e.getMessage() + ")");
        }
        ObjectNode settings = Json.object();
        String key;
        if (value.isTextual()) {
            key = value.asText();
        } else if (value.isObject()) {
            settings = ((ObjectNode) value).deepCopy();
            JsonNode apiKey = settings.remove("apiKey");
            if (apiKey != null && !apiKey.isTextual() && !apiKey.isNull()) {
                throw new ValidationException(at + "/apiKey: expected the key as a string, found "
                        + kind(apiKey));
            }
            key = apiKey == null || apiKey.isNull() ? null : apiKey.asText();
            expect(settings, "baseUrl", JsonNode::isTextual, "a string", at);
            expect(settings, "displayName", JsonNode::isTextual, "a string", at);
            expect(settings, "models", node -> node.isArray() && allText(node), "an array of strings", at);
        } else {
            throw new ValidationException(at + ": expected the key as a string or an object"
                    + " {\"apiKey\": ..., \"baseUrl\": ..., \"models\": [...]}, found " + kind(value));
        }
        try {
            Json.requireObject("settings", settings);
        } catch (ValidationException e) {
            throw new ValidationException(at + ": " + e.getMessage());
        }
        batch.add(ImportEntry.provider(tenantId, NewProviderConfig.of(provider, name, settings).asDefault()));
        if (key != null) {
            if (key.isBlank()) {
                throw new ValidationException(at + (value.isObject() ? "/apiKey" : "") + ": the key is empty;"
                        + " remove the entry or give the key");
            }
            batch.add(ImportEntry.apiKey(tenantId, provider, name, Secret.of(key), true));
        }
    }

    private static void expect(ObjectNode settings, String field, java.util.function.Predicate<JsonNode> test,
                               String expected, String at) {
        JsonNode node = settings.get(field);
        if (node != null && !node.isNull() && !test.test(node)) {
            throw new ValidationException(at + "/" + field + ": expected " + expected + ", found " + kind(node));
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String kind(JsonNode node) {
        return "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ProviderKeysFile[" + file + ", tenant " + tenantId + "]";
    }
}
