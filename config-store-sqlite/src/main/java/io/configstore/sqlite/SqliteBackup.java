package io.configstore.sqlite;

import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationState;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online backup and restore of a configstore SQLite file, through SQLite's backup API (sqlite-jdbc's {@code backup to}
 * and {@code restore from} statements). A backup is consistent and includes commits still in the {@code -wal} file
 * (copying the {@code .db} file alone would lose them); other connections and processes may keep reading and writing
 * while it runs.
 *
 * <pre>{@code
 * SqliteBackup.backup(Path.of("data/configstore.db"), Path.of("backups/configstore-2024-05-01.db"));
 * SqliteBackup.restore(Path.of("backups/configstore-2024-05-01.db"), Path.of("data/configstore.db"));
 * }</pre>
 */
public final class SqliteBackup {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteBackup.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** How many names a pre-migration backup tries when others took the first ones in the same millisecond. */
    private static final int MAX_NAME_ATTEMPTS = 100;

    private SqliteBackup() {
    }

    /**
     * Writes a consistent copy of {@code database} to {@code target}, creating the target's directory. The target must
     * not exist yet, so that a backup never overwrites another. Like the database, the copy is readable by its owner
     * only (mode 0600 on POSIX file systems).
     *
     * @return the target, absolute
     * @throws ValidationException when {@code database} does not exist, the target exists or a path holds a double quote
     * @throws StorageException when SQLite cannot read the database or write the target
     */
    public static Path backup(Path database, Path target) {
        Path source = existingDatabase(database);
        Path destination = usablePath("target", target);
        if (Files.exists(destination)) {
            throw new ValidationException("the backup target " + destination + " exists already; choose a new file"
                    + " name (a backup never overwrites a file)");
        }
        createOwnerOnly(destination);
        try {
            execute(source, "backup to \"" + destination + "\"", "backing up " + source + " to " + destination);
        } catch (RuntimeException e) {
            // An empty or partial file would pass for a backup, and block the next attempt under the same name.
            try {
                Files.deleteIfExists(destination);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return destination;
    }

    /**
     * Creates the empty target and its directory, with mode 0600 on POSIX file systems: a backup holds what the
     * database holds, and SQLite keeps the mode of a file that exists (it would otherwise follow the umask). SQLite
     * takes an empty file for an empty database.
     */
    private static void createOwnerOnly(Path destination) {
        try {
            Path parent = destination.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(destination, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(destination);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ValidationException("the backup target " + destination + " exists already; choose a new file"
                    + " name (a backup never overwrites a file)");
        } catch (IOException e) {
            throw new StorageException("cannot create the backup " + destination + " ("
                    + e.getClass().getSimpleName() + "); check that its directory is writable", e);
        }
    }

    /**
     * Replaces the content of {@code database} with the backup in {@code backup}, in one step: other connections see
     * the database before or after, never a mixture. Check first that nothing is writing to the store. The backup must
     * be a configstore database (it has a {@code schema_version} table). Subscribers of store sets open on the
     * database are told {@link io.configstore.change.ChangeKind#RESYNC}, since the restore undoes changes they saw.
     *
     * @throws ValidationException when the backup does not exist or is not a configstore SQLite database, or a path holds a double quote
     * @throws StorageException when SQLite cannot read the backup or write the database
     */
    public static void restore(Path backup, Path database) {
        Path source = existingDatabase(backup);
        Path destination = usablePath("database", database);
        requireConfigstoreDatabase(source);
        execute(destination, "restore from \"" + source + "\"", "restoring " + destination + " from " + source);
    }

    /**
     * When the database already holds a schema and migrations are pending, backs it up next to itself as
     * {@code <file>.before-v<from>-to-v<to>.<UTC time>.bak} and logs the path at INFO: the copy to restore when a
     * migration goes wrong. A new, empty database is not backed up.
     *
     * @return the backup, or empty when none was needed
     */
    static Optional<Path> beforeMigration(Path database, List<MigrationInfo> migrations, Clock clock) {
        int from = migrations.stream().filter(info -> info.state() == MigrationState.APPLIED)
                .mapToInt(MigrationInfo::version).max().orElse(0);
        int to = migrations.stream().filter(info -> info.state() == MigrationState.PENDING)
                .mapToInt(MigrationInfo::version).max().orElse(0);
        if (from == 0 || to == 0) {
            return Optional.empty();
        }
        String name = database.getFileName() + ".before-v" + from + "-to-v" + to + "." + STAMP.format(clock.instant());
        Path target = database.resolveSibling(name + ".bak");
        // Two processes opening the same old file at once may both back it up within one millisecond: the second
        // takes the next free name instead of failing its open (the migration lock then lets one of them migrate).
        for (int attempt = 1; ; attempt++) {
            try {
                backup(database, target);
                break;
            } catch (ValidationException e) {
                if (!Files.exists(target) || attempt == MAX_NAME_ATTEMPTS) {
                    throw e;
                }
                target = database.resolveSibling(name + "-" + attempt + ".bak");
            }
        }
        LOG.info("backed up {} (schema version {}) to {} before migrating it to version {}; restore it with"
                + " SqliteBackup.restore or 'configstore restore' if the migration goes wrong", database, from, target,
                to);
        return Optional.of(target);
    }

    private static Path existingDatabase(Path file) {
        Path path = usablePath("database", file);
        if (!Files.isRegularFile(path)) {
            throw new ValidationException("there is no SQLite database at " + path + "; check the path");
        }
        return path;
    }

    private static Path usablePath(String what, Path file) {
        Arguments.requireNonNull(what, file);
        Path absolute = file.toAbsolutePath().normalize();
        // The driver's backup statement takes the path in double quotes, with no way to escape one.
        if (absolute.toString().indexOf('"') >= 0) {
            throw new ValidationException("the " + what + " path " + absolute + " contains a double quote, which"
                    + " SQLite's backup statement cannot take; rename it");
        }
        return absolute;
    }

    private static void requireConfigstoreDatabase(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
            if (!row.next() || row.getInt(1) != 1) {
                throw new ValidationException(file + " is not a configstore database (it has no schema_version"
                        + " table); give a file written by 'configstore backup' or SqliteBackup.backup");
            }
        } catch (SQLException e) {
            throw new ValidationException(file + " is not a readable SQLite database (" + e.getErrorCode() + "); give"
                    + " a file written by 'configstore backup' or SqliteBackup.backup", e);
        }
    }

    private static void execute(Path database, String statementText, String what) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = connection.createStatement()) {
            statement.executeUpdate(statementText);
        } catch (SQLException e) {
            throw new StorageException(what + " failed (SQLite error " + e.getErrorCode() + "); check that both files"
                    + " are on a local disk, readable and writable by this process, and that no other process holds a"
                    + " long write lock on them", e);
        }
    }
}
