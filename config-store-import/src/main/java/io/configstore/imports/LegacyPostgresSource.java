package io.configstore.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Secret;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * A legacy PostgreSQL configuration database:
 * <pre>
 * provider_configs(tenant_id, provider_type, provider_name, api_key, api_secret (both clear text), priority TEXT,
 *                  enabled, config_data JSONB, version, created_by, updated_by, created_at, updated_at)
 * config_versions(the same fields, plus change_type, changed_at, changed_by, change_reason)
 * </pre>
 * read (never changed) through the JDBC URL given; put {@code currentSchema=...} in the URL when the tables are not
 * in {@code public}.
 *
 * <p>What comes across, tenant by tenant (a missing tenant id is the {@linkplain TenantStores#DEFAULT_TENANT default
 * tenant}): each row becomes a provider (type, name, {@code config_data} as settings, enabled, the text priority
 * mapped through a {@link PriorityTable}); its {@code api_key} an API key named like the provider, and its
 * {@code api_secret} an API key named {@code <provider name>}{@value #SECRET_SUFFIX}, both encrypted under the
 * target's key ring. The report warns that the source still holds them in clear text.
 *
 * <p><b>History.</b> The rows of {@code config_versions} are kept, per provider, in a document named
 * {@code legacy-history:<type>/<name>} of its tenant: {@code {"providerType", "providerName", "currentVersion",
 * "createdBy", "updatedBy", "createdAt", "updatedAt", "versions": [{"version", "changeType", "changedAt",
 * "changedBy", "changeReason", "priority", "enabled", "configData", "apiKeyChanged", "apiSecretChanged"}]}}, oldest
 * first. Secrets are never copied into it (documents are not encrypted): {@code apiKeyChanged} says whether the
 * version changed the key. A history API can later turn each element into a history row of the provider.
 */
public final class LegacyPostgresSource implements ImportSource {
    /** Appended to the provider name to name the API key made from {@code api_secret}. */
    public static final String SECRET_SUFFIX = ":secret";
    /** The prefix of the documents holding each provider's legacy history. */
    public static final String HISTORY_PREFIX = "legacy-history:";
    private static final String PROVIDER_COLUMNS = "tenant_id, provider_type, provider_name, api_key, api_secret,"
            + " priority, enabled, config_data, version, created_by, updated_by, created_at, updated_at";
    private static final String VERSION_COLUMNS = "tenant_id, provider_type, provider_name, api_key, api_secret,"
            + " priority, enabled, config_data, version, change_type, changed_at, changed_by, change_reason";

    private final String url;
    private final String user;
    private final char[] password;
    private final PriorityTable priorities;

    private LegacyPostgresSource(String url, String user, char[] password, PriorityTable priorities) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.priorities = priorities;
    }

    /**
     * The database at {@code jdbcUrl} ({@code jdbc:postgresql://host/db?currentSchema=legacy}).
     *
     * @param user may be null when the URL names one
     * @param password may be null (trust or .pgpass); copied, clear your own array
     */
    public static LegacyPostgresSource of(String jdbcUrl, String user, char[] password) {
        Arguments.requireNonNull("jdbcUrl", jdbcUrl);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ValidationException("the legacy database URL must start with jdbc:postgresql:, for example"
                    + " jdbc:postgresql://127.0.0.1:5432/app?currentSchema=public");
        }
        return new LegacyPostgresSource(jdbcUrl, user, password == null ? null : password.clone(),
                PriorityTable.defaults());
    }

    /** A copy mapping priorities through {@code table}. */
    public LegacyPostgresSource withPriorities(PriorityTable table) {
        return new LegacyPostgresSource(url, user, password, Arguments.requireNonNull("table", table));
    }

    @Override
    public String describe() {
        return "legacy PostgreSQL " + redactedUrl();
    }

    /** The URL without any password parameter it may carry. */
    private String redactedUrl() {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public ImportReport importInto(StoreSet target, ImportOptions options, ImportProgress progress) {
        return ImportEngine.run(target, options, progress, this::read);
    }

    private record ProviderKey(String tenantId, String type, String name) {
    }

    ImportBatch read() {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", new String(password));
        }
        properties.setProperty("readOnly", "true");
        ImportBatch batch = new ImportBatch(describe());
        try (Connection connection = DriverManager.getConnection(url, properties);
             Statement statement = connection.createStatement()) {
            connection.setReadOnly(true);
            Map<ProviderKey, ObjectNode> histories = new LinkedHashMap<>();
            int clearKeys = readProviders(statement, batch, histories);
            readHistory(statement, histories);
            histories.forEach((provider, history) -> batch.add(ImportEntry.document(provider.tenantId(),
                    HISTORY_PREFIX + provider.type() + "/" + provider.name(), history, 1)));
            if (clearKeys > 0) {
                batch.warn("the source " + redactedUrl() + " still holds " + clearKeys + " API key(s) and secret(s)"
                        + " in clear text in provider_configs (and in config_versions): once the services read"
                        + " configstore, clear the api_key and api_secret columns of both tables");
            }
            return batch;
        } catch (SQLException e) {
            batch.close();
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.equals("42P01")) {
                throw new ValidationException("the legacy database " + redactedUrl() + " has no table"
                        + " provider_configs or config_versions (in its search path); expected both: add"
                        + " currentSchema=<schema> to the URL if they live in another schema");
            }
            if (state.equals("42703")) {
                // The server's text is not repeated: a driver's message is no part of ours (see SourceFiles).
                throw new ValidationException("a table of the legacy database " + redactedUrl() + " lacks an"
                        + " expected column; expected provider_configs (" + PROVIDER_COLUMNS + ") and"
                        + " config_versions (" + VERSION_COLUMNS + ") as the class documentation lists them");
            }
            throw new StorageException("cannot read the legacy database " + redactedUrl() + " (SQL state " + state
                    + "); check the URL, the user and that the server is running", e);
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    private int readProviders(Statement statement, ImportBatch batch, Map<ProviderKey, ObjectNode> histories)
            throws SQLException {
        int clear = 0;
        Map<ProviderKey, NewProviderConfig> providers = new LinkedHashMap<>();
        Map<ProviderKey, ProviderKey> bestOfType = new LinkedHashMap<>();
        // Providers first, then keys, as a reader of the report expects; the batch owns the keys once added.
        List<ImportEntry> keys = new ArrayList<>();
        try {
            try (ResultSet rows = statement.executeQuery("SELECT tenant_id, provider_type, provider_name, api_key,"
                    + " api_secret, priority, enabled, config_data::text AS config_data, version, created_by,"
                    + " updated_by, created_at::text AS created_at, updated_at::text AS updated_at"
                    + " FROM provider_configs ORDER BY tenant_id NULLS FIRST, provider_type, provider_name")) {
                while (rows.next()) {
                    String tenant = rows.getString("tenant_id");
                    String type = rows.getString("provider_type");
                    String name = rows.getString("provider_name");
                    String at = "provider_configs row (tenant_id=" + tenant + ", provider_type=" + type
                            + ", provider_name=" + name + ")";
                    String tenantId = tenant == null || tenant.isBlank() ? TenantStores.DEFAULT_TENANT : tenant;
                    NewProviderConfig config;
                    try {
                        Arguments.requireTenantId(tenantId);
                        ObjectNode settings = settings(rows.getString("config_data"), at);
                        config = new NewProviderConfig(type, name, settings, false, enabled(rows), priorities
                                .priorityOf(rows.getString("priority"), at));
                    } catch (ValidationException e) {
                        throw e.getMessage().startsWith(at) ? e : new ValidationException(at + ": " + e.getMessage());
                    }
                    ProviderKey id = new ProviderKey(tenantId, type, name);
                    providers.put(id, config);
                    ProviderKey typeKey = new ProviderKey(tenantId, type, null);
                    NewProviderConfig best = providers.get(bestOfType.get(typeKey));
                    if (best == null || config.priority() < best.priority()
                            || (config.priority() == best.priority() && config.name().compareTo(best.name()) < 0)) {
                        bestOfType.put(typeKey, id);
                    }
                    String apiKey = rows.getString("api_key");
                    if (apiKey != null && !apiKey.isBlank()) {
                        keys.add(ImportEntry.apiKey(tenantId, type, name, Secret.of(apiKey), true));
                        clear++;
                    }
                    String apiSecret = rows.getString("api_secret");
                    if (apiSecret != null && !apiSecret.isBlank()) {
                        keys.add(ImportEntry.apiKey(tenantId, type, name + SECRET_SUFFIX, Secret.of(apiSecret), true));
                        clear++;
                    }
                    ObjectNode history = Json.object();
                    history.put("providerType", type);
                    history.put("providerName", name);
                    history.put("currentVersion", rows.getInt("version"));
                    history.put("createdBy", rows.getString("created_by"));
                    history.put("updatedBy", rows.getString("updated_by"));
                    history.put("createdAt", rows.getString("created_at"));
                    history.put("updatedAt", rows.getString("updated_at"));
                    history.putArray("versions");
                    histories.put(id, history);
                }
            }
        } catch (SQLException | RuntimeException e) {
            keys.forEach(key -> key.secret().destroy());
            throw e;
        }
        // The legacy store has no default: the provider resolve would pick (best priority, then name) becomes it.
        Set<ProviderKey> defaults = new HashSet<>(bestOfType.values());
        providers.forEach((id, config) -> batch.add(ImportEntry.provider(id.tenantId(),
                defaults.contains(id) ? config.asDefault() : config)));
        keys.forEach(batch::add);
        return clear;
    }

    private void readHistory(Statement statement, Map<ProviderKey, ObjectNode> histories) throws SQLException {
        Map<ProviderKey, String[]> previous = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery("SELECT tenant_id, provider_type, provider_name, api_key,"
                + " api_secret, priority, enabled, config_data::text AS config_data, version, change_type,"
                + " changed_at::text AS changed_at, changed_by, change_reason FROM config_versions"
                + " ORDER BY tenant_id NULLS FIRST, provider_type, provider_name, version, changed_at")) {
            while (rows.next()) {
                String tenant = rows.getString("tenant_id");
                String tenantId = tenant == null || tenant.isBlank() ? TenantStores.DEFAULT_TENANT : tenant;
                ProviderKey provider = new ProviderKey(tenantId, rows.getString("provider_type"),
                        rows.getString("provider_name"));
                String at = "config_versions row (tenant_id=" + tenant + ", provider_type=" + provider.type()
                        + ", provider_name=" + provider.name() + ", version=" + rows.getString("version") + ")";
                ObjectNode history = histories.get(provider);
                if (history == null) {
                    // The provider was deleted in the legacy store: its history is still worth keeping.
                    history = Json.object();
                    history.put("providerType", provider.type());
                    history.put("providerName", provider.name());
                    history.putNull("currentVersion");
                    history.put("deleted", true);
                    history.putArray("versions");
                    histories.put(provider, history);
                }
                String apiKey = rows.getString("api_key");
                String apiSecret = rows.getString("api_secret");
                String[] before = previous.put(provider, new String[] {apiKey, apiSecret});
                ObjectNode version = ((ArrayNode) history.get("versions")).addObject();
                version.put("version", rows.getInt("version"));
                version.put("changeType", rows.getString("change_type"));
                version.put("changedAt", rows.getString("changed_at"));
                version.put("changedBy", rows.getString("changed_by"));
                version.put("changeReason", rows.getString("change_reason"));
                version.put("priority", rows.getString("priority"));
                version.put("enabled", enabled(rows));
                version.set("configData", settings(rows.getString("config_data"), at));
                version.put("apiKeyChanged", before == null ? apiKey != null : !Objects.equals(before[0], apiKey));
                version.put("apiSecretChanged", before == null ? apiSecret != null
                        : !Objects.equals(before[1], apiSecret));
            }
        }
    }

    private static boolean enabled(ResultSet rows) throws SQLException {
        boolean enabled = rows.getBoolean("enabled");
        return rows.wasNull() || enabled;
    }

    private static ObjectNode settings(String json, String at) {
        if (json == null) {
            return Json.object();
        }
        return SourceFiles.readColumn(at, "config_data", json, "a JSON object of provider settings");
    }

    @Override
    public String toString() {
        return "LegacyPostgresSource[" + redactedUrl() + ", password redacted]";
    }

    /** Clears the copy of the password this source holds. */
    public void clearPassword() {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
