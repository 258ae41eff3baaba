package io.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.EntityKind;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeHistory;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.ChangeContext;
import io.configstore.store.StoreSet;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code configstore history} and {@code configstore rollback}: the audit trail and putting an entity back. */
final class HistoryCommands {
    private HistoryCommands() {
    }

    /** provider, key or document, as the commands name them. */
    static EntityKind entity(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "provider" -> EntityKind.PROVIDER_CONFIG;
            case "key" -> EntityKind.API_KEY;
            case "document" -> EntityKind.CONFIG_DOCUMENT;
            default -> throw new ValidationException("ENTITY must be provider, key or document");
        };
    }

    /** An entry as JSON; an API key's ciphertext is left out of the output. */
    static ObjectNode entryJson(CliCommand command, HistoryEntry entry) {
        ObjectNode node = command.object();
        node.put("entity", entry.entity().name());
        node.put("tenantId", entry.tenantId());
        node.put("id", entry.entityId());
        node.put("version", entry.version());
        node.put("changeType", entry.changeType().name());
        node.put("changedAt", entry.changedAt().toString());
        node.put("changedBy", entry.changedBy());
        node.put("reason", entry.reason());
        ObjectNode snapshot = entry.snapshotJson();
        snapshot.remove(EntitySnapshots.CIPHERTEXT);
        node.set("snapshot", snapshot);
        return node;
    }

    static String line(HistoryEntry e) {
        return String.format(Locale.ROOT, "%-16s %-36s v%-4d %-14s %s by %s%s", e.entity(), e.entityId(),
                e.version(), e.changeType(), e.changedAt(), e.changedBy(),
                e.reason() == null ? "" : " (" + e.reason() + ")");
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = {"List the change history: of one entity (history provider|key|document ID), or of the"
                    + " tenant within a time range (history --since 2026-01-01T00:00:00Z).",
                    "A provider or key is named by its id (see 'provider list' and 'key list'), a document by its"
                            + " name. API keys' secrets never appear, not even encrypted."})
    static final class History extends CliCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ENTITY", description = "provider, key or document.")
        String entity;

        @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The id (a document's name).")
        String id;

        @Option(names = "--since", paramLabel = "INSTANT",
                description = "List the tenant's entries written at or after this instant (ISO-8601, UTC).")
        String since;

        @Option(names = "--until", paramLabel = "INSTANT",
                description = "... and before this instant (default: now).")
        String until;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many entries (1 to 1000;"
                + " default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many entries first (paging).")
        int offset;

        @Override
        void run() {
            if ((entity == null) == (since == null)) {
                throw new ValidationException("name an entity and its id (history document app), or a time range"
                        + " (history --since 2026-01-01T00:00:00Z), not both and not neither");
            }
            if (entity != null && id == null) {
                throw new ValidationException("history " + entity + " needs the id (a document's name)");
            }
            try (StoreSet stores = root().open()) {
                ChangeHistory history = tenant(stores).history();
                List<HistoryEntry> entries = entity != null ? history.list(entity(entity), id)
                        : history.list(instant("--since", since), until == null ? Instant.now()
                                : instant("--until", until), offset, limit);
                ArrayNode array = root().mapper().createArrayNode();
                StringBuilder text = new StringBuilder();
                for (HistoryEntry entry : entries) {
                    array.add(entryJson(this, entry));
                    text.append(line(entry)).append('\n');
                }
                root().result(array, entries.isEmpty() ? "no history entries" : text.toString());
            }
        }

        private static Instant instant(String option, String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new ValidationException(option + " must be an ISO-8601 instant in UTC, such as"
                        + " 2026-01-31T12:00:00Z");
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Put an entity back as it was at a version of its history (see 'history'); recorded as a"
                    + " new version of change type ROLLBACK. A deleted entity is created again.",
                    "Example: configstore rollback document app 3 --reason 'bad deploy'"})
    static final class Rollback extends WriteCommand {
        @Parameters(index = "0", paramLabel = "ENTITY", description = "provider, key or document.")
        String entity;

        @Parameters(index = "1", paramLabel = "ID", description = "The id (a document's name).")
        String id;

        @Parameters(index = "2", paramLabel = "VERSION", description = "The history version to go back to.")
        long version;

        @Override
        void run() {
            ChangeContext change = change();
            try (StoreSet stores = root().open()) {
                HistoryEntry entry = tenant(stores).history().rollback(entity(entity), id, version, change);
                root().result(entryJson(this, entry), "rolled back " + entity + " " + id + " to version " + version
                        + " (now version " + entry.version() + ")");
            }
        }
    }
}
