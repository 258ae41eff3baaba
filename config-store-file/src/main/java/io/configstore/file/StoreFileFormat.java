package io.configstore.file;

import io.configstore.engine.StoredKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.error.MalformedJsonException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.idempotency.IdempotencyRecord;
import io.configstore.memory.StorageRows;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The store file's format, version {@value #FORMAT_VERSION}: one pretty-printed JSON object holding every tenant's
 * rows, with a SHA-256 checksum of the content.
 *
 * <pre>{@code
 * {
 *   "format" : "configstore",
 *   "formatVersion" : 1,
 *   "revision" : 7,
 *   "savedAt" : "2026-01-31T12:00:00.123Z",
 *   "checksum" : "sha256:<hex of SHA-256 over the compact JSON of metadata, then of tenants>",
 *   "metadata" : { "<name>" : "<value>" },
 *   "tenants" : { "<tenant>" : { "providers" : [...], "apiKeys" : [...], "documents" : { "<name>" : {...} } } },
 *   "changeLog" : { "from" : 1, "entries" : [ { "revision" : 7, "kind" : "CHANGED", "entity" : "CONFIG_DOCUMENT",
 *                   "tenantId" : "default", "key" : "app", "version" : 3 } ] }
 * }
 * }</pre>
 *
 * <p>The checksum covers the compact serialization of {@code metadata} (what the store keeps about itself, such as
 * master-key check values) followed by that of {@code tenants}, so re-indenting the file keeps it valid. A
 * file whose checksum does not match but which is valid JSON following this schema is a hand edit, and accepted; a
 * file that is not JSON at all is corrupt.
 */
final class StoreFileFormat {
    /** The format version this code writes and the newest it reads. */
    static final int FORMAT_VERSION = 1;
    static final String FORMAT_NAME = "configstore";

    private static final Set<String> TOP_FIELDS = Set.of("format", "formatVersion", "revision", "savedAt", "checksum",
            "metadata", "tenants", "changeLog", "history", "idempotency");
    private static final Set<String> TENANT_FIELDS = Set.of("providers", "apiKeys", "documents");
    private static final Set<String> PROVIDER_FIELDS = Set.of("id", "providerType", "name", "settings", "default",
            "enabled", "priority", "version", "createdAt", "updatedAt", "changedBy", "changeReason");
    private static final Set<String> KEY_FIELDS = Set.of("id", "providerType", "keyName", "active", "version",
            "encryptionKeyId", "ciphertext", "createdAt", "updatedAt", "lastUsedAt", "changedBy", "changeReason");
    private static final Set<String> DOCUMENT_FIELDS = Set.of("content", "formatVersion", "revision", "updatedAt",
            "changedBy", "changeReason");

    /**
     * Reads numbers as doubles, as configstore did before it kept them exactly ({@code 1.0E-5} read as a decimal is
     * written back {@code 0.000010}): only to check the checksum of a file written then, never for content.
     */
    private static final ObjectMapper NUMBERS_AS_DOUBLES = Json.newStrictMapper()
            .disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final ObjectMapper mapper;

    StoreFileFormat() {
        // Writes only: every read goes through the library's one strict reader, Json.readWhole.
        this.mapper = JsonMapper.builder().build();
    }

    /**
     * What a store file holds.
     *
     * @param log the change log, or null when the file has none or it is not readable (then changes are diffed)
     */
    record Content(StorageRows rows, long revision, boolean checksumMatches, ChangeLog log) {
    }

    /** One logged change: the store file revision that made it, and what it changed. */
    record LoggedChange(long revision, ChangeEvent event) {
    }

    /**
     * The changes of the last store file revisions, so that another engine that last saw revision {@code r} can tell
     * every version changed since, as a database's change table lets it: complete for every revision from
     * {@code from} on.
     */
    record ChangeLog(long from, List<LoggedChange> entries) {
        ChangeLog {
            entries = List.copyOf(entries);
        }

        /** A log that starts at {@code from} with nothing in it yet. */
        static ChangeLog startingAt(long from) {
            return new ChangeLog(from, List.of());
        }

        /** Whether every change after revision {@code seen} is in this log. */
        boolean covers(long seen) {
            return from <= seen + 1;
        }

