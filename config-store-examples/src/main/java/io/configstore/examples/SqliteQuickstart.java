package io.configstore.examples;

import io.configstore.crypto.LoadedMasterKey;
import io.configstore.crypto.MasterKeySource;
import io.configstore.crypto.MasterKeys;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationState;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The README's first command: opens a SQLite store, keeps a provider configuration, an API key and a document in it,
 * closes it, opens it again and prints what persisted. Run it twice: the run counter grows, nothing else is lost.
 *
 * <p>Arguments: an optional database path (default {@code data/configstore.db}). The master key comes from
 * {@code CONFIGSTORE_MASTER_KEY} (base64 of 32 bytes) or {@code CONFIGSTORE_MASTER_KEY_FILE}; without either, this
 * example asks {@link MasterKeys} for its development mode, which keeps a generated key in an owner-only file beside
 * the database and says so. Production hosts configure a real key.
 */
public final class SqliteQuickstart {
    private SqliteQuickstart() {
    }

    public static void main(String[] args) {
        Path database = Path.of(args.length > 0 ? args[0] : "data/configstore.db");
        run(database, System::getenv, System.out);
    }

    /** Runs the example against {@code database}, taking master-key variables from {@code environment}. */
    public static void run(Path database, Function<String, String> environment, PrintStream out) {
        SecretCipher cipher = cipher(database, environment, out);
        ChangeContext change = ChangeContext.by("quickstart", "example run");

        try (StoreSet stores = SqliteStoreSet.builder().path(database).cipher(cipher).open()) {
            stores.inUnitOfWork(tx -> {
                if (tx.providers().listByName("production").isEmpty()) {
                    tx.providers().create(NewProviderConfig.of("openai", "production",
                            Json.object().put("baseUrl", "https://api.openai.com/v1").put("model", "gpt-4o")), change);
                    tx.apiKeys().store("openai", "production", Secret.of("sk-example-not-a-real-key"), change);
                }
                tx.documents().update("app", doc -> doc.put("runs", doc.path("runs").asInt() + 1), change);
                return null;
            });
        }

        try (StoreSet reopened = SqliteStoreSet.builder().path(database).cipher(cipher).open()) {
            int schemaVersion = reopened.schema().info().stream()
                    .filter(m -> m.state() == MigrationState.APPLIED)
                    .mapToInt(MigrationInfo::version)
                    .max().orElse(0);
            out.println("Reopened " + database + " (schema version " + schemaVersion + ")");
            Optional<ProviderConfig> provider = reopened.providers().resolve("openai");
            provider.ifPresent(p -> out.println("provider  " + p.providerType() + "/" + p.name() + " default="
                    + p.isDefault() + " version=" + p.version() + " settings=" + Json.write(p.settings())));
            Optional<ApiKeyMetadata> key = reopened.apiKeys().findActive("openai");
            if (key.isPresent()) {
                try (Secret secret = reopened.apiKeys().reveal(key.get().id())) {
                    out.println("api key   " + key.get().keyName() + " active=" + key.get().active()
                            + " encrypted-with=" + key.get().encryptionKeyId() + " secret=" + secret
                            + " (revealed length " + secret.reveal().length() + ")");
                }
            }
            ConfigDocument app = reopened.documents().load("app").orElseThrow();
            out.println("document  app revision=" + app.revision() + " content=" + Json.write(app.content()));
        }
    }

    private static SecretCipher cipher(Path database, Function<String, String> environment, PrintStream out) {
        Path developmentKey = database.toAbsolutePath().resolveSibling("quickstart-master.key");
        LoadedMasterKey loaded = MasterKeys.builder()
                .environment(environment)
                .developmentKeyFile(developmentKey)
                .build()
                .load();
        if (loaded.kdfParametersCreated()) {
            // The key-derivation salt must be stored with the database, which this example does not do yet.
            throw new IllegalStateException("this example takes CONFIGSTORE_MASTER_KEY or CONFIGSTORE_MASTER_KEY_FILE,"
                    + " not a password; unset CONFIGSTORE_MASTER_PASSWORD");
        }
        if (loaded.source() == MasterKeySource.DEVELOPMENT_KEY_FILE) {
            out.println("No master key configured: using the development key file " + developmentKey
                    + " (owner-only). Keep it: the stored API keys cannot be read without it.");
        }
        return loaded.keyRing();
    }
}
