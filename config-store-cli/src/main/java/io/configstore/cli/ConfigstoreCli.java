package io.configstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.StoreSets;
import io.configstore.crypto.CipherSource;
import io.configstore.crypto.MasterKeys;
import io.configstore.error.SchemaMigrationException;
import io.configstore.error.StorageException;
import io.configstore.file.FileStoreSet;
import io.configstore.file.FileStoreSetProvider;
import io.configstore.migration.MigrationMode;
import io.configstore.model.ChangeContext;
import io.configstore.spi.StoreSetProvider;
import io.configstore.sqlite.SqliteStoreSetProvider;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code configstore} command: global options, how a command opens the store, how results and errors are printed
 * and which exit code each failure gets.
 */
@Command(name = "configstore", mixinStandardHelpOptions = true, version = "configstore 0.1.0",
        description = "Keeps configuration documents, provider settings and encrypted API keys in a store.",
        subcommands = {SchemaCommands.Migrate.class, SchemaCommands.Info.class, ProviderCommands.class,
                KeyCommands.class, DocumentCommands.class, DataCommands.Export.class, DataCommands.Import.class,
                DataCommands.Copy.class, DataCommands.Backup.class, DataCommands.Restore.class,
                SchemaCommands.Rewrap.class, SchemaCommands.Doctor.class, HistoryCommands.History.class,
                HistoryCommands.Rollback.class, SnapshotCommands.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  ok", "  1  unexpected error (a bug: rerun with --verbose and report it)",
                "  2  bad usage or invalid value", "  3  not found",
                "  4  conflict (exists already, changed since read, or an idempotency key reused for another request)",
                "  5  crypto (master key or export password missing or wrong)",
                "  6  storage (cannot open, read or write the store; schema not current)",
                "%nThe master key comes from CONFIGSTORE_MASTER_KEY, CONFIGSTORE_MASTER_KEY_FILE or"
                        + " CONFIGSTORE_MASTER_PASSWORD; the store from --store or CONFIGSTORE_STORE_URL."})
