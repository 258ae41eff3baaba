package io.configstore.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.MasterKeys;
import io.configstore.effective.ConfigDiff;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.effective.SecretKeys;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.ConfigStore;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Effective configuration on SQLite: stores a document, lays environment variables and command-line flags over it,
 * and prints the three layers, the effective document, the origin of every value and what the overrides changed.
 * Secrets are redacted everywhere it prints.
 *
 * <p>The environment is a fixed map, so the output is the same on every machine; a real host passes
 * {@code System.getenv()}. The command line is the program's arguments, or {@link #DEMO_ARGS} when there are none.
 * The database is a fresh file in a temporary directory, deleted at the end.
 *
 * <pre>
 * mvn -B -q -pl config-store-examples -am -DskipTests package exec:java \
 *     -Dexec.mainClass=io.configstore.examples.EffectiveConfigExample
 * </pre>
 */
public final class EffectiveConfigExample {
    /** The environment the example passes to the loader (a host would pass {@code System.getenv()}). */
    public static final Map<String, String> DEMO_ENVIRONMENT = Map.of(
            "CONFIGSTORE_SERVER__PORT", "8081",
            "CONFIGSTORE_POOL__MAX_CONNECTIONS", "20",
            "CONFIGSTORE_DATABASE__PASSWORD", "env-password",
            "CONFIGSTORE_DB_PATH", "data/configstore.db");

    /** The arguments used when the program is given none. */
    public static final List<String> DEMO_ARGS = List.of("--server.port=9090", "--no-server.tls", "report.txt");

    /** The host's type for the document. */
    public record AppSettings(Server server, Pool pool, Database database) {
    }

    /** The {@code server} section. */
    public record Server(String host, int port, boolean tls) {
    }

    /** The {@code pool} section. */
    public record Pool(int maxConnections) {
    }

    /** The {@code database} section. */
    public record Database(String url, String password) {
    }

    private EffectiveConfigExample() {
    }

    /** Runs the example on a fresh temporary database; {@code args} replace {@link #DEMO_ARGS} when given. */
    public static void main(String[] args) throws IOException {
        Path directory = Files.createTempDirectory("configstore-effective-");
        try {
            run(directory.resolve("configstore.db"), args.length > 0 ? List.of(args) : DEMO_ARGS, System.out);
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Runs the example on the SQLite file {@code database} with {@code args} as the command line. */
    public static void run(Path database, List<String> args, PrintStream out) {
        SecretKeys secrets = SecretKeys.defaults();
        // This example keeps no API keys; a development key file beside the database opens the store.
        MasterKeys keys = MasterKeys.builder().environment(name -> null)
                .developmentKeyFile(database.toAbsolutePath().resolveSibling("example-master.key")).build();
        try (StoreSet stores = SqliteStoreSet.builder().path(database).masterKeys(keys).open()) {
            ConfigStore documents = stores.documents();
            ObjectNode content = Json.parseObject("app", """
                    {"server":{"host":"localhost","port":8080,"tls":true},
                     "pool":{"maxConnections":10},
                     "database":{"url":"jdbc:postgresql://db/app","password":"stored-password"}}""");
            ConfigDocument stored = documents.update("app", doc -> content,
                    ChangeContext.by("example", "effective configuration demo"));

            out.println("1. Stored document 'app' (SQLite, revision " + stored.revision() + "):");
            out.println("   " + Json.write(secrets.redact(stored.content())));
            out.println("2. Environment:");
            new TreeMap<>(DEMO_ENVIRONMENT).forEach((name, value) ->
                    out.println("   " + name + "=" + (secrets.isSecret(name) ? SecretKeys.REDACTED : value)));
            out.println("3. Command line:");
            for (int i = 0; i < args.size(); i++) {
                out.println("   args[" + i + "] " + args.get(i));
            }

            EffectiveConfigLoader loader = EffectiveConfigLoader.builder("app")
                    .bindTo(AppSettings.class)
                    .environment(DEMO_ENVIRONMENT)
                    .commandLine(args)
                    .secretKeys(secrets)
                    .build();
            EffectiveConfig effective = loader.loadEffective(documents);
            AppSettings settings = effective.bind(AppSettings.class);

            out.println("Effective document:");
            out.println("   " + Json.write(secrets.redact(effective.tree())));
            out.println("Origin of every value:");
            effective.originReport().lines().forEach(line -> out.println("   " + line));
            out.println("What the overrides change:");
            ConfigDiff diff = ConfigDiff.of(secrets);
            diff.changelog(diff.diff(stored.content(), effective.tree())).lines()
                    .forEach(line -> out.println("   " + line));
            out.println("Bound: server.port=" + settings.server().port() + " server.tls=" + settings.server().tls()
                    + " pool.maxConnections=" + settings.pool().maxConnections());
            out.println("Left for the application: " + effective.positionalArguments());
            ConfigDocument after = documents.load("app").orElseThrow();
            out.println("Stored document after loading: revision " + after.revision() + ", "
                    + (after.content().equals(stored.content()) ? "unchanged" : "CHANGED")
                    + " (overrides are never written back)");
        }
    }
}
