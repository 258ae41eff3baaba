package io.configstore.imports;

import io.configstore.crypto.Secret;
import io.configstore.effective.Origin;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Provider API keys in the environment ({@code OPENAI_API_KEY} and the others of a {@link ProviderKeyVariables}
 * table), used two ways:
 * <ul>
 *   <li><b>as an import source</b> ({@link #importInto}): each variable that is set becomes an API key named
 *       {@link #KEY_NAME} of its provider type, encrypted into the store;</li>
 *   <li><b>as a read-only layer</b> ({@link #activeKey}): a provider type's active key is taken from its variable when
 *       set, else from the store, and returned with its {@link Origin} ({@code environment: OPENAI_API_KEY} or
 *       {@code store: API key openai/default ...}), like every layer of the effective configuration. The layer never
 *       writes.</li>
 * </ul>
 * The library never reads the process environment on its own: pass {@code System.getenv()}.
 *
 * <p><b>Values are kept exactly</b>, byte for byte, as every other import source keeps them: the key stored (and the
 * key {@link #activeKey} returns) is the variable's value, never a trimmed copy, so what the store holds is what the
 * process itself would send. A variable whose value is empty or only white space counts as not set. A value with
 * white space at either end (a trailing newline from a file, a CR from a Windows-edited {@code .env}) is imported as
 * it is, and the import report warns, naming the variable but not the value, so it can be fixed at its origin.
 */
public final class EnvironmentKeys implements ImportSource {
    /** The name of the API keys the import creates. */
    public static final String KEY_NAME = "default";

    private final Map<String, String> variables;
    private final ProviderKeyVariables table;
    private final String tenantId;

    private EnvironmentKeys(Map<String, String> variables, ProviderKeyVariables table, String tenantId) {
        this.variables = variables;
        this.table = table;
        this.tenantId = tenantId;
    }

    /**
     * The keys among {@code variables} (copied) that {@code table} names.
     *
     * @throws ValidationException when an argument is null
     */
    public static EnvironmentKeys of(Map<String, String> variables, ProviderKeyVariables table) {
        Arguments.requireNonNull("variables", variables);
        Arguments.requireNonNull("table", table);
        Map<String, String> copy = new TreeMap<>();
        for (String variable : table.asMap().keySet()) {
            String value = variables.get(variable);
            if (value != null && !value.isBlank()) {
                copy.put(variable, value);
            }
        }
        return new EnvironmentKeys(copy, table, TenantStores.DEFAULT_TENANT);
    }

    /** A copy importing into another tenant. */
    public EnvironmentKeys intoTenant(String tenant) {
        return new EnvironmentKeys(variables, table, Arguments.requireTenantId(tenant));
    }

    /** The names of the variables that are set (never their values). */
    public java.util.Set<String> variablesSet() {
        return java.util.Collections.unmodifiableSet(variables.keySet());
    }

    @Override
    public String describe() {
        return "environment " + variables.keySet();
    }

    @Override
    public ImportReport importInto(StoreSet target, ImportOptions options, ImportProgress progress) {
        return ImportEngine.run(target, options, progress, this::read);
    }

    private ImportBatch read() {
        ImportBatch batch = new ImportBatch(describe());
        variables.forEach((variable, value) -> batch.add(ImportEntry.apiKey(tenantId,
                table.asMap().get(variable), KEY_NAME, Secret.of(value), true)));
        List<String> padded = variables.entrySet().stream().filter(e -> !e.getValue().equals(e.getValue().strip()))
                .map(Map.Entry::getKey).toList();
        if (!padded.isEmpty()) {
            batch.warn("the value of " + String.join(", ", padded) + " begins or ends with white space (a newline,"
                    + " a carriage return, a space); it was imported exactly as set: if the key does not work, remove"
                    + " the white space where the variable is set and import again");
        }
        if (variables.isEmpty()) {
            batch.warn("none of " + table.asMap().keySet() + " is set; nothing to import");
        } else {
            batch.warn("the keys are still in the environment: once the services read them from configstore,"
                    + " remove " + variables.keySet() + " from their environment");
        }
        return batch;
    }

    /**
     * A provider type's active key, with where it came from: the type's environment variable when it is set, else
     * the store's active key ({@link ApiKeyStore#findActive}), else empty. Reads only. The caller owns the
     * returned key's secret: close it when done.
     */
    public Optional<ActiveKey> activeKey(ApiKeyStore keys, String providerType) {
        Arguments.requireNonNull("keys", keys);
        Arguments.requireProviderType(providerType);
        String variable = table.variableOf(providerType);
        if (variable != null && variables.containsKey(variable)) {
            return Optional.of(new ActiveKey(providerType, Secret.of(variables.get(variable)),
                    Origin.environmentVariable(variable)));
        }
        Optional<ApiKeyMetadata> stored = keys.findActive(providerType);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        ApiKeyMetadata key = stored.get();
        return Optional.of(new ActiveKey(providerType, keys.reveal(key.id()), new Origin(Origin.STORE,
                "API key " + key.providerType() + "/" + key.keyName() + " id " + key.id() + " version "
                        + key.version())));
    }

    /**
     * A provider type's active key and its origin. Close it to destroy the secret.
     *
     * @param secret the key; never printed by {@link #toString()}
     */
    public record ActiveKey(String providerType, Secret secret, Origin origin) implements AutoCloseable {
        @Override
        public void close() {
            secret.destroy();
        }

        @Override
        public String toString() {
            return "ActiveKey[" + providerType + " from " + origin + ", secret redacted]";
        }
    }

    @Override
    public String toString() {
        return "EnvironmentKeys[" + variables.keySet() + ", tenant " + tenantId + "]";
    }
}
