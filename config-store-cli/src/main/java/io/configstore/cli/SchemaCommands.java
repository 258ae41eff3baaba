package io.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.StoreSets;
import io.configstore.crypto.Secret;
import io.configstore.error.ConfigStoreException;
import io.configstore.error.CryptoException;
import io.configstore.migration.MigrationInfo;
import io.configstore.migration.MigrationMode;
import io.configstore.migration.MigrationState;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.store.RewrapReport;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The store itself: its schema, what it holds, master-key rewrap and a health check. */
final class SchemaCommands {
    private SchemaCommands() {
    }

    static ArrayNode migrationsJson(ConfigstoreCli root, List<MigrationInfo> migrations) {
        ArrayNode array = root.mapper().createArrayNode();
        for (MigrationInfo info : migrations) {
            array.addObject().put("version", info.version()).put("description", info.description())
                    .put("state", info.state().name()).put("appliedAt", CliCommand.text(info.appliedAt()));
        }
        return array;
    }

    static int schemaVersion(List<MigrationInfo> migrations) {
        return migrations.stream().filter(info -> info.state() == MigrationState.APPLIED)
                .mapToInt(MigrationInfo::version).max().orElse(0);
    }

    /** The URL without its query string, which may hold a password. */
    static String shown(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Create the store or bring its schema up to date. A SQLite file with an older schema is"
                    + " backed up next to itself first.")
    static final class Migrate extends CliCommand {
        @Override
        void run() {
            Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(1);
            try (StoreSet stores = root().open(root().storeUrl(), MigrationMode.MIGRATE, true)) {
                List<MigrationInfo> migrations = stores.schema().info();
                List<MigrationInfo> appliedNow = migrations.stream()
                        .filter(info -> info.appliedAt() != null && info.appliedAt().isAfter(started)).toList();
                ObjectNode result = object();
                result.put("store", shown(root().storeUrl()));
                result.put("schemaVersion", schemaVersion(migrations));
                result.set("applied", migrationsJson(root(), appliedNow));
                StringBuilder text = new StringBuilder();
                for (MigrationInfo info : appliedNow) {
                    text.append("applied V").append(info.version()).append(' ').append(info.description())
                            .append('\n');
                }
                text.append(appliedNow.isEmpty() ? "schema is up to date" : "schema is now")
                        .append(" at version ").append(schemaVersion(migrations));
                root().result(result, text.toString());
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Show the store: its backend, schema, tenants and what each holds.")
    static final class Info extends CliCommand {
        @Override
        void run() {
            String url = root().storeUrl();
            try (StoreSet stores = root().open()) {
                List<MigrationInfo> migrations = stores.schema().info();
                ObjectNode result = object();
                result.put("store", shown(url));
                result.put("backend", StoreSets.provider(url, Thread.currentThread().getContextClassLoader())
                        .scheme());
                result.put("schemaVersion", schemaVersion(migrations));
                result.set("migrations", migrationsJson(root(), migrations));
                ArrayNode tenants = result.putArray("tenants");
                StringBuilder text = new StringBuilder();
                text.append("store:          ").append(shown(url)).append('\n');
                text.append("schema version: ").append(schemaVersion(migrations)).append('\n');
                for (String tenantId : stores.tenantIds()) {
                    TenantStores tenant = stores.forTenant(tenantId);
                    int providers = tenant.providers().list().size();
                    int keys = tenant.apiKeys().list().size();
                    int documents = tenant.documents().names().size();
                    tenants.addObject().put("id", tenantId).put("providers", providers).put("apiKeys", keys)
                            .put("documents", documents);
                    text.append("tenant ").append(tenantId).append(": ").append(providers).append(" provider(s), ")
                            .append(keys).append(" API key(s), ").append(documents).append(" document(s)\n");
                }
                Map<String, Long> byKey = stores.secrets().countByKeyId();
                ObjectNode keyIds = result.putObject("secretsByMasterKey");
                byKey.forEach(keyIds::put);
                text.append("secrets by master key: ").append(byKey);
                root().result(result, text.toString());
            }
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = "Re-encrypt every stored secret under the primary master key (after a master-key change).")
    static final class Rewrap extends CliCommand {
        @Option(names = "--batch-size", defaultValue = "200", description = "Rows per transaction (default: 200).")
        int batchSize;

        @Override
        void run() {
            try (StoreSet stores = root().open()) {
                Terminal.Progress bar = root().terminal().progress("rewrap");
                long total = stores.secrets().countByKeyId().values().stream().mapToLong(Long::longValue).sum();
                RewrapReport report = stores.secrets().rewrap(batchSize,
                        soFar -> bar.update(soFar.rewrapped(), total), root().change());
                bar.finish();
                ObjectNode result = object();
                result.put("primaryKeyId", report.primaryKeyId());
                result.put("rewrapped", report.rewrapped());
                result.put("batches", report.batches());
                result.put("complete", report.complete());
                ObjectNode remaining = result.putObject("remainingByKeyId");
                report.remainingByKeyId().forEach(remaining::put);
                root().result(result, "rewrapped " + report.rewrapped() + " secret(s) under '"
                        + report.primaryKeyId() + "'" + (report.complete() ? "; every secret is under it"
                        : "; still under other keys: " + report.remainingByKeyId()));
            }
        }
    }

    @Command(name = "doctor", mixinStandardHelpOptions = true,
            description = "Check the store: file integrity (SQLite), schema status, master keys in use, and that every"
                    + " API key decrypts. Exits non-zero when a check fails.")
    static final class Doctor extends CliCommand {
        private final List<ObjectNode> checks = new ArrayList<>();

        @picocli.CommandLine.Option(names = "--snapshot", paramLabel = "FILE",
                description = "Also check a configuration service's last-known-good snapshot file and say what a"
                        + " service would do now (UP, or DEGRADED from this snapshot).")
        Path snapshot;

        @Override
        void run() {
            String url = root().storeUrl();
            boolean fileExists = true;
            if (url.regionMatches(true, 0, "sqlite:", 0, "sqlite:".length())) {
                fileExists = integrity(DataCommands.sqliteFile(url, "doctor"));
            }
            // A missing file is one failed check; opening the store would only report it a second time.
            if (fileExists) {
                storeChecks();
            }
            if (snapshot != null) {
                SnapshotCommands.doctor(snapshot, exitCode == ExitCode.OK, this::check);
            }
            ObjectNode result = object();
            result.put("store", shown(url));
            result.put("healthy", exitCode == ExitCode.OK);
            ArrayNode array = result.putArray("checks");
            StringBuilder text = new StringBuilder();
            for (ObjectNode check : checks) {
                array.add(check);
                text.append(check.get("ok").asBoolean() ? "ok     " : "FAILED ").append(check.get("name").asText())
                        .append(": ").append(check.get("detail").asText()).append('\n');
            }
            text.append(exitCode == ExitCode.OK ? "the store is healthy" : "the store has problems");
            root().result(result, text.toString());
        }

        private void storeChecks() {
            try (StoreSet stores = root().open()) {
                check("schema", true, "version " + schemaVersion(stores.schema().info()) + ", no pending migration",
                        ExitCode.OK);
                Map<String, Long> byKey = stores.secrets().countByKeyId();
                check("master keys in use", true, byKey.isEmpty() ? "no secrets stored" : byKey.toString(),
                        ExitCode.OK);
                secrets(stores);
            } catch (ConfigStoreException e) {
                check(e instanceof CryptoException ? "master key" : "schema", false, e.getMessage(), ExitCode.of(e));
            }
        }

        private void check(String name, boolean ok, String detail, ExitCode failure) {
            checks.add(object().put("name", name).put("ok", ok).put("detail", detail));
            if (!ok && exitCode == ExitCode.OK) {
                exitCode = failure;
            }
        }

        /** Checks the SQLite file's integrity; false when there is no file. */
        private boolean integrity(Path file) {
            if (!Files.isRegularFile(file)) {
                check("file", false, "there is no database at " + file + " (nothing was created): check --store,"
                        + " or run 'configstore migrate' to create the store there", ExitCode.STORAGE);
                return false;
            }
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
                List<String> problems = new ArrayList<>();
                while (rows.next()) {
                    problems.add(rows.getString(1));
                }
                boolean ok = problems.equals(List.of("ok"));
                check("integrity", ok, ok ? "PRAGMA integrity_check: ok" : String.join("; ", problems),
                        ExitCode.STORAGE);
            } catch (SQLException e) {
                check("integrity", false, "cannot read " + file + " as SQLite (error " + e.getErrorCode() + ")",
                        ExitCode.STORAGE);
            }
            return true;
        }

        private void secrets(StoreSet stores) {
            int checked = 0;
            List<String> failures = new ArrayList<>();
            for (String tenantId : stores.tenantIds()) {
                TenantStores tenant = stores.forTenant(tenantId);
                for (ApiKeyMetadata key : tenant.apiKeys().list()) {
                    checked++;
                    try (Secret ignored = tenant.apiKeys().reveal(key.id())) {
                        // Decrypting proves the ciphertext and the master key; the value is not used.
                    } catch (CryptoException e) {
                        failures.add(e.getMessage());
                    }
                }
            }
            check("API keys decrypt", failures.isEmpty(), failures.isEmpty() ? checked + " of " + checked + " decrypt"
                    : failures.size() + " of " + checked + " do not decrypt: " + String.join("; ", failures),
                    ExitCode.CRYPTO);
        }
    }
}
