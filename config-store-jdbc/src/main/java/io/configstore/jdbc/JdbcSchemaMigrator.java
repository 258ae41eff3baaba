package io.configstore.jdbc;

import io.configstore.error.ConfigStoreException;
import io.configstore.error.SchemaMigrationException;
import io.configstore.internal.Arguments;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationMode;
import io.configstore.migration.MigrationReport;
import io.configstore.migration.MigrationState;
import io.configstore.migration.SchemaMigrator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SchemaMigrator} of every SQL backend, following Flyway's rules: versioned scripts from the classpath
 * (listed by the {@link SqlDialect}), recorded in {@code schema_version} with a SHA-256 checksum.
 *
 * <p>Each migration runs in its own transaction together with its history row, so a crash never leaves a migration
 * applied but unrecorded. Before reading the history, that transaction takes the dialect's migration lock, so that
 * migrators starting at once in several threads or processes apply each migration exactly once: the second one
 * waits, then re-reads the history and finds nothing left to do.
 *
 * <p>Refusals, each a {@link SchemaMigrationException} naming the migration and the fix: an applied script whose
 * checksum changed; an applied migration this code does not know (a database newer than the code is never
 * downgraded); a pending migration older than an applied one; a schema that holds tables but no history (configstore
 * never runs V1 over a database it did not create).
 */
