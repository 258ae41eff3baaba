package io.configstore.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.ChangeEvent;
import io.configstore.engine.StoredKey;
import io.configstore.error.MalformedJsonException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.Arguments;
import io.configstore.memory.spi.StorageRows;
import io.configstore.memory.spi.StorageRowsJson;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import io.configstore.spi.IdempotencyRecord;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 *              (API keys in activation order: of a type's active keys, the last listed is the active one)
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
        ObjectNode metadata = StorageRowsJson.metadata(rows.metadata());
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
            entries.addObject().put("revision", logged.revision()).setAll(StorageRowsJson.changeEvent(logged.event()));
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
        StorageRowsJson.Reader problems = new StorageRowsJson.Reader();
        StorageRowsJson.Fields top = problems.fields(root, "$", "an object", TOP_FIELDS);
        String format = top.text("format", true);
        if (format != null && !FORMAT_NAME.equals(format)) {
            problems.problem("$.format", "\"" + FORMAT_NAME + "\"", root.get("format"));
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
        Map<String, String> metadata = metadataNode == null ? Map.of() : problems.metadata(metadataNode, "$.metadata");
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
        if (!problems.problems().isEmpty()) {
            throw new InvalidStoreFileException(file, problems.problems());
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
        StorageRowsJson.Reader reader = new StorageRowsJson.Reader();
        List<LoggedChange> entries = new ArrayList<>();
        for (JsonNode e : node.get("entries")) {
            if (!(e instanceof ObjectNode entry) || !entry.path("revision").isIntegralNumber()) {
                return null;
            }
            ObjectNode change = entry.deepCopy();
            change.remove("revision");
            ChangeEvent event = reader.changeEvent(change, "$.changeLog.entries");
            if (event == null) { // an unknown kind or entity, a missing field
                return null;
            }
            entries.add(new LoggedChange(entry.get("revision").longValue(), event));
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
        rows.history().forEach(e -> history.add(StorageRowsJson.historyEntry(e)));
        ArrayNode records = root.putArray("idempotency");
        rows.idempotency().stream().sorted(Comparator.comparing(IdempotencyRecord::createdAt)
                .thenComparing(IdempotencyRecord::actor).thenComparing(IdempotencyRecord::key))
                .forEach(r -> records.add(StorageRowsJson.idempotencyRecord(r)));
    }

    private static List<HistoryEntry> readHistory(JsonNode node, StorageRowsJson.Reader problems) {
        List<HistoryEntry> entries = new ArrayList<>();
        if (node == null) {
            return entries;
        }
        if (!node.isArray()) {
            problems.problem("$.history", "an array", node);
            return entries;
        }
        for (int i = 0; i < node.size(); i++) {
            HistoryEntry entry = problems.historyEntry(node.get(i), "$.history[" + i + "]");
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static List<IdempotencyRecord> readIdempotency(JsonNode node, StorageRowsJson.Reader problems) {
        List<IdempotencyRecord> records = new ArrayList<>();
        if (node == null) {
            return records;
        }
        if (!node.isArray()) {
            problems.problem("$.idempotency", "an array", node);
            return records;
        }
        for (int i = 0; i < node.size(); i++) {
            IdempotencyRecord record = problems.idempotencyRecord(node.get(i), "$.idempotency[" + i + "]");
            if (record != null) {
                records.add(record);
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
                .thenComparing(ProviderConfig::name)).forEach(p -> ((ArrayNode) tenant.apply(p.tenantId())
                        .get("providers")).add(StorageRowsJson.provider(p)));
        // API keys stay in activation order, not sorted by name: the order decides a type's active key.
        rows.apiKeys().forEach(k -> ((ArrayNode) tenant.apply(k.metadata().tenantId()).get("apiKeys"))
                .add(StorageRowsJson.apiKey(k)));
        rows.documents().stream().sorted(Comparator.comparing(ConfigDocument::name)).forEach(d -> ((ObjectNode)
                tenant.apply(d.tenantId()).get("documents")).set(d.name(), StorageRowsJson.document(d)));
        ObjectNode tenants = mapper.createObjectNode();
        byTenant.forEach(tenants::set);
        return tenants;
    }

    private static void readTenant(String tenantId, JsonNode node, StorageRowsJson.Reader problems,
                                   List<ProviderConfig> providers, List<StoredKey> keys,
                                   List<ConfigDocument> documents) {
        String path = "$.tenants." + tenantId;
        try {
            Arguments.requireTenantId(tenantId);
        } catch (ValidationException e) {
            // Not the tenant id itself in the path: it is the input rejected.
            problems.problem("$.tenants: a key is not a valid tenant id (" + e.getMessage() + ")");
            return;
        }
        StorageRowsJson.Fields tenant = problems.fields(node, path, "an object with providers, apiKeys and documents",
                TENANT_FIELDS);
        if (tenant == null) {
            return;
        }
        tenant.rejectUnknown();
        ArrayNode providerNodes = tenant.array("providers");
        if (providerNodes != null) {
            for (int i = 0; i < providerNodes.size(); i++) {
                addIfRead(providers, problems.provider(tenantId, providerNodes.get(i), path + ".providers[" + i + "]"));
            }
        }
        ArrayNode keyNodes = tenant.array("apiKeys");
        if (keyNodes != null) {
            for (int i = 0; i < keyNodes.size(); i++) {
                addIfRead(keys, problems.apiKey(tenantId, keyNodes.get(i), path + ".apiKeys[" + i + "]"));
            }
        }
        ObjectNode documentNodes = tenant.object("documents");
        if (documentNodes != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = documentNodes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> doc = it.next();
                addIfRead(documents, problems.document(tenantId, doc.getKey(), doc.getValue(),
                        path + ".documents." + doc.getKey()));
            }
        }
    }

    private static <T> void addIfRead(List<T> rows, T row) {
        if (row != null) {
            rows.add(row);
        }
    }

    /** The rules a database enforces with constraints, checked here because a person may break them by hand. */
    private static void checkUniqueness(List<ProviderConfig> providers, List<StoredKey> keys,
                                        StorageRowsJson.Reader problems) {
        Set<String> ids = new HashSet<>();
        Set<List<String>> names = new HashSet<>();
        Map<List<String>, String> defaults = new HashMap<>();
        for (ProviderConfig p : providers) {
            String where = "$.tenants." + p.tenantId() + ".providers (id " + p.id() + ")";
            if (!ids.add(p.id())) {
                problems.problem(where + ": expected a unique provider id, found it twice");
            }
            if (!names.add(List.of(p.tenantId(), p.providerType(), p.name()))) {
                problems.problem(where + ": expected a unique name per provider type, found '" + p.name()
                        + "' twice for type '" + p.providerType() + "'");
            }
            if (p.isDefault()) {
                String other = defaults.putIfAbsent(List.of(p.tenantId(), p.providerType()), p.id());
                if (other != null) {
                    problems.problem(where + ": expected at most one default per provider type, found two for '"
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
                problems.problem(where + ": expected a unique API key id, found it twice");
            }
            if (!keyNames.add(List.of(m.tenantId(), m.providerType(), m.keyName()))) {
                problems.problem(where + ": expected a unique key name per provider type, found '" + m.keyName()
                        + "' twice for type '" + m.providerType() + "'");
            }
        }
    }
}
