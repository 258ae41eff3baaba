package io.configstore.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Fernet;
import io.configstore.crypto.FernetKey;
import io.configstore.crypto.KdfParameters;
import io.configstore.crypto.PasswordKeyDerivation;
import io.configstore.crypto.Secret;
import io.configstore.error.CryptoException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite database of a Python service that kept provider settings and Fernet-encrypted API keys:
 * <pre>
 * provider_configs(id, provider_type, name, is_default, settings TEXT (JSON), created_at, updated_at)
 * api_keys(id, provider_type, key_name, encrypted_key TEXT (a Fernet token), is_active, created_at, updated_at,
 *          last_used_at)
 * </pre>
 * The database is opened read-only and never changed. The Fernet key is given as its base64 text
 * ({@link #withFernetKey}) or as the password, salt and iteration count it was derived from with
 * PBKDF2-HMAC-SHA256 ({@link #withPassword}; 100,000 iterations is common in such services, and accepted here because
 * the data was written with it). Every token is decrypted before anything is written: a wrong key or password is a
 * {@link CryptoException} naming the row, and nothing is imported.
 *
 * <p>What comes across: providers (type, name, settings, which is the default: it becomes the default of its type when
 * the target has none yet), API keys (type, name, secret re-encrypted under the target's key ring, active or not). The
 * store assigns its own ids and timestamps, so the source's ids and times are kept in a document named
 * {@value #RECORD_DOCUMENT} of the tenant: {@code {"source": ..., "providers": [{"sourceId", "providerType", "name",
 * "createdAt", "updatedAt"}], "apiKeys": [{"sourceId", "providerType", "keyName", "createdAt", "updatedAt",
 * "lastUsedAt"}]}}.
 */
public final class PythonSqliteSource implements ImportSource {
    /** The document recording the source's ids and timestamps. */
    public static final String RECORD_DOCUMENT = "import:python-sqlite";
    /** The iteration count Python services commonly use with PBKDF2-HMAC-SHA256. */
    public static final int COMMON_ITERATIONS = 100_000;

    private final Path database;
    private final String tenantId;
    private final FernetKey key;

    private PythonSqliteSource(Path database, String tenantId, FernetKey key) {
        this.database = database;
        this.tenantId = tenantId;
        this.key = key;
    }

    /**
     * The database at {@code database}, with its Fernet key in base64 (URL-safe, 44 characters, as
     * {@code Fernet.generate_key()} prints it).
     *
     * @throws ValidationException when the key text is not a Fernet key
     */
    public static PythonSqliteSource withFernetKey(Path database, String fernetKey) {
        Arguments.requireNonNull("database", database);
        return new PythonSqliteSource(database, TenantStores.DEFAULT_TENANT, FernetKey.parse(fernetKey));
    }

    /**
     * The database at {@code database}, whose Fernet key the service derived from {@code password} with
     * PBKDF2-HMAC-SHA256 over {@code salt} and {@code iterations} (32 bytes, base64-encoded for Fernet, as the
     * {@code cryptography} documentation shows).
     *
     * @param password copied; clear your own array
     * @throws ValidationException when the password is empty or the parameters are out of range
     */
    public static PythonSqliteSource withPassword(Path database, char[] password, byte[] salt, int iterations) {
        Arguments.requireNonNull("database", database);
        Arguments.requireNonNull("password", password);
        Arguments.requireNonNull("salt", salt);
        char[] copy = password.clone();
        byte[] material = null;
        try {
            material = PasswordKeyDerivation.allowingWeakParameters().deriveKey(copy,
                    KdfParameters.pbkdf2(iterations, salt));
            return new PythonSqliteSource(database, TenantStores.DEFAULT_TENANT, FernetKey.fromBytes(material));
        } finally {
            Arrays.fill(copy, '\0');
            if (material != null) {
                Arrays.fill(material, (byte) 0);
            }
        }
    }

    /** A copy importing into another tenant. */
    public PythonSqliteSource intoTenant(String tenant) {
        return new PythonSqliteSource(database, Arguments.requireTenantId(tenant), key);
    }

    @Override
    public String describe() {
        return "Python service database " + database;
    }

    @Override
    public ImportReport importInto(StoreSet target, ImportOptions options, ImportProgress progress) {
        return ImportEngine.run(target, options, progress, this::read);
    }

    ImportBatch read() {
        if (!Files.isRegularFile(database)) {
            throw new ValidationException("the Python service database " + database + " does not exist; give the path"
                    + " of its SQLite file");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        ImportBatch batch = new ImportBatch(describe());
        try (Connection connection = config.createConnection("jdbc:sqlite:" + database.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            requireTables(statement);
            ObjectNode record = Json.object();
            record.put("source", database.getFileName().toString());
            readProviders(statement, batch, record.putArray("providers"));
            readKeys(statement, batch, record.putArray("apiKeys"));
            batch.add(ImportEntry.document(tenantId, RECORD_DOCUMENT, record, 1));
            return batch;
        } catch (SQLException e) {
            batch.close();
            throw new StorageException("cannot read " + database + " as a SQLite database (SQLite error "
                    + e.getErrorCode() + "); give the Python service's database file", e);
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    private void requireTables(Statement statement) throws SQLException {
        Set<String> tables = new HashSet<>();
        try (ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        for (String table : new String[] {"provider_configs", "api_keys"}) {
            if (!tables.contains(table)) {
                throw new ValidationException(database + " has no table " + table + "; expected a Python service's"
                        + " database with the tables provider_configs and api_keys (it has " + tables + ")");
            }
        }
    }

    private void readProviders(Statement statement, ImportBatch batch, ArrayNode record) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT id, provider_type, name, is_default, settings,"
                + " created_at, updated_at FROM provider_configs ORDER BY id")) {
            while (rows.next()) {
                String id = rows.getString("id");
                String at = database + " table provider_configs row id=" + id;
                String type = required(rows, "provider_type", at);
                String name = required(rows, "name", at);
                String settingsText = rows.getString("settings");
                ObjectNode settings = settingsText == null || settingsText.isBlank() ? Json.object()
                        : SourceFiles.readColumn(at, "settings", settingsText, "a JSON object of provider settings");
                NewProviderConfig config;
                try {
                    config = new NewProviderConfig(type, name, settings, truth(rows, "is_default", at), true,
                            NewProviderConfig.DEFAULT_PRIORITY);
                } catch (ValidationException e) {
                    throw new ValidationException(at + ": " + e.getMessage());
                }
                batch.add(ImportEntry.provider(tenantId, config));
                record.addObject().put("sourceId", id).put("providerType", type).put("name", name)
                        .put("createdAt", rows.getString("created_at")).put("updatedAt", rows.getString("updated_at"));
            }
        }
    }

    private void readKeys(Statement statement, ImportBatch batch, ArrayNode record) throws SQLException {
        Fernet fernet = Fernet.of(key);
        try (ResultSet rows = statement.executeQuery("SELECT id, provider_type, key_name, encrypted_key, is_active,"
                + " created_at, updated_at, last_used_at FROM api_keys ORDER BY id")) {
            while (rows.next()) {
                String id = rows.getString("id");
                String at = database + " table api_keys row id=" + id;
                String type = required(rows, "provider_type", at);
                String name = required(rows, "key_name", at);
                String token = required(rows, "encrypted_key", at);
                byte[] plain;
                try {
                    plain = fernet.decrypt(token);
                } catch (CryptoException e) {
                    throw new CryptoException("cannot decrypt the API key in " + at + " (" + type + "/" + name
                            + "): " + e.getMessage() + "; the Fernet key or password (with its salt and iterations)"
                            + " is wrong, or the row was altered; nothing was imported");
                }
                Secret secret;
                try {
                    secret = Secret.ofUtf8(plain);
                } finally {
                    Arrays.fill(plain, (byte) 0);
                }
                try {
                    batch.add(ImportEntry.apiKey(tenantId, type, name, secret, truth(rows, "is_active", at)));
                } catch (RuntimeException e) {
                    secret.destroy();
                    throw e instanceof ValidationException ? new ValidationException(at + ": " + e.getMessage()) : e;
                }
                record.addObject().put("sourceId", id).put("providerType", type).put("keyName", name)
                        .put("createdAt", rows.getString("created_at")).put("updatedAt", rows.getString("updated_at"))
                        .put("lastUsedAt", rows.getString("last_used_at"));
            }
        }
    }

    private static String required(ResultSet rows, String column, String at) throws SQLException {
        String value = rows.getString(column);
        if (value == null || value.isBlank()) {
            throw new ValidationException(at + ": " + column + " is empty; expected a value");
        }
        return value;
    }

    /** SQLite booleans as Python writes them: 0/1, or the text true/false. */
    private static boolean truth(ResultSet rows, String column, String at) throws SQLException {
        String value = rows.getString(column);
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "t" -> true;
            case "0", "false", "f" -> false;
            default -> throw new ValidationException(at + ": " + column + " is '" + value + "'; expected 0 or 1");
        };
    }

    @Override
    public String toString() {
        return "PythonSqliteSource[" + database + ", tenant " + tenantId + ", key redacted]";
    }
}