public final class JdbcSchemaMigrator implements SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSchemaMigrator.class);
    private static final String HISTORY_TABLE = "schema_version";

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Clock clock;
    private final SqlErrorTranslator errors;
    private final List<MigrationScript> scripts;

    /** One row of {@code schema_version}. */
    private record Applied(int version, String description, String checksum, Instant appliedAt, long durationMs) {
    }

    /** What the database holds: its tables and, when the history table exists, the applied migrations. */
    private record History(Set<String> tables, Map<Integer, Applied> applied) {
        boolean exists() {
            return tables.contains(HISTORY_TABLE);
        }
    }

    /**
     * A migrator for the database behind {@code dataSource}, with the migrations {@code dialect} lists. The scripts
     * are read and checked now, so that a broken jar fails at construction.
     *
     * @throws SchemaMigrationException when a listed script is missing, misnamed, out of order or cannot be split
     */
    public JdbcSchemaMigrator(DataSource dataSource, SqlDialect dialect, Clock clock) {
        this.dataSource = Arguments.requireNonNull("dataSource", dataSource);
        this.dialect = Arguments.requireNonNull("dialect", dialect);
        this.clock = Arguments.requireNonNull("clock", clock);
        this.errors = new SqlErrorTranslator(dialect, clock);
        ClassLoader loader = dialect.getClass().getClassLoader();
        List<MigrationScript> loaded = new ArrayList<>();
        for (String resource : dialect.migrations()) {
            MigrationScript script = MigrationScript.load(loader, resource);
            if (!loaded.isEmpty() && script.version() <= loaded.get(loaded.size() - 1).version()) {
                throw new SchemaMigrationException("the " + dialect.name() + " migrations are not listed in"
                        + " strictly increasing version order: " + script.label() + " comes after "
                        + loaded.get(loaded.size() - 1).label() + "; fix the dialect's migration list");
            }
            loaded.add(script);
        }
        this.scripts = List.copyOf(loaded);
    }

    /** Runs {@link #migrate()} or {@link #validate()}, as {@code mode} says: what a backend does when it opens. */
    public void apply(MigrationMode mode) {
        Arguments.requireNonNull("migrationMode", mode);
        if (mode == MigrationMode.MIGRATE) {
            migrate();
        } else {
            validate();
        }
    }

    @Override
    public MigrationReport migrate() {
        List<MigrationInfo> applied = new ArrayList<>();
        while (true) {
            Optional<MigrationInfo> step = applyNext();
            if (step.isEmpty()) {
                break;
            }
            applied.add(step.get());
        }
        int schemaVersion = readHistory("reading the schema version").applied().keySet().stream()
                .mapToInt(Integer::intValue).max().orElse(0);
        return new MigrationReport(applied, schemaVersion);
    }

    @Override
    public void validate() {
        History history = readHistory("validating the schema");
        check(history);
        List<MigrationScript> pending = pending(history);
        if (!pending.isEmpty()) {
            throw new SchemaMigrationException(dialect.describeDatabase() + " has " + pending.size() + " pending"
                    + " migration(s): " + pending.stream().map(MigrationScript::label).collect(Collectors.joining(", "))
                    + "; validate mode applies nothing: apply them (open once with MigrationMode.MIGRATE, or call"
                    + " schema().migrate()), then open again");
        }
    }

    @Override
    public List<MigrationInfo> info() {
        History history = readHistory("reading the migration history");
        List<MigrationInfo> infos = new ArrayList<>();
        for (MigrationScript script : scripts) {
            Applied applied = history.applied().get(script.version());
            if (applied == null) {
                infos.add(new MigrationInfo(script.version(), script.description(), script.checksum(),
                        MigrationState.PENDING, null, null));
            } else {
                MigrationState state = applied.checksum().equals(script.checksum())
                        ? MigrationState.APPLIED : MigrationState.CHECKSUM_MISMATCH;
                infos.add(info(applied, state));
            }
        }
        for (Applied applied : history.applied().values()) {
            if (known(applied.version()).isEmpty()) {
                infos.add(info(applied, MigrationState.UNKNOWN_TO_CODE));
            }
        }
        return List.copyOf(infos);
    }

    /** Applies the first pending migration in a transaction of its own, under the migration lock. */
    private Optional<MigrationInfo> applyNext() {
        String action = "migrating the schema";
        try (Connection connection = dataSource.getConnection()) {
            dialect.beginWrite(connection);
            boolean open = true;
            try {
                dialect.lockForMigration(connection);
                // Read the history only now, under the lock: another migrator may have just applied what we need.
                History history = readHistory(connection);
                check(history);
                if (!history.exists()) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(dialect.createHistoryTableSql());
                    }
                }
                List<MigrationScript> pending = pending(history);
                Optional<MigrationInfo> result = Optional.empty();
                if (!pending.isEmpty()) {
                    result = Optional.of(run(connection, pending.get(0)));
                }
                dialect.commit(connection);
                open = false;
                return result;
            } finally {
                if (open) {
                    try {
                        dialect.rollback(connection);
                    } catch (SQLException e) {
                        LOG.warn("rolling back a failed migration transaction on {} failed",
                                dialect.describeDatabase(), e);
                    }
                }
            }
        } catch (SQLException e) {
            throw asMigrationError(action, e);
        }
    }

    private MigrationInfo run(Connection connection, MigrationScript script) throws SQLException {
        long started = System.nanoTime();
        List<String> statements = script.statements();
        for (int i = 0; i < statements.size(); i++) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(statements.get(i));
            } catch (SQLException e) {
                ConfigStoreException translated = errors.translate("statement " + (i + 1) + " of migration "
                        + script.label(), e);
                throw new SchemaMigrationException("migration " + script.label() + " failed and was rolled back,"
                        + " nothing of it was applied: " + translated.getMessage(), e);
            }
        }
        long durationMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Instant appliedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + HISTORY_TABLE
                + " (version, description, checksum, applied_at, duration_ms) VALUES (?, ?, ?, ?, ?)")) {
            insert.setInt(1, script.version());
            insert.setString(2, script.description());
            insert.setString(3, script.checksum());
            dialect.setInstant(insert, 4, appliedAt);
            insert.setLong(5, durationMs);
            insert.executeUpdate();
        }
        LOG.info("applied migration {} to {} in {} ms", script.label(), dialect.describeDatabase(), durationMs);
        return new MigrationInfo(script.version(), script.description(), script.checksum(), MigrationState.APPLIED,
                appliedAt, Duration.ofMillis(durationMs));
    }

    /** Throws when the history and the code disagree in a way no migration can fix. */
    private void check(History history) {
        String database = dialect.describeDatabase();
        if (!history.exists()) {
            if (!history.tables().isEmpty()) {
                throw new SchemaMigrationException(database + " already holds tables (" + String.join(", ",
                        new TreeSet<>(history.tables())) + ") but no " + HISTORY_TABLE + " table: configstore did"
                        + " not create it, or its history was dropped. configstore will not run V1 over it; point"
                        + " configstore at a new, empty database (or restore the history from a backup)");
            }
            return;
        }
        int codeMax = scripts.isEmpty() ? 0 : scripts.get(scripts.size() - 1).version();
        int appliedMax = 0;
        for (Applied applied : history.applied().values()) {
            appliedMax = Math.max(appliedMax, applied.version());
            Optional<MigrationScript> script = known(applied.version());
            if (script.isEmpty()) {
                if (applied.version() > codeMax) {
                    throw new SchemaMigrationException("the database is newer than this code: " + database
                            + " is at schema version " + history.applied().keySet().stream().mapToInt(v -> v).max()
                            .orElse(0) + ", this code knows migrations up to version " + codeMax + "; upgrade"
                            + " configstore (a schema is never downgraded)");
                }
                throw new SchemaMigrationException("migration V" + applied.version() + " ("
                        + applied.description() + ") is applied to " + database + " but unknown to this code: it"
                        + " was deleted or renamed; restore it in the " + dialect.name() + " migrations");
            }
            if (!script.get().checksum().equals(applied.checksum())) {
                throw new SchemaMigrationException("migration checksum mismatch for migration "
                        + script.get().label() + ": it was applied to " + database + " with checksum "
                        + applied.checksum() + " but '" + script.get().resource() + "' now has checksum "
                        + script.get().checksum() + "; an applied migration must never be edited: restore the"
                        + " original script and put the change in a new migration");
            }
        }
        for (MigrationScript script : pending(history)) {
            if (script.version() < appliedMax) {
                throw new SchemaMigrationException("migration " + script.label() + " is not applied to " + database
                        + " but the later V" + appliedMax + " is; configstore never applies migrations out of"
                        + " order: renumber the new migration above V" + appliedMax);
            }
        }
    }

    private List<MigrationScript> pending(History history) {
        return scripts.stream().filter(s -> !history.applied().containsKey(s.version())).toList();
    }

    private Optional<MigrationScript> known(int version) {
        return scripts.stream().filter(s -> s.version() == version).findFirst();
    }

    private History readHistory(String action) {
        try (Connection connection = dataSource.getConnection()) {
            return readHistory(connection);
        } catch (SQLException e) {
            throw asMigrationError(action, e);
        }
    }

    private History readHistory(Connection connection) throws SQLException {
        Set<String> tables = dialect.tableNames(connection);
        Map<Integer, Applied> applied = new TreeMap<>();
        if (tables.contains(HISTORY_TABLE)) {
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT version, description, checksum, applied_at,"
                         + " duration_ms FROM " + HISTORY_TABLE + " ORDER BY version")) {
                while (row.next()) {
                    Applied entry = new Applied(row.getInt("version"), row.getString("description"),
                            row.getString("checksum"), dialect.getInstant(row, "applied_at"),
                            row.getLong("duration_ms"));
                    applied.put(entry.version(), entry);
                }
            }
        }
        return new History(Set.copyOf(tables), applied);
    }

    private static MigrationInfo info(Applied applied, MigrationState state) {
        return new MigrationInfo(applied.version(), applied.description(), applied.checksum(), state,
                applied.appliedAt(), Duration.ofMillis(applied.durationMs()));
    }

    private SchemaMigrationException asMigrationError(String action, SQLException e) {
        return new SchemaMigrationException(errors.translate(action, e).getMessage(), e);
    }

    @Override
    public String toString() {
        return "JdbcSchemaMigrator[" + dialect.describeDatabase() + ", " + scripts.size() + " migrations]";
    }
}
