package io.configstore.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.imports.EnvironmentKeys;
import io.configstore.imports.ImportItem;
import io.configstore.imports.ImportOptions;
import io.configstore.imports.ImportReport;
import io.configstore.imports.ImportSource;
import io.configstore.imports.LegacyPostgresSource;
import io.configstore.imports.OnExisting;
import io.configstore.imports.PriorityTable;
import io.configstore.imports.ProviderKeyVariables;
import io.configstore.imports.ProviderKeysFile;
import io.configstore.imports.PythonSqliteSource;
import io.configstore.imports.StoreBundle;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.migration.MigrationMode;
import io.configstore.sqlite.SqliteBackup;
import io.configstore.sqlite.SqliteStoreSetProvider;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Moving data: export, import, copy between backends, SQLite backup and restore. */
final class DataCommands {
    /** The environment variable an export password may come from, for scripts. */
    static final String PASSWORD_VARIABLE = "CONFIGSTORE_EXPORT_PASSWORD";

    private DataCommands() {
    }

    static char[] exportPassword(ConfigstoreCli root) {
        String fromEnvironment = root.environment().apply(PASSWORD_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        return root.terminal().readSecret("export password");
    }

    static ObjectNode reportJson(ConfigstoreCli root, ImportReport report) {
        ObjectNode node = root.mapper().createObjectNode();
        node.put("source", report.source());
        node.put("dryRun", report.dryRun());
        node.put("imported", report.imported());
        node.put("skipped", report.skipped());
        node.put("failed", report.failed());
        node.put("verifiedSecrets", report.verifiedSecrets());
        ArrayNode warnings = node.putArray("warnings");
        report.warnings().forEach(warnings::add);
        ArrayNode items = node.putArray("items");
        for (ImportItem item : report.items()) {
            items.addObject().put("tenantId", item.tenantId()).put("entity", item.entity()).put("key", item.key())
                    .put("outcome", item.outcome().name().toLowerCase(Locale.ROOT)).put("detail", item.detail());
        }
        return node;
    }

    static String reportText(ImportReport report) {
        return report.describe();
    }

    /** The file of a sqlite: store, or a usage error for other backends. */
    static Path sqliteFile(String url, String command) {
        if (!url.regionMatches(true, 0, SqliteStoreSetProvider.SCHEME, 0, SqliteStoreSetProvider.SCHEME.length())) {
            throw new ValidationException("'" + command + "' works on sqlite: stores only; for PostgreSQL use the"
                    + " server's own backup (pg_dump), for any backend use 'configstore export'");
        }
        return SqliteStoreSetProvider.path(url);
    }

    /** Options shared by import and copy. */
    static final class ImportChoices {
        @Option(names = "--dry-run", description = "Write nothing; print what the import would do, entry by entry.")
        boolean dryRun;

        @Option(names = "--on-existing", defaultValue = "skip", paramLabel = "skip|fail",
                description = "What to do when the target holds an entry already: skip it (default) or fail,"
                        + " importing nothing.")
        String onExisting;

        ImportOptions options(ConfigstoreCli root) {
            OnExisting mode = switch (onExisting.toLowerCase(Locale.ROOT)) {
                case "skip" -> OnExisting.SKIP;
                case "fail" -> OnExisting.FAIL;
                default -> throw new ValidationException("--on-existing must be skip or fail");
            };
            return new ImportOptions(mode, dryRun, root.change());
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export every tenant to a portable JSON bundle. API keys are re-encrypted under an export"
                    + " password, read from $" + PASSWORD_VARIABLE + ", standard input or a prompt.")
    static final class Export extends CliCommand {
        @Option(names = "--out", paramLabel = "FILE",
                description = "Write the bundle here (created owner-only; must not exist). Default: standard output.")
        Path outFile;

        @Override
        void run() {
            char[] password = exportPassword(root());
            ObjectNode bundle;
            try (StoreSet stores = root().open()) {
                Terminal.Progress bar = root().terminal().progress("export");
                bundle = StoreBundle.export(stores, password, bar::update);
                bar.finish();
            } finally {
                Arrays.fill(password, '\0');
            }
            int tenants = bundle.get("tenants").size();
            if (outFile == null) {
                root().print(bundle);
                return;
            }
            write(outFile, bundle);
            root().result(object().put("file", outFile.toAbsolutePath().toString()).put("tenants", tenants),
                    "exported " + tenants + " tenant(s) to " + outFile);
        }

        private void write(Path file, JsonNode bundle) {
            Path target = file.toAbsolutePath();
            Path temporary = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            try {
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(temporary);
                try {
                    Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(temporary);
                }
                Files.write(temporary, root().mapper().writeValueAsBytes(bundle));
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new ValidationException("the file " + target + " exists already; choose a new name (export"
                        + " never overwrites a file)");
            } catch (IOException e) {
                throw new StorageException("cannot write the bundle to " + target + " ("
                        + e.getClass().getSimpleName() + "); check that the directory is writable", e);
            } finally {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Best effort: a leftover temporary file holds only ciphertext.
                }
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import into the store from exactly one source, idempotently: entries the store holds"
                    + " already are skipped and counted (or, with --on-existing fail, the import fails and writes"
                    + " nothing). Every secret is encrypted under the store's master key and read back before the"
                    + " import commits. Secrets and passwords are never arguments: they come from files, standard"
                    + " input or a prompt.",
                    "Sources: --in BUNDLE (export password from $" + PASSWORD_VARIABLE + ", standard input or a"
                    + " prompt); --provider-keys provider_keys.json; --env (OPENAI_API_KEY, ANTHROPIC_API_KEY, ..."
                    + " extend with --env-var); --python-sqlite DB with --fernet-key-file, or a password"
                    + " (--password-file, else standard input or a prompt) with --salt and --iterations;"
                    + " --legacy-postgres JDBC-URL (its tenants come along)."})
    static final class Import extends CliCommand {
        @Option(names = "--in", paramLabel = "FILE", description = "A bundle written by 'configstore export'.")
        Path inFile;

        @Option(names = "--provider-keys", paramLabel = "FILE",
                description = "A provider_keys.json: provider name to key, or to {apiKey, baseUrl, models, ...}.")
        Path providerKeys;

        @Option(names = "--env", description = "The provider keys in this process's environment.")
        boolean environment;

        @Option(names = "--env-var", paramLabel = "VARIABLE=TYPE",
                description = "With --env: also read VARIABLE as the key of provider type TYPE (repeatable).")
        java.util.List<String> environmentVariables = new java.util.ArrayList<>();

        @Option(names = "--python-sqlite", paramLabel = "DB",
                description = "A Python service's SQLite database (provider_configs, api_keys with Fernet tokens).")
        Path pythonDatabase;

        @Option(names = "--fernet-key-file", paramLabel = "FILE",
                description = "With --python-sqlite: a file holding the Fernet key (base64).")
        Path fernetKeyFile;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "With --python-sqlite: a file holding the password the Fernet key was derived from"
                        + " (default: standard input or a prompt).")
        Path passwordFile;

        @Option(names = "--salt", paramLabel = "BASE64",
                description = "With a password: the PBKDF2 salt, base64.")
        String salt;

        @Option(names = "--salt-text", paramLabel = "TEXT",
                description = "With a password: the PBKDF2 salt as UTF-8 text (services that hard-code it).")
        String saltText;

        @Option(names = "--iterations", defaultValue = "100000", paramLabel = "N",
                description = "With a password: PBKDF2-HMAC-SHA256 iterations (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--legacy-postgres", paramLabel = "JDBC-URL",
                description = "A legacy PostgreSQL database (provider_configs, config_versions); add"
                        + " currentSchema=S to the URL when its tables are not in public.")
        String legacyUrl;

        @Option(names = "--legacy-user", paramLabel = "NAME", description = "With --legacy-postgres: the user.")
        String legacyUser;

        @Option(names = "--legacy-password-file", paramLabel = "FILE",
                description = "With --legacy-postgres: a file holding the user's password (none: trust or"
                        + " .pgpass).")
        Path legacyPasswordFile;

        @Option(names = "--priority", paramLabel = "TEXT=N",
                description = "With --legacy-postgres: map the text priority TEXT to N (repeatable), beside"
                        + " critical=10 high=20 medium=normal=50 low=80 fallback=100.")
        java.util.List<String> priorities = new java.util.ArrayList<>();

        @picocli.CommandLine.Mixin
        ImportChoices choices = new ImportChoices();

        @Override
        void run() {
            ImportOptions options = choices.options(root());
            int sources = (inFile != null ? 1 : 0) + (providerKeys != null ? 1 : 0) + (environment ? 1 : 0)
                    + (pythonDatabase != null ? 1 : 0) + (legacyUrl != null ? 1 : 0);
            if (sources != 1) {
                throw new ValidationException("give exactly one source: --in, --provider-keys, --env,"
                        + " --python-sqlite or --legacy-postgres" + (sources > 1 ? " (one import per source)" : ""));
            }
            if (inFile != null) {
                importBundle(options);
                return;
            }
            ImportSource source = source();
            try (StoreSet stores = openTarget()) {
                Terminal.Progress bar = root().terminal().progress("import");
                ImportReport report = source.importInto(stores, options, bar::update);
                bar.finish();
                root().result(reportJson(root(), report), reportText(report));
            }
        }

        private ImportSource source() {
            String tenant = root().tenant;
            if (providerKeys != null) {
                return ProviderKeysFile.of(existing(providerKeys, "provider key file")).intoTenant(tenant);
            }
            if (environment) {
                ProviderKeyVariables table = ProviderKeyVariables.defaults();
                for (String mapping : environmentVariables) {
                    String[] parts = pair(mapping, "--env-var", "VARIABLE=TYPE");
                    table = table.without(parts[0]).with(parts[0], parts[1]);
                }
                java.util.Map<String, String> variables = new java.util.HashMap<>();
                for (String variable : table.asMap().keySet()) {
                    String value = root().environment().apply(variable);
                    if (value != null) {
                        variables.put(variable, value);
                    }
                }
                return EnvironmentKeys.of(variables, table).intoTenant(tenant);
            }
            if (pythonDatabase != null) {
                existing(pythonDatabase, "Python service database");
                if (fernetKeyFile != null) {
                    char[] key = secretFile(fernetKeyFile, "Fernet key file");
                    try {
                        return PythonSqliteSource.withFernetKey(pythonDatabase, new String(key)).intoTenant(tenant);
                    } finally {
                        Arrays.fill(key, '\0');
                    }
                }
                byte[] saltBytes = saltBytes();
                char[] password = passwordFile != null ? secretFile(passwordFile, "password file")
                        : root().terminal().readSecret("Fernet password");
                try {
                    return PythonSqliteSource.withPassword(pythonDatabase, password, saltBytes, iterations)
                            .intoTenant(tenant);
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
            PriorityTable table = PriorityTable.defaults();
            for (String mapping : priorities) {
                String[] parts = pair(mapping, "--priority", "TEXT=N");
                try {
                    table = table.with(parts[0], Integer.parseInt(parts[1].strip()));
                } catch (NumberFormatException e) {
                    throw new ValidationException("--priority takes TEXT=N, where N is a whole number from "
                            + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
                }
            }
            char[] password = legacyPasswordFile == null ? null
                    : secretFile(legacyPasswordFile, "legacy password file");
            try {
                return LegacyPostgresSource.of(legacyUrl, legacyUser, password).withPriorities(table);
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }

        /** The store to import into: a dry run writes nothing, so it creates no store either. */
        private StoreSet openTarget() {
            return choices.dryRun ? root().open() : root().openCreating();
        }

        private byte[] saltBytes() {
            if ((salt == null) == (saltText == null)) {
                throw new ValidationException("a password needs its PBKDF2 salt: give exactly one of --salt BASE64"
                        + " or --salt-text TEXT (or give --fernet-key-file instead)");
            }
            if (saltText != null) {
                return saltText.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            try {
                return java.util.Base64.getDecoder().decode(salt.strip());
            } catch (IllegalArgumentException e) {
                throw new ValidationException("--salt must be base64; for a salt written as text use --salt-text");
            }
        }

        private static String[] pair(String mapping, String option, String form) {
            int equals = mapping.indexOf('=');
            if (equals <= 0 || equals == mapping.length() - 1) {
                throw new ValidationException(option + " takes " + form + ", with text on both sides of the =");
            }
            return new String[] {mapping.substring(0, equals).strip(), mapping.substring(equals + 1).strip()};
        }

        private static Path existing(Path file, String what) {
            if (!Files.isRegularFile(file)) {
                throw new CliNotFoundException("the " + what + " " + file + " does not exist");
            }
            return file;
        }

        /** A secret kept in a file: its text without the trailing line end. */
        private static char[] secretFile(Path file, String what) {
            existing(file, what);
            byte[] bytes = null;
            try {
                bytes = Files.readAllBytes(file);
                int length = bytes.length;
                while (length > 0 && (bytes[length - 1] == '\n' || bytes[length - 1] == '\r')) {
                    length--;
                }
                if (length == 0) {
                    throw new ValidationException("the " + what + " " + file + " is empty");
                }
                java.nio.CharBuffer chars = java.nio.charset.StandardCharsets.UTF_8.decode(
                        java.nio.ByteBuffer.wrap(bytes, 0, length));
                char[] secret = new char[chars.remaining()];
                chars.get(secret);
                if (chars.hasArray()) {
                    Arrays.fill(chars.array(), '\0');
                }
                return secret;
            } catch (IOException e) {
                throw new StorageException("cannot read the " + what + " " + file + " ("
                        + e.getClass().getSimpleName() + "); check its permissions", e);
            } finally {
                if (bytes != null) {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
        }

        private void importBundle(ImportOptions options) {
            JsonNode bundle = read(inFile);
            char[] password = exportPassword(root());
            try (StoreSet stores = openTarget()) {
                Terminal.Progress bar = root().terminal().progress("import");
                ImportReport report = StoreBundle.importInto(stores, bundle, password, options, bar::update);
                bar.finish();
                root().result(reportJson(root(), report), reportText(report));
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        /**
         * The bundle, read strictly: a repeated key or text after the object (a half-edited or concatenated file) is
         * refused rather than read in part. An error names the line and column, never the text there.
         */
        private JsonNode read(Path file) {
            try (java.io.InputStream in = Files.newInputStream(file)) {
                return root().mapper().reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
                        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(in);
            } catch (NoSuchFileException | java.io.FileNotFoundException e) {
                throw new CliNotFoundException("the bundle file " + file + " does not exist");
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                throw new ValidationException("the bundle file " + file + " is not valid JSON" + (at == null ? ""
                        : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + " (a single JSON object"
                        + " is expected); give a file written by 'configstore export'", e);
            } catch (IOException e) {
                throw new StorageException("cannot read the bundle file " + file + " ("
                        + e.getClass().getSimpleName() + "); check its permissions", e);
            }
        }
    }

    @Command(name = "copy", mixinStandardHelpOptions = true,
            description = "Copy every tenant of the store (--store) into another (--to), in memory: an export and an"
                    + " import. The target is migrated if needed; both use the same master key settings.")
    static final class Copy extends CliCommand {
        @Option(names = "--to", required = true, paramLabel = "URL", description = "The target store's URL.")
        String target;

        @picocli.CommandLine.Mixin
        ImportChoices choices = new ImportChoices();

        @Override
        void run() {
            ImportOptions options = choices.options(root());
            try (StoreSet source = root().open();
                 StoreSet destination = root().open(target, MigrationMode.MIGRATE, true)) {
                Terminal.Progress bar = root().terminal().progress("copy");
                ImportReport report = StoreBundle.copy(source, destination, options, bar::update);
                bar.finish();
                root().result(reportJson(root(), report), reportText(report));
            }
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write a consistent online backup of a SQLite store to a new file.")
    static final class Backup extends CliCommand {
        @Option(names = "--to", required = true, paramLabel = "FILE", description = "The backup file (must not exist).")
        Path target;

        @Override
        void run() {
            Path database = sqliteFile(root().storeUrl(), "backup");
            Path written = SqliteBackup.backup(database, target);
            root().result(object().put("database", database.toAbsolutePath().toString())
                    .put("backup", written.toString()), "backed up " + database + " to " + written);
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Replace a SQLite store's content with a backup. Stop the applications using it first.")
    static final class Restore extends CliCommand {
        @Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup file.")
        Path source;

        @Override
        void run() {
            Path database = sqliteFile(root().storeUrl(), "restore");
            SqliteBackup.restore(source, database);
            root().result(object().put("database", database.toAbsolutePath().toString())
                    .put("restoredFrom", source.toAbsolutePath().toString()), "restored " + database + " from "
                    + source);
        }
    }
}