        /** The changes after revision {@code seen}, up to and including {@code upTo}, in order. */
        List<ChangeEvent> after(long seen, long upTo) {
            return entries.stream().filter(e -> e.revision() > seen && e.revision() <= upTo)
                    .map(LoggedChange::event).toList();
        }

        /** This log with {@code changes} made by {@code revision}, keeping only the last {@code window} revisions. */
        ChangeLog append(long revision, List<ChangeEvent> changes, int window) {
            List<LoggedChange> all = new ArrayList<>();
            long oldest = revision - window + 1;
            entries.stream().filter(e -> e.revision() >= oldest).forEach(all::add);
            changes.forEach(c -> all.add(new LoggedChange(revision, c)));
            return new ChangeLog(Math.max(from, oldest), all);
        }
    }

    /** Serializes {@code rows} as store file revision {@code revision}, saved at {@code savedAt}, with {@code log}. */
    byte[] write(StorageRows rows, long revision, Instant savedAt, ChangeLog log) {
        ObjectNode tenants = tenants(rows);
        ObjectNode metadata = mapper.createObjectNode();
        new TreeMap<>(rows.metadata()).forEach(metadata::put);
        ObjectNode root = mapper.createObjectNode();
        root.put("format", FORMAT_NAME);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("revision", revision);
        root.put("savedAt", savedAt.toString());
        root.put("checksum", checksum(metadata, tenants));
        root.set("metadata", metadata);
        root.set("tenants", tenants);
        writeHistory(root, rows);
        ObjectNode logNode = root.putObject("changeLog");
        logNode.put("from", log.from());
        ArrayNode entries = logNode.putArray("entries");
        for (LoggedChange logged : log.entries()) {
            ChangeEvent e = logged.event();
            entries.addObject().put("revision", logged.revision()).put("kind", e.kind().name())
                    .put("entity", e.entity().name()).put("tenantId", e.tenantId()).put("key", e.key())
                    .put("version", e.version());
        }
        try {
            byte[] body = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            byte[] withNewline = new byte[body.length + 1];
            System.arraycopy(body, 0, withNewline, 0, body.length);
            withNewline[body.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            throw new StorageException("the store could not be written as JSON (" + e.getClass().getSimpleName()
                    + "); nothing was changed", e);
        }
    }

    /**
     * Reads a store file.
     *
     * @throws CorruptStoreFileException when the bytes are not a JSON object at all (empty, truncated, garbled)
     * @throws InvalidStoreFileException when they are JSON but break the schema, naming every path and expectation
     * @throws StorageException when the file was written by a newer format version
     */
    Content read(Path file, byte[] bytes) throws CorruptStoreFileException {
        JsonNode tree;
        try {
            tree = Json.readWhole("store file " + file, bytes, "a configstore store file (a JSON object)");
        } catch (MalformedJsonException e) {
            // A file that parses up to a duplicate key or text after the end is a hand edit (or two files run
            // together), not a torn write: refuse it for a person to fix rather than replace it with a backup.
            // The reader's message names the position and the problem, never the text (settings may hold keys).
            String problem = e.problem().description() + (e.line() < 0 ? ""
                    : " at line " + e.line() + ", column " + e.column());
            if (e.problem() == MalformedJsonException.Problem.DUPLICATE_KEY
                    || e.problem() == MalformedJsonException.Problem.TRAILING_CONTENT) {
                throw new InvalidStoreFileException(file, List.of(problem + "; expected each key once in an object"
                        + " and nothing after the store's closing brace"));
            }
            throw new CorruptStoreFileException("not valid JSON: " + problem);
        }
        if (!(tree instanceof ObjectNode root)) {
            throw new CorruptStoreFileException("its JSON is a " + tree.getNodeType() + ", not an object");
        }
        Problems problems = new Problems();
        Fields top = new Fields(root, "$", TOP_FIELDS, problems);
        String format = top.text("format", true);
        if (format != null && !FORMAT_NAME.equals(format)) {
            problems.add("$.format", "\"" + FORMAT_NAME + "\"", root.get("format"));
        }
        long formatVersion = top.integer("formatVersion", 1, Long.MAX_VALUE);
        if (formatVersion > FORMAT_VERSION) {
            throw new StorageException("store file " + file + " has format version " + formatVersion
                    + ", newer than the " + FORMAT_VERSION + " this version of configstore reads; upgrade configstore"
                    + " (it was not changed)");
        }
        long revision = top.integer("revision", 0, Long.MAX_VALUE);
        top.instant("savedAt", false);
        String checksum = top.text("checksum", false);
        ObjectNode tenantsNode = top.object("tenants");
        ObjectNode metadataNode = top.object("metadata");
        top.rejectUnknown();
        Map<String, String> metadata = new HashMap<>();
        if (metadataNode != null) {
            metadataNode.fields().forEachRemaining(entry -> {
                if (entry.getValue().isTextual()) {
                    metadata.put(entry.getKey(), entry.getValue().textValue());
                } else {
                    problems.add("$.metadata." + entry.getKey(), "a string", entry.getValue());
                }
            });
        }
        List<ProviderConfig> providers = new ArrayList<>();
        List<StoredKey> keys = new ArrayList<>();
        List<ConfigDocument> documents = new ArrayList<>();
        if (tenantsNode != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = tenantsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> tenant = it.next();
                readTenant(tenant.getKey(), tenant.getValue(), problems, providers, keys, documents);
            }
        }
        checkUniqueness(providers, keys, problems);
        List<HistoryEntry> history = readHistory(root.get("history"), problems);
        List<IdempotencyRecord> idempotency = readIdempotency(root.get("idempotency"), problems);
        if (!problems.isEmpty()) {
            throw new InvalidStoreFileException(file, problems.list);
        }
        boolean matches = checksum(metadataNode, tenantsNode).equals(checksum)
                || checksumOfDoublesMatches(bytes, checksum);
        return new Content(new StorageRows(providers, keys, documents, metadata, history, idempotency), revision,
                matches,
                readLog(root.get("changeLog")));
    }