public final class ConfigstoreCli {
    /** The environment variable naming the store when {@code --store} is not given. */
    public static final String STORE_VARIABLE = "CONFIGSTORE_STORE_URL";
    /** The store used when neither {@code --store} nor {@value #STORE_VARIABLE} is given. */
    public static final String DEFAULT_STORE = "sqlite:data/configstore.db";

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The store: sqlite:PATH, jdbc:postgresql://HOST/DB?schema=S, memory:, or a custom backend's"
                    + " scheme. Default: $" + STORE_VARIABLE + ", else " + DEFAULT_STORE + ".")
    String store;

    @Option(names = "--tenant", scope = ScopeType.INHERIT, defaultValue = TenantStores.DEFAULT_TENANT,
            description = "The tenant to read and write (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print results as JSON, for scripts.")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log what happens, and print the stack trace of an error.")
    boolean verbose;

    @Option(names = "--actor", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Who makes the change, kept with it (default: $USER, else configstore-cli).")
    String actor;

    @Option(names = "--reason", scope = ScopeType.INHERIT, paramLabel = "TEXT",
            description = "Why the change is made, kept with it.")
    String reason;

    private final Function<String, String> environment;
    private final Terminal terminal;
    private final PrintStream out;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    ConfigstoreCli(Function<String, String> environment, Terminal terminal, PrintStream out) {
        this.environment = environment;
        this.terminal = terminal;
        this.out = out;
    }

    /** Runs the tool and exits with its exit code. */
    public static void main(String[] args) {
        // Before any logger exists: warnings only, unless --verbose; the pre-migration backup is always told.
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.configstore.sqlite.SqliteBackup", "info");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.exit(run(args, System::getenv, new Terminal(System.in, System.err, System.console()), System.out,
                System.err));
    }

    /**
     * Runs the tool with the given environment and streams; returns the exit code. Every failure, a command line that
     * does not parse included, prints one line on standard error and, under {@code --json}, the
     * {@code {"error":{"kind","exitCode","message"}}} object on standard output. No message quotes an argument or
     * repeats a library's or parser's own text: either may hold a secret given in the wrong place.
     */
    static int run(String[] args, Function<String, String> environment, Terminal terminal, PrintStream out,
                   PrintStream err) {
        ConfigstoreCli root = new ConfigstoreCli(environment, terminal, out);
        List<String> arguments = List.of(args);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExitCodeExceptionMapper(failure -> ExitCode.of(failure).code());
        commandLine.setParameterExceptionHandler((failure, ignored) -> {
            // Parsing stopped at the bad argument, perhaps before --json was read: the arguments say whether it was.
            root.json |= arguments.stream().takeWhile(arg -> !arg.equals("--")).anyMatch(arg -> arg.equals("--json"));
            root.fail(err, ExitCode.USAGE, UsageError.describe(failure, arguments) + ". Run '"
                    + failure.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.USAGE.code();
        });
        commandLine.setExecutionExceptionHandler((failure, command, parsed) -> {
            ExitCode code = ExitCode.of(failure);
            // Only our own exceptions' messages are shown: another library's may quote the input it failed on.
            root.fail(err, code, code != ExitCode.INTERNAL ? failure.getMessage() : "unexpected error ("
                    + failure.getClass().getName() + "); " + (root.verbose ? "its stack trace follows" : "rerun with"
                    + " --verbose for the stack trace") + ", and report it");
            if (root.verbose) {
                VerboseStackTrace.print(failure, err);
            }
            return code.code();
        });
        return commandLine.execute(args);
    }

    /** Prints a failure: the JSON error object under {@code --json}, and always one line on standard error. */
    private void fail(PrintStream err, ExitCode code, String message) {
        if (json) {
            ObjectNode error = mapper.createObjectNode();
            error.putObject("error").put("kind", code.name().toLowerCase(Locale.ROOT)).put("exitCode", code.code())
                    .put("message", message);
            print(error);
        }
        err.println("configstore: " + message);
    }

    /** The store URL: {@code --store}, else the environment, else the default. */
    String storeUrl() {
        if (store != null) {
            return store;
        }
        String fromEnvironment = environment.apply(STORE_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_STORE : fromEnvironment;
    }

    /** The master keys, from the environment. */
    CipherSource cipher() {
        return CipherSource.of(MasterKeys.builder().environment(environment).build());
    }

    /**
     * Opens an existing store without migrating it, for a command that reads or changes what is there: a store that
     * does not exist is an error, and nothing is created; a schema that is not current is an error that says to run
     * {@code configstore migrate}.
     */
    StoreSet open() {
        return open(storeUrl(), MigrationMode.VALIDATE, false);
    }

    /** Opens the store for a command that adds entries: as {@link #open()}, but a file store may be created. */
    StoreSet openCreating() {
        return open(storeUrl(), MigrationMode.VALIDATE, true);
    }

    /**
     * Opens the store at {@code url}. Unless {@code mayCreate}, a SQLite or file store that does not exist fails
     * before anything is created (SQLite in validate mode never creates its file either: a new file has every
     * migration pending).
     */
    StoreSet open(String url, MigrationMode mode, boolean mayCreate) {
        String location = url.strip();
        StoreSetProvider provider = StoreSets.provider(location, Thread.currentThread().getContextClassLoader());
        try {
            if (provider instanceof FileStoreSetProvider) {
                // The provider's open always creates; the builder's createIfAbsent(false) is the guarantee.
                Path directory = FileStoreSetProvider.directory(location);
                if (!mayCreate) {
                    requireStore(url, directory.resolve(FileStoreSet.STORE_FILE));
                }
                return FileStoreSet.builder().directory(directory).cipherSource(cipher()).createIfAbsent(mayCreate)
                        .open();
            }
            if (provider instanceof SqliteStoreSetProvider && mode == MigrationMode.VALIDATE) {
                requireStore(url, SqliteStoreSetProvider.path(location));
            }
            return provider.open(location, cipher(), mode);
        } catch (SchemaMigrationException e) {
            if (mode == MigrationMode.VALIDATE) {
                throw new SchemaMigrationException("run 'configstore migrate' (with the same --store) to bring the"
                        + " store's schema up to date; it says what stands in the way if it cannot. " + e.getMessage(),
                        e);
            }
            throw e;
        }
    }

    /** Fails, creating nothing, when the file a store lives in does not exist. */
    private static void requireStore(String url, Path file) {
        if (!Files.exists(file)) {
            throw new StorageException("there is no store at " + SchemaCommands.shown(url) + " (" + file
                    .toAbsolutePath() + " does not exist), and nothing was created: check --store or $"
                    + STORE_VARIABLE + ", or run 'configstore migrate' to create the store there");
        }
    }

    /** Who and why, for every write. */
    ChangeContext change() {
        String who = actor;
        if (who == null) {
            String user = environment.apply("USER");
            who = user == null || user.isBlank() ? "configstore-cli" : user;
        }
        return ChangeContext.by(who, reason);
    }

    Function<String, String> environment() {
        return environment;
    }

    Terminal terminal() {
        return terminal;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    boolean json() {
        return json;
    }

    /** Prints a line for people, unless the output is JSON. */
    void say(String line) {
        if (!json) {
            out.println(line);
        }
    }

    /** Prints a JSON value. */
    void print(JsonNode value) {
        try {
            out.println(mapper.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    /** Prints {@code value} as JSON in JSON mode, else {@code text}. */
    void result(JsonNode value, String text) {
        if (json) {
            print(value);
        } else if (!text.isEmpty()) {
            out.print(text.endsWith("\n") ? text : text + "\n");
        }
    }

    /** A map from the environment, for layers that take one (the effective configuration). */
    Map<String, String> environmentMap() {
        return System.getenv();
    }
}
