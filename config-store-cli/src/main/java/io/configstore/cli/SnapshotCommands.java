package io.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.service.LastKnownGood;
import io.configstore.service.SnapshotFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code configstore snapshot ...}: the last-known-good snapshot a configuration service keeps to serve while its
 * store is away. Shows what a snapshot holds by name, version and revision, never a setting value, a document's
 * content, a ciphertext or a secret.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Inspect the last-known-good snapshot a configuration service keeps.",
        subcommands = {SnapshotCommands.Inspect.class})
final class SnapshotCommands {
    private SnapshotCommands() {
    }

    /** The snapshot's summary as JSON: where it came from, when, its revisions and what it holds. */
    static ObjectNode summary(LastKnownGood snapshot, ObjectNode node) {
        node.put("store", snapshot.storeIdentity());
        node.put("tenant", snapshot.tenantId());
        node.put("syncedAt", snapshot.syncedAt().toString());
        node.put("ageSeconds", Duration.between(snapshot.syncedAt(), Instant.now()).toSeconds());
        node.put("revisions", snapshot.revisions());
        node.put("providers", snapshot.providers().size());
        node.put("apiKeys", snapshot.apiKeys().size());
        node.put("documents", snapshot.documents().size());
        return node;
    }

    /** The one-line summary for people. */
    static String summaryLine(LastKnownGood snapshot) {
        return "store " + snapshot.storeIdentity() + ", tenant " + snapshot.tenantId() + ", synced "
                + snapshot.syncedAt() + " (" + Duration.between(snapshot.syncedAt(), Instant.now()).toSeconds()
                + " s ago), revisions " + snapshot.revisions() + ": " + snapshot.providers().size() + " provider(s), "
                + snapshot.apiKeys().size() + " API key(s), " + snapshot.documents().size() + " document(s)";
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Verify a snapshot file (header, checksum) and list what it holds: provider configurations,"
                    + " API keys and documents with their versions. Never prints a secret, a ciphertext or a value.")
    static final class Inspect extends CliCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file, e.g. data/configstore.snapshot.")
        Path file;

        @Override
        void run() {
            LastKnownGood snapshot = SnapshotFile.read(file);
            ObjectNode result = summary(snapshot, object());
            result.put("file", file.toString());
            StringBuilder text = new StringBuilder("snapshot " + file + " is intact\n" + summaryLine(snapshot) + "\n");
            ArrayNode providers = result.putArray("providerConfigs");
            for (ProviderConfig p : snapshot.providers()) {
                providers.addObject().put("id", p.id()).put("providerType", p.providerType()).put("name", p.name())
                        .put("version", p.version()).put("enabled", p.enabled()).put("isDefault", p.isDefault());
                text.append("  provider ").append(p.providerType()).append('/').append(p.name()).append(" v")
                        .append(p.version()).append('\n');
            }
            ArrayNode keys = result.putArray("keys");
            for (ApiKeyMetadata k : snapshot.apiKeys()) {
                boolean sealed = snapshot.sealed().containsKey(k.id());
                keys.addObject().put("id", k.id()).put("providerType", k.providerType()).put("keyName", k.keyName())
                        .put("version", k.version()).put("active", k.active())
                        .put("encryptionKeyId", k.encryptionKeyId()).put("ciphertextKept", sealed);
                text.append("  API key ").append(k.providerType()).append('/').append(k.keyName()).append(" v")
                        .append(k.version()).append(k.active() ? " active" : " inactive")
                        .append(sealed ? ", ciphertext kept (not shown)" : ", no ciphertext").append('\n');
            }
            ArrayNode documents = result.putArray("documentRevisions");
            for (ConfigDocument d : snapshot.documents()) {
                documents.addObject().put("name", d.name()).put("revision", d.revision())
                        .put("formatVersion", d.formatVersion());
                text.append("  document ").append(d.name()).append(" revision ").append(d.revision()).append('\n');
            }
            root().result(result, text.toString());
        }
    }

    /** A doctor check: its name, whether it passed, what was found, the exit code when it failed. */
    @FunctionalInterface
    interface DoctorCheck {
        void check(String name, boolean ok, String detail, ExitCode failure);
    }

    /**
     * The checks {@code doctor --snapshot FILE} adds: whether the snapshot is intact, and the health a service would
     * report now, given whether the store answered the doctor's own checks.
     */
    static void doctor(Path file, boolean storeAnswers, DoctorCheck check) {
        LastKnownGood snapshot;
        try {
            snapshot = SnapshotFile.read(file);
        } catch (io.configstore.error.StorageException e) {
            check.check("snapshot", false, e.getMessage(), ExitCode.STORAGE);
            check.check("service health", storeAnswers, storeAnswers ? "UP: the store answers (the snapshot is"
                    + " rewritten by the next service that loads)" : "DOWN: the store does not answer and the snapshot"
                    + " is unusable; a service would fail to start", ExitCode.STORAGE);
            return;
        }
        check.check("snapshot", true, "intact; " + summaryLine(snapshot), ExitCode.OK);
        check.check("service health", true, storeAnswers ? "UP: the store answers"
                : "DEGRADED: the store does not answer; a service with degradedStart would serve this snapshot"
                        + " read-only (revisions " + snapshot.revisions() + ")", ExitCode.OK);
    }
}