    /** The change log, or null when absent or not readable: it is not content, so it is never a reason to refuse. */
    private static ChangeLog readLog(JsonNode node) {
        if (node == null || !node.path("from").isIntegralNumber() || !node.path("entries").isArray()) {
            return null;
        }
        List<LoggedChange> entries = new ArrayList<>();
        try {
            for (JsonNode e : node.get("entries")) {
                ChangeKind kind = ChangeKind.valueOf(e.path("kind").asText());
                if (kind == ChangeKind.RESYNC || !e.path("revision").isIntegralNumber()
                        || !e.path("version").isIntegralNumber()) {
                    return null;
                }
                entries.add(new LoggedChange(e.get("revision").longValue(), new ChangeEvent(kind,
                        EntityKind.valueOf(e.path("entity").asText()), e.path("tenantId").asText(null),
                        e.path("key").asText(null), e.get("version").longValue(), ChangeOrigin.REMOTE)));
            }
        } catch (RuntimeException e) { // an unknown kind or entity, a missing field
            return null;
        }
        return new ChangeLog(node.get("from").longValue(), entries);
    }

    /**
     * Whether the checksum is that of the content with its numbers read as doubles: so was it computed before numbers
     * were kept exactly, and such a file is not a hand edit.
     */
    private boolean checksumOfDoublesMatches(byte[] bytes, String checksum) {
        if (checksum == null) {
            return false;
        }
        try {
            JsonNode root = NUMBERS_AS_DOUBLES.readTree(bytes);
            return checksum(root.get("metadata"), root.get("tenants")).equals(checksum);
        } catch (java.io.IOException | RuntimeException e) {
            return false; // already read once by the strict reader; a failure here only means "no match"
        }
    }

