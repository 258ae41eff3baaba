package io.configstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.imports.ImportItem;
import io.configstore.imports.ImportOptions;
import io.configstore.imports.ImportReport;
import io.configstore.imports.OnExisting;
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
                default -> throw new ValidationException("--on-existing must be skip or fail, was '" + onExisting
                        + "'");
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
            description = "Import a bundle into the store, idempotently: entries it holds already are skipped (or the"
                    + " import fails). The export password is read from $" + PASSWORD_VARIABLE
                    + ", standard input or a prompt.")
    static final class Import extends CliCommand {
        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The bundle to import.")
        Path inFile;

        @picocli.CommandLine.Mixin
        ImportChoices choices = new ImportChoices();

        @Override
        void run() {
            ImportOptions options = choices.options(root());
            JsonNode bundle = read(inFile);
            char[] password = exportPassword(root());
            try (StoreSet stores = root().open()) {
                Terminal.Progress bar = root().terminal().progress("import");
                ImportReport report = StoreBundle.importInto(stores, bundle, password, options, bar::update);
                bar.finish();
                root().result(reportJson(root(), report), reportText(report));
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private JsonNode read(Path file) {
            try {
                return root().mapper().readTree(file.toFile());
            } catch (NoSuchFileException | java.io.FileNotFoundException e) {
                throw new CliNotFoundException("the bundle file " + file + " does not exist");
            } catch (IOException e) {
                throw new ValidationException("the bundle file " + file + " is not valid JSON ("
                        + e.getClass().getSimpleName() + "); give a file written by 'configstore export'", e);
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
                 StoreSet destination = root().open(target, MigrationMode.MIGRATE)) {
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
