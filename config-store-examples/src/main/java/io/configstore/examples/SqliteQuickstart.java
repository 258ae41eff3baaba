package io.configstore.examples;

import io.configstore.crypto.MasterKeys;
import io.configstore.crypto.Secret;
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
import java.util.stream.Stream;

/**
 * The README's first command: opens a SQLite store, keeps a provider configuration, an API key and a document in it,
 * closes it, opens it again and prints what persisted. Run it twice: the run counter grows, nothing else is lost.
 *
 * <p>Arguments: an optional database path (default {@code data/configstore.db}). The master key comes from
 * {@code CONFIGSTORE_MASTER_KEY} (base64 of 32 bytes), {@code CONFIGSTORE_MASTER_KEY_FILE} or
 * {@code CONFIGSTORE_MASTER_PASSWORD} (its key-derivation parameters are kept in the database); without any, this
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
        MasterKeys keys = masterKeys(database, environment, out);
        ChangeContext change = ChangeContext.by("quickstart", "example run");

        try (StoreSet stores = SqliteStoreSet.builder().path(database).masterKeys(keys).open()) {
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

        try (StoreSet reopened = SqliteStoreSet.builder().path(database).masterKeys(keys).open()) {
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

    private static MasterKeys masterKeys(Path database, Function<String, String> environment, PrintStream out) {
        Path developmentKey = database.toAbsolutePath().resolveSibling("quickstart-master.key");
        boolean configured = Stream.of(MasterKeys.ENV_KEY, MasterKeys.ENV_KEY_FILE, MasterKeys.ENV_PASSWORD)
                .anyMatch(name -> environment.apply(name) != null);
        if (!configured) {
            out.println("No master key configured: using the development key file " + developmentKey
                    + " (owner-only). Keep it: the stored API keys cannot be read without it.");
        }
        return MasterKeys.builder().environment(environment).developmentKeyFile(developmentKey).build();
    }
}