    /** {@code sha256:<hex>} over the compact JSON of {@code metadata} followed by that of {@code tenants}. */
    String checksum(JsonNode metadata, JsonNode tenants) {
        try {
            byte[] first = mapper.writeValueAsBytes(metadata);
            byte[] second = mapper.writeValueAsBytes(tenants);
            byte[] both = new byte[first.length + second.length];
            System.arraycopy(first, 0, both, 0, first.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            return "sha256:" + sha256Hex(both);
        } catch (JsonProcessingException e) {
            throw new StorageException("the store could not be written as JSON (" + e.getClass().getSimpleName()
                    + "); nothing was changed", e);
        }
    }

    /**
     * The {@code history} and {@code idempotency} sections: every history entry in the order written, its snapshot
     * as a JSON object; every idempotency record, its result as JSON. Not covered by the checksum (like the change
     * log); files written before history existed have neither section and read as having none.
     */
    private void writeHistory(ObjectNode root, StorageRows rows) {
        ArrayNode history = root.putArray("history");
        for (HistoryEntry e : rows.history()) {
            ObjectNode node = history.addObject();
            node.put("entity", e.entity().name());
            node.put("tenantId", e.tenantId());
            node.put("entityId", e.entityId());
            node.put("version", e.version());
            node.put("changeType", e.changeType().name());
            node.put("changedAt", e.changedAt().toString());
            node.put("changedBy", e.changedBy());
            node.put("reason", e.reason());
            node.set("snapshot", e.snapshotJson());
        }
        ArrayNode records = root.putArray("idempotency");
        rows.idempotency().stream().sorted(Comparator.comparing(IdempotencyRecord::createdAt)
                .thenComparing(IdempotencyRecord::actor).thenComparing(IdempotencyRecord::key)).forEach(r -> {
                    ObjectNode node = records.addObject();
                    node.put("actor", r.actor());
                    node.put("key", r.key());
                    node.put("fingerprint", r.fingerprint());
                    node.set("result", Json.readTree(r.result()));
                    node.put("createdAt", r.createdAt().toString());
                });
    }

    private static List<HistoryEntry> readHistory(JsonNode node, Problems problems) {
        List<HistoryEntry> entries = new ArrayList<>();
        if (node == null) {
            return entries;
        }
        if (!node.isArray()) {
            problems.add("$.history", "an array", node);
            return entries;
        }
        int i = 0;
        for (JsonNode e : node) {
            String path = "$.history[" + i++ + "]";
            try {
                if (!e.path("snapshot").isObject() || !e.path("version").isIntegralNumber()) {
                    problems.add(path, "a history entry with a version and a snapshot object", e);
                    continue;
                }
                entries.add(new HistoryEntry(EntityKind.valueOf(e.path("entity").asText()),
                        e.path("tenantId").asText(null), e.path("entityId").asText(null), e.get("version").longValue(),
                        ChangeType.valueOf(e.path("changeType").asText()), Instant.parse(e.path("changedAt").asText()),
                        e.path("changedBy").asText(null), e.path("reason").isNull() ? null
                        : e.path("reason").asText(null), Json.write(e.get("snapshot"))));
            } catch (RuntimeException problem) { // an unknown entity or type, a bad instant, a missing field
                // Not problem.getMessage(): the JDK's parse errors quote the text they rejected.
                problems.add(path, "a history entry with a known entity and changeType and changedAt as an ISO-8601"
                        + " instant (" + problem.getClass().getSimpleName() + ")", e);
            }
        }
        return entries;
    }

    private static List<IdempotencyRecord> readIdempotency(JsonNode node, Problems problems) {
        List<IdempotencyRecord> records = new ArrayList<>();
        if (node == null) {
            return records;
        }
        if (!node.isArray()) {
            problems.add("$.idempotency", "an array", node);
            return records;
        }
        int i = 0;
        for (JsonNode r : node) {
            String path = "$.idempotency[" + i++ + "]";
            try {
                records.add(new IdempotencyRecord(r.path("actor").asText(null), r.path("key").asText(null),
                        r.path("fingerprint").asText(null), Json.write(r.path("result")),
                        Instant.parse(r.path("createdAt").asText())));
            } catch (RuntimeException problem) {
                problems.add(path, "an idempotency record with actor, key, fingerprint, result and createdAt as an"
                        + " ISO-8601 instant (" + problem.getClass().getSimpleName() + ")", r);
            }
        }
        return records;
    }

    /** Hex SHA-256 of {@code bytes}. */
    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private ObjectNode tenants(StorageRows rows) {
        Map<String, ObjectNode> byTenant = new TreeMap<>();
        Function<String, ObjectNode> tenant = id -> byTenant.computeIfAbsent(id, x -> {
            ObjectNode node = mapper.createObjectNode();
            node.putArray("providers");
            node.putArray("apiKeys");
            node.putObject("documents");
            return node;
        });
        rows.providers().stream().sorted(Comparator.comparing(ProviderConfig::providerType)
                .thenComparing(ProviderConfig::name)).forEach(p -> {
                    ObjectNode n = ((ArrayNode) tenant.apply(p.tenantId()).get("providers")).addObject();
                    n.put("id", p.id());
                    n.put("providerType", p.providerType());
                    n.put("name", p.name());
                    n.set("settings", p.settings());
                    n.put("default", p.isDefault());
                    n.put("enabled", p.enabled());
                    n.put("priority", p.priority());
                    n.put("version", p.version());
                    n.put("createdAt", p.createdAt().toString());
                    n.put("updatedAt", p.updatedAt().toString());
                    n.put("changedBy", p.changedBy());
                    n.put("changeReason", p.changeReason());
                });
        rows.apiKeys().stream().sorted(Comparator.comparing((StoredKey k) -> k.metadata().providerType())
                .thenComparing(k -> k.metadata().keyName())).forEach(k -> {
                    ApiKeyMetadata m = k.metadata();
                    ObjectNode n = ((ArrayNode) tenant.apply(m.tenantId()).get("apiKeys")).addObject();
                    n.put("id", m.id());
                    n.put("providerType", m.providerType());
                    n.put("keyName", m.keyName());
                    n.put("active", m.active());
                    n.put("version", m.version());
                    n.put("encryptionKeyId", m.encryptionKeyId());
                    n.put("ciphertext", k.ciphertext());
                    n.put("createdAt", m.createdAt().toString());
                    n.put("updatedAt", m.updatedAt().toString());
                    n.put("lastUsedAt", m.lastUsedAt() == null ? null : m.lastUsedAt().toString());
                    n.put("changedBy", m.changedBy());
                    n.put("changeReason", m.changeReason());
                });
        rows.documents().stream().sorted(Comparator.comparing(ConfigDocument::name)).forEach(d -> {
            ObjectNode n = ((ObjectNode) tenant.apply(d.tenantId()).get("documents")).putObject(d.name());
            n.set("content", d.content());
            n.put("formatVersion", d.formatVersion());
            n.put("revision", d.revision());
            n.put("updatedAt", d.updatedAt().toString());
            n.put("changedBy", d.changedBy());
            n.put("changeReason", d.changeReason());
        });
        ObjectNode tenants = mapper.createObjectNode();
        byTenant.forEach(tenants::set);
        return tenants;
    }

    private static void readTenant(String tenantId, JsonNode node, Problems problems, List<ProviderConfig> providers,
                                   List<StoredKey> keys, List<ConfigDocument> documents) {
        String path = "$.tenants." + tenantId;
        try {
            Arguments.requireTenantId(tenantId);
        } catch (ValidationException e) {
            problems.list.add(path + ": expected a valid tenant id as the key (" + e.getMessage() + ")");
            return;
        }
        if (!(node instanceof ObjectNode tenantNode)) {
            problems.add(path, "an object with providers, apiKeys and documents", node);
            return;
        }
        Fields tenant = new Fields(tenantNode, path, TENANT_FIELDS, problems);
        tenant.rejectUnknown();
        ArrayNode providerNodes = tenant.array("providers");
        if (providerNodes != null) {
            for (int i = 0; i < providerNodes.size(); i++) {
                readProvider(tenantId, providerNodes.get(i), path + ".providers[" + i + "]", problems, providers);
            }
        }
        ArrayNode keyNodes = tenant.array("apiKeys");
        if (keyNodes != null) {
            for (int i = 0; i < keyNodes.size(); i++) {
                readKey(tenantId, keyNodes.get(i), path + ".apiKeys[" + i + "]", problems, keys);
            }
        }
        ObjectNode documentNodes = tenant.object("documents");
        if (documentNodes != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = documentNodes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> doc = it.next();
                readDocument(tenantId, doc.getKey(), doc.getValue(), path + ".documents." + doc.getKey(), problems,
                        documents);
            }
        }
    }

