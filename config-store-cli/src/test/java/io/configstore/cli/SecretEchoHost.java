package io.configstore.cli;

import io.configstore.StoreSets;
import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.KeyRing;
import io.configstore.crypto.MasterKey;
import io.configstore.crypto.MasterKeys;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.effective.UnknownKeys;
import io.configstore.imports.Bootstrap;
import io.configstore.imports.ProviderKeyVariables;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.StoreSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A host process for {@link SecretEchoProcessTest}: feeds the secret given as its first argument through the library's
 * entry points in every wrong shape, and prints each refusal the way a host logs it (the message, then the whole stack
 * trace with its causes), with the library's logging at trace level on the same stream.
 */
public final class SecretEchoHost {
    static final String ALL_REFUSED = "every scenario was refused";
    static final String ACCEPTED = "ACCEPTED:";

    /** The settings a host binds its configuration to. */
    public record Server(int port, long timeoutMillis, double ratio) {
    }

    /** The document bound in the effective-configuration scenarios. */
    public record App(Server server) {
    }

    private interface Scenario {
        void run() throws Exception;
    }

    private static int accepted;

    private SecretEchoHost() {
    }

    public static void main(String[] args) throws Exception {
        String secret = args[0];
        Path dir = Path.of(args[1]).resolve("host");
        Files.createDirectories(dir);
        CipherSource cipher = CipherSource.of(AesGcmSecretCipher.of("master", AesGcmSecretCipher.generateKey()));
        try (StoreSet stores = StoreSets.open("sqlite:" + dir.resolve("host.db"), cipher)) {
            Path config = write(dir, "app.json", "{\"db\": {\"password\": " + secret + "}}");
            refused("damaged JSON configuration file", () -> Bootstrap.builder().configFile(config, "app").build()
                    .run(stores));
            Path keys = write(dir, "provider_keys.json", "{\"openai\": {\"apiKey\": " + secret + ",}}");
            refused("damaged provider_keys.json", () -> Bootstrap.builder().providerKeysFile(keys).build()
                    .run(stores));
            Path twice = write(dir, "twice.json", "{\"openai\": \"x\"}\n{\"anthropic\": \"" + secret + "\"}");
            refused("concatenated provider_keys.json", () -> Bootstrap.builder().providerKeysFile(twice).build()
                    .run(stores));
            refused("bad provider key variable", () -> Bootstrap.builder()
                    .environment(Map.of("OPENAI_API_KEY", secret + "\ud800"), ProviderKeyVariables.defaults())
                    .build().run(stores));

            for (String variable : List.of("APP_SERVER__PORT", "APP_SERVER__TIMEOUT_MILLIS", "APP_SERVER__RATIO")) {
                refused("bad environment value " + variable, () -> EffectiveConfigLoader.builder("app")
                        .bindTo(App.class).environment(Map.of(variable, secret), "APP_", UnknownKeys.FAIL).build()
                        .loadEffective(stores.documents()).bind(App.class));
            }
            for (String flag : List.of("--server.port=", "--server.timeoutMillis=", "--server.ratio=")) {
                refused("bad flag " + flag, () -> EffectiveConfigLoader.builder("app").bindTo(App.class)
                        .commandLine(List.of(flag + secret)).build().loadEffective(stores.documents())
                        .bind(App.class));
            }
            refused("unknown flag", () -> EffectiveConfigLoader.builder("app").bindTo(App.class)
                    .commandLine(List.of("--" + secret)).build().loadEffective(stores.documents()).bind(App.class));

            refused("bad master key", () -> MasterKeys.builder().base64Key(secret).build().load());
            refused("bad master key in the environment", () -> MasterKeys.builder()
                    .environment(Map.of(MasterKeys.ENV_KEY, secret)::get).build().load());
            Path keyFile = write(dir, "master.key", secret);
            refused("bad master key file", () -> MasterKeys.builder().keyFile(keyFile).build().load());
            refused("Fernet token that is not one", () -> KeyRing.of(MasterKey.generateAes256("m"))
                    .wrapFernetToken("m", secret, new SecretBinding("default", "openai", "k", "1")));
            refused("stored value that is not one", () -> KeyRing.of(MasterKey.generateAes256("m"))
                    .decrypt(secret, new SecretBinding("default", "openai", "k", "1")));

            refused("document text that is not JSON", () -> Json.parseObject("content", "{\"a\": " + secret + "}"));
            refused("document with a duplicate key", () -> stores.documents().save("app",
                    Json.parseObject("content", "{\"" + secret + "\": 1, \"" + secret + "\": 2}"), 1,
                    ConfigDocument.NO_REVISION, ChangeContext.by("host")));
            refused("secret with a lone surrogate", () -> stores.apiKeys().store("openai", "k",
                    Secret.of(secret + "\ud800"), ChangeContext.by("host")));
            refused("store URL with a password", () -> StoreSets.open("jdbc:postgresql://127.0.0.1:1/db?password="
                    + secret, cipher).close());
            refused("store URL of no scheme", () -> StoreSets.open(secret, cipher).close());
        }
        System.out.println(accepted == 0 ? ALL_REFUSED : accepted + " scenario(s) were accepted");
        System.out.flush();
    }

    private static Path write(Path dir, String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static void refused(String name, Scenario scenario) {
        try {
            scenario.run();
            accepted++;
            System.out.println(ACCEPTED + " " + name);
        } catch (Exception | StackOverflowError e) {
            System.out.println("refused: " + name + ": " + e);
            e.printStackTrace(System.out);
        }
    }
}