    private static void readProvider(String tenantId, JsonNode node, String path, Problems problems,
                                     List<ProviderConfig> out) {
        if (!(node instanceof ObjectNode object)) {
            problems.add(path, "a provider object", node);
            return;
        }
        Fields f = new Fields(object, path, PROVIDER_FIELDS, problems);
        int before = problems.size();
        String id = f.text("id", true);
        String type = f.text("providerType", true);
        String name = f.text("name", true);
        ObjectNode settings = f.object("settings");
        boolean isDefault = f.bool("default");
        boolean enabled = f.bool("enabled");
        long priority = f.integer("priority", Integer.MIN_VALUE, Integer.MAX_VALUE);
        long version = f.integer("version", 1, Long.MAX_VALUE);
        Instant createdAt = f.instant("createdAt", true);
        Instant updatedAt = f.instant("updatedAt", true);
        String changedBy = f.text("changedBy", true);
        String reason = f.text("changeReason", false);
        f.rejectUnknown();
        if (problems.size() == before) {
            problems.build(path, () -> out.add(new ProviderConfig(id, tenantId, type, name, settings, isDefault,
                    enabled, (int) priority, version, createdAt, updatedAt, changedBy, reason)));
        }
    }

    private static void readKey(String tenantId, JsonNode node, String path, Problems problems, List<StoredKey> out) {
        if (!(node instanceof ObjectNode object)) {
            problems.add(path, "an API key object", node);
            return;
        }
        Fields f = new Fields(object, path, KEY_FIELDS, problems);
        int before = problems.size();
        String id = f.text("id", true);
        String type = f.text("providerType", true);
        String keyName = f.text("keyName", true);
        boolean active = f.bool("active");
        long version = f.integer("version", 1, Long.MAX_VALUE);
        String encryptionKeyId = f.text("encryptionKeyId", true);
        String ciphertext = f.text("ciphertext", true);
        Instant createdAt = f.instant("createdAt", true);
        Instant updatedAt = f.instant("updatedAt", true);
        Instant lastUsedAt = f.instant("lastUsedAt", false);
        String changedBy = f.text("changedBy", true);
        String reason = f.text("changeReason", false);
        f.rejectUnknown();
        if (problems.size() == before) {
            problems.build(path, () -> out.add(new StoredKey(new ApiKeyMetadata(id, tenantId, type, keyName, active,
                    version, encryptionKeyId, createdAt, updatedAt, lastUsedAt, changedBy, reason), ciphertext)));
        }
    }

    private static void readDocument(String tenantId, String name, JsonNode node, String path, Problems problems,
                                     List<ConfigDocument> out) {
        if (!(node instanceof ObjectNode object)) {
            problems.add(path, "a document object", node);
            return;
        }
        Fields f = new Fields(object, path, DOCUMENT_FIELDS, problems);
        int before = problems.size();
        ObjectNode content = f.object("content");
        long formatVersion = f.integer("formatVersion", 1, Integer.MAX_VALUE);
        long revision = f.integer("revision", 1, Long.MAX_VALUE);
        Instant updatedAt = f.instant("updatedAt", true);
        String changedBy = f.text("changedBy", true);
        String reason = f.text("changeReason", false);
        f.rejectUnknown();
        if (problems.size() == before) {
            problems.build(path, () -> {
                Arguments.requireName("document name", name);
                out.add(new ConfigDocument(tenantId, name, content, (int) formatVersion, revision, updatedAt,
                        changedBy, reason));
            });
        }
    }

    /** The rules a database enforces with constraints, checked here because a person may break them by hand. */
    private static void checkUniqueness(List<ProviderConfig> providers, List<StoredKey> keys, Problems problems) {
        Set<String> ids = new HashSet<>();
        Set<List<String>> names = new HashSet<>();
        Map<List<String>, String> defaults = new HashMap<>();
        for (ProviderConfig p : providers) {
            String where = "$.tenants." + p.tenantId() + ".providers (id " + p.id() + ")";
            if (!ids.add(p.id())) {
                problems.list.add(where + ": expected a unique provider id, found it twice");
            }
            if (!names.add(List.of(p.tenantId(), p.providerType(), p.name()))) {
                problems.list.add(where + ": expected a unique name per provider type, found '" + p.name()
                        + "' twice for type '" + p.providerType() + "'");
            }
            if (p.isDefault()) {
                String other = defaults.putIfAbsent(List.of(p.tenantId(), p.providerType()), p.id());
                if (other != null) {
                    problems.list.add(where + ": expected at most one default per provider type, found two for '"
                            + p.providerType() + "' (ids " + other + " and " + p.id() + ")");
                }
            }
        }
        Set<String> keyIds = new HashSet<>();
        Set<List<String>> keyNames = new HashSet<>();
        for (StoredKey k : keys) {
            ApiKeyMetadata m = k.metadata();
            String where = "$.tenants." + m.tenantId() + ".apiKeys (id " + m.id() + ")";
            if (!keyIds.add(m.id())) {
                problems.list.add(where + ": expected a unique API key id, found it twice");
            }
            if (!keyNames.add(List.of(m.tenantId(), m.providerType(), m.keyName()))) {
                problems.list.add(where + ": expected a unique key name per provider type, found '" + m.keyName()
                        + "' twice for type '" + m.providerType() + "'");
            }
        }
    }

    /** Problems found so far, each {@code path: expected ..., found ...}. */
    private static final class Problems {
        final List<String> list = new ArrayList<>();

        void add(String path, String expected, JsonNode found) {
            list.add(path + ": expected " + expected + ", found " + describe(found));
        }

        int size() {
            return list.size();
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        /** Runs a row's constructor; the value types' own rules (names, lengths, JSON limits) become problems. */
        void build(String path, Runnable construct) {
            try {
                construct.run();
            } catch (ValidationException e) {
                list.add(path + ": " + e.getMessage());
            }
        }

        private static String describe(JsonNode node) {
            if (node == null || node.isMissingNode()) {
                return "nothing (the field is missing)";
            }
            // The kind only, never the value: a settings value or a ciphertext in a hand-edited file may be a key.
            String kind = node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
            return node.isTextual() ? "a string of " + node.textValue().length() + " characters"
                    : node.isContainerNode() ? "an " + kind + " of " + node.size() + " entries"
                    : node.isNull() ? "null" : "a " + kind;
        }
    }

    /** Typed, path-aware access to one JSON object's fields. */
    private static final class Fields {
        private final ObjectNode node;
        private final String path;
        private final Set<String> allowed;
        private final Problems problems;

        Fields(ObjectNode node, String path, Set<String> allowed, Problems problems) {
            this.node = node;
            this.path = path;
            this.allowed = allowed;
            this.problems = problems;
        }

        String text(String field, boolean required) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    problems.add(path + "." + field, "a string (required)", value);
                }
                return null;
            }
            if (!value.isTextual()) {
                problems.add(path + "." + field, "a string", value);
                return null;
            }
            return value.textValue();
        }

        long integer(String field, long min, long max) {
            JsonNode value = node.get(field);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                    || value.longValue() < min || value.longValue() > max) {
                problems.add(path + "." + field, "an integer from " + min + " to " + max, value);
                return min;
            }
            return value.longValue();
        }

        boolean bool(String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isBoolean()) {
                problems.add(path + "." + field, "true or false", value);
                return false;
            }
            return value.booleanValue();
        }

        Instant instant(String field, boolean required) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    problems.add(path + "." + field, "an ISO-8601 instant such as \"2026-01-31T12:00:00Z\"", value);
                }
                return null;
            }
            try {
                if (value.isTextual()) {
                    return Instant.parse(value.textValue());
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            problems.add(path + "." + field, "an ISO-8601 instant such as \"2026-01-31T12:00:00Z\"", value);
            return null;
        }

        ObjectNode object(String field) {
            JsonNode value = node.get(field);
            if (!(value instanceof ObjectNode object)) {
                problems.add(path + "." + field, "a JSON object", value);
                return null;
            }
            return object;
        }

        ArrayNode array(String field) {
            JsonNode value = node.get(field);
            if (!(value instanceof ArrayNode array)) {
                problems.add(path + "." + field, "a JSON array", value);
                return null;
            }
            return array;
        }

        void rejectUnknown() {
            Set<String> unknown = new LinkedHashSet<>();
            node.fieldNames().forEachRemaining(name -> {
                if (!allowed.contains(name)) {
                    unknown.add(name);
                }
            });
            for (String name : unknown) {
                problems.list.add(path + "." + name + ": unknown field; expected only " + new TreeSet<>(allowed));
            }
        }
    }

}
