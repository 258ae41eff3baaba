package io.configstore.memory.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeKind;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.engine.StoredKey;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import io.configstore.spi.IdempotencyRecord;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each row type of {@link StorageRows} as a JSON object and back, so that a {@link StorageJournal} persists rows
 * without a mapping of its own: the one mapping the file backend's store file and any storage-path backend share.
 *
 * <p>Rows are written without the keys a container usually holds: a provider's and an API key's tenant, a document's
 * tenant and name (the store file nests rows by tenant and documents by name; a directory can do the same). Readers
 * pass them back in. An API key's ciphertext is written exactly as the cipher wrote it.
 *
 * <p>Reading is strict: every field is checked for presence and type, unknown fields are refused, and the value types'
 * own rules apply. Problems name the row's path and the field and what was expected there, never the value found (a
 * settings value or a ciphertext may be a secret).
 *
 * <p>A journal that keeps documents by key (a directory, an object store) needs only {@link #entries(StorageRows)}
 * and {@link Reader#entry}; one with a layout of its own (the store file) uses the row methods.
 *
 * <pre>{@code
 * Map<String, JsonNode> written = StorageRowsJson.entries(rows);   // store each under its key
 * StorageRowsJson.Reader reader = new StorageRowsJson.Reader();
 * written.forEach(reader::entry);                                  // each one read back, under its key
 * StorageRows back = reader.rows("the store directory");           // or a StorageException naming every problem
 * }</pre>
 */
public final class StorageRowsJson {
    /** The key of the entry that keeps the API keys' activation order (see {@link #entries(StorageRows)}). */
    static final String KEY_ORDER = "api-key-order";

    /** The fields of a provider row. */
    public static final Set<String> PROVIDER_FIELDS = Set.of("id", "providerType", "name", "settings", "default",
            "enabled", "priority", "version", "createdAt", "updatedAt", "changedBy", "changeReason");
    /** The fields of an API key row. */
    public static final Set<String> API_KEY_FIELDS = Set.of("id", "providerType", "keyName", "active", "version",
            "encryptionKeyId", "ciphertext", "createdAt", "updatedAt", "lastUsedAt", "changedBy", "changeReason");
    /** The fields of a document row. */
    public static final Set<String> DOCUMENT_FIELDS = Set.of("content", "formatVersion", "revision", "updatedAt",
            "changedBy", "changeReason");
    /** The fields of a history entry. */
    public static final Set<String> HISTORY_FIELDS = Set.of("entity", "tenantId", "entityId", "version",
            "changeType", "changedAt", "changedBy", "reason", "snapshot");
    /** The fields of a change event (of a row: never a RESYNC request). */
    public static final Set<String> CHANGE_FIELDS = Set.of("kind", "entity", "tenantId", "key", "version");
    /** The fields of an idempotency record. */
    public static final Set<String> IDEMPOTENCY_FIELDS = Set.of("actor", "key", "fingerprint", "result",
            "createdAt");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String INSTANT = "an ISO-8601 instant such as \"2026-01-31T12:00:00Z\"";

    private StorageRowsJson() {
    }

    /** {@code provider} as a JSON object, without its tenant. */
    public static ObjectNode provider(ProviderConfig provider) {
        Arguments.requireNonNull("provider", provider);
        ObjectNode n = NODES.objectNode();
        n.put("id", provider.id());
        n.put("providerType", provider.providerType());
        n.put("name", provider.name());
        n.set("settings", provider.settings());
        n.put("default", provider.isDefault());
        n.put("enabled", provider.enabled());
        n.put("priority", provider.priority());
        n.put("version", provider.version());
        n.put("createdAt", provider.createdAt().toString());
        n.put("updatedAt", provider.updatedAt().toString());
        n.put("changedBy", provider.changedBy());
        n.put("changeReason", provider.changeReason());
        return n;
    }

    /** {@code key} as a JSON object, without its tenant, its ciphertext exactly as stored. */
    public static ObjectNode apiKey(StoredKey key) {
        Arguments.requireNonNull("key", key);
        ApiKeyMetadata m = key.metadata();
        ObjectNode n = NODES.objectNode();
        n.put("id", m.id());
        n.put("providerType", m.providerType());
        n.put("keyName", m.keyName());
        n.put("active", m.active());
        n.put("version", m.version());
        n.put("encryptionKeyId", m.encryptionKeyId());
        n.put("ciphertext", key.ciphertext());
        n.put("createdAt", m.createdAt().toString());
        n.put("updatedAt", m.updatedAt().toString());
        n.put("lastUsedAt", m.lastUsedAt() == null ? null : m.lastUsedAt().toString());
        n.put("changedBy", m.changedBy());
        n.put("changeReason", m.changeReason());
        return n;
    }

    /** {@code document} as a JSON object, without its tenant and name. */
    public static ObjectNode document(ConfigDocument document) {
        Arguments.requireNonNull("document", document);
        ObjectNode n = NODES.objectNode();
        n.set("content", document.content());
        n.put("formatVersion", document.formatVersion());
        n.put("revision", document.revision());
        n.put("updatedAt", document.updatedAt().toString());
        n.put("changedBy", document.changedBy());
        n.put("changeReason", document.changeReason());
        return n;
    }

    /** {@code entry} as a JSON object, its snapshot as a JSON object. */
    public static ObjectNode historyEntry(HistoryEntry entry) {
        Arguments.requireNonNull("entry", entry);
        ObjectNode n = NODES.objectNode();
        n.put("entity", entry.entity().name());
        n.put("tenantId", entry.tenantId());
        n.put("entityId", entry.entityId());
        n.put("version", entry.version());
        n.put("changeType", entry.changeType().name());
        n.put("changedAt", entry.changedAt().toString());
        n.put("changedBy", entry.changedBy());
        n.put("reason", entry.reason());
        n.set("snapshot", entry.snapshotJson());
        return n;
    }

    /** {@code record} as a JSON object, its result as JSON. */
    public static ObjectNode idempotencyRecord(IdempotencyRecord record) {
        Arguments.requireNonNull("record", record);
        ObjectNode n = NODES.objectNode();
        n.put("actor", record.actor());
        n.put("key", record.key());
        n.put("fingerprint", record.fingerprint());
        n.set("result", Json.readTree(record.result()));
        n.put("createdAt", record.createdAt().toString());
        return n;
    }

    /** The store's metadata as a JSON object of strings, in name order. */
    public static ObjectNode metadata(Map<String, String> metadata) {
        Arguments.requireNonNull("metadata", metadata);
        ObjectNode n = NODES.objectNode();
        new TreeMap<>(metadata).forEach(n::put);
        return n;
    }

    /**
     * {@code change} as a JSON object without its origin, for a journal that logs what each commit changed so that
     * another process can tell every version (see {@link ExternalChange#logged}).
     */
    public static ObjectNode changeEvent(ChangeEvent change) {
        Arguments.requireNonNull("change", change);
        ObjectNode n = NODES.objectNode();
        n.put("kind", change.kind().name());
        n.put("entity", change.entity() == null ? null : change.entity().name());
        n.put("tenantId", change.tenantId());
        n.put("key", change.key());
        n.put("version", change.version());
        return n;
    }

    /** {@code changes} as a JSON array of {@link #changeEvent(ChangeEvent)} objects, in order. */
    public static ArrayNode changeEvents(List<ChangeEvent> changes) {
        Arguments.requireNonNull("changes", changes);
        return NODES.arrayNode().addAll(changes.stream().map(StorageRowsJson::changeEvent).toList());
    }

    /**
     * Every row of {@code rows} as a JSON document under a path-like key, for a medium that keeps documents by key (a
     * directory of files, an object store, a key-value store), in key order:
     * <ul>
     *   <li>{@code metadata}: the store metadata, as {@link #metadata(Map)} writes it;</li>
     *   <li>{@code history}, {@code idempotency}: arrays of every history entry (in the order written) and every
     *       idempotency record;</li>
     *   <li>{@code api-key-order}: the ids of the API keys in activation order, which decides the active key and
     *       which keys spread over documents would otherwise lose;</li>
     *   <li>{@code tenants/TENANT/providers/ID}, {@code tenants/TENANT/api-keys/ID}: one provider, one API key;</li>
     *   <li>{@code tenants/TENANT/documents/NAME}: one document, its name URL-encoded (UTF-8), so that every key is a
     *       relative path of a POSIX file system that tells letter case apart (ids and tenant ids are already
     *       {@code [A-Za-z0-9._:-]}).</li>
     * </ul>
     * Read them back with {@link Reader#entry}, each under its key.
     */
    public static Map<String, JsonNode> entries(StorageRows rows) {
        Arguments.requireNonNull("rows", rows);
        Map<String, JsonNode> entries = new TreeMap<>();
        entries.put("metadata", metadata(rows.metadata()));
        entries.put("history", NODES.arrayNode().addAll(rows.history().stream().map(StorageRowsJson::historyEntry)
                .toList()));
        entries.put("idempotency", NODES.arrayNode().addAll(rows.idempotency().stream()
                .map(StorageRowsJson::idempotencyRecord).toList()));
        ArrayNode keyOrder = NODES.arrayNode();
        rows.apiKeys().forEach(k -> keyOrder.add(k.metadata().id()));
        entries.put(KEY_ORDER, keyOrder);
        rows.providers().forEach(p -> entries.put("tenants/" + p.tenantId() + "/providers/" + p.id(), provider(p)));
        rows.apiKeys().forEach(k -> entries.put("tenants/" + k.metadata().tenantId() + "/api-keys/"
                + k.metadata().id(), apiKey(k)));
        rows.documents().forEach(d -> entries.put("tenants/" + d.tenantId() + "/documents/"
                + URLEncoder.encode(d.name(), StandardCharsets.UTF_8), document(d)));
        return entries;
    }

    /**
     * Reads rows back, collecting every problem rather than stopping at the first, so that a person fixing stored
     * rows by hand sees them all. Each read returns null when its row has a problem; the rows read are also kept,
     * for {@link #rows(String)}. Not thread-safe.
     */
    public static final class Reader {
        private final List<String> problems = new ArrayList<>();
        private final List<ProviderConfig> providers = new ArrayList<>();
        private final List<StoredKey> apiKeys = new ArrayList<>();
        /** The ids of the API keys in activation order, when an {@value #KEY_ORDER} entry was read. */
        private final Map<String, Integer> keyOrder = new HashMap<>();
        private final List<ConfigDocument> documents = new ArrayList<>();
        private final Map<String, String> metadata = new HashMap<>();
        private final List<HistoryEntry> history = new ArrayList<>();
        private final List<IdempotencyRecord> idempotency = new ArrayList<>();

        /** A reader with no problems yet. */
        public Reader() {
        }

        /**
         * The provider of tenant {@code tenantId} that {@code node} holds, or null (with its problems recorded).
         *
         * @param path where the row is, to name in problems, such as {@code $.tenants.default.providers[0]}
         */
        public ProviderConfig provider(String tenantId, JsonNode node, String path) {
            Fields f = fields(node, path, "a provider object", PROVIDER_FIELDS);
            if (f == null) {
                return null;
            }
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
            return problems.size() != before ? null : build(path, providers, () -> new ProviderConfig(id, tenantId,
                    type, name, settings, isDefault, enabled, (int) priority, version, createdAt, updatedAt, changedBy,
                    reason));
        }

        /** The API key of tenant {@code tenantId} that {@code node} holds, or null (with its problems recorded). */
        public StoredKey apiKey(String tenantId, JsonNode node, String path) {
            Fields f = fields(node, path, "an API key object", API_KEY_FIELDS);
            if (f == null) {
                return null;
            }
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
            return problems.size() != before ? null : build(path, apiKeys, () -> new StoredKey(new ApiKeyMetadata(id,
                    tenantId, type, keyName, active, version, encryptionKeyId, createdAt, updatedAt, lastUsedAt,
                    changedBy, reason), ciphertext));
        }

        /** The document {@code name} of tenant {@code tenantId} that {@code node} holds, or null. */
        public ConfigDocument document(String tenantId, String name, JsonNode node, String path) {
            Fields f = fields(node, path, "a document object", DOCUMENT_FIELDS);
            if (f == null) {
                return null;
            }
            int before = problems.size();
            ObjectNode content = f.object("content");
            long formatVersion = f.integer("formatVersion", 1, Integer.MAX_VALUE);
            long revision = f.integer("revision", 1, Long.MAX_VALUE);
            Instant updatedAt = f.instant("updatedAt", true);
            String changedBy = f.text("changedBy", true);
            String reason = f.text("changeReason", false);
            f.rejectUnknown();
            return problems.size() != before ? null : build(path, documents, () -> new ConfigDocument(tenantId,
                    Arguments.requireName("document name", name), content, (int) formatVersion, revision, updatedAt,
                    changedBy, reason));
        }

        /** The history entry {@code node} holds, or null (with its problems recorded). */
        public HistoryEntry historyEntry(JsonNode node, String path) {
            Fields f = fields(node, path, "a history entry object", HISTORY_FIELDS);
            if (f == null) {
                return null;
            }
            int before = problems.size();
            EntityKind entity = f.constant("entity", EntityKind.class);
            String tenantId = f.text("tenantId", true);
            String entityId = f.text("entityId", true);
            long version = f.integer("version", 1, Long.MAX_VALUE);
            ChangeType changeType = f.constant("changeType", ChangeType.class);
            Instant changedAt = f.instant("changedAt", true);
            String changedBy = f.text("changedBy", true);
            String reason = f.text("reason", false);
            ObjectNode snapshot = f.object("snapshot");
            f.rejectUnknown();
            return problems.size() != before ? null : build(path, history, () -> new HistoryEntry(entity, tenantId,
                    entityId, version, changeType, changedAt, changedBy, reason, Json.write(snapshot)));
        }

        /** The idempotency record {@code node} holds, or null (with its problems recorded). */
        public IdempotencyRecord idempotencyRecord(JsonNode node, String path) {
            Fields f = fields(node, path, "an idempotency record object", IDEMPOTENCY_FIELDS);
            if (f == null) {
                return null;
            }
            int before = problems.size();
            String actor = f.text("actor", true);
            String key = f.text("key", true);
            String fingerprint = f.text("fingerprint", true);
            JsonNode result = f.present("result");
            Instant createdAt = f.instant("createdAt", true);
            f.rejectUnknown();
            return problems.size() != before ? null : build(path, idempotency, () -> new IdempotencyRecord(actor, key,
                    fingerprint, Json.write(result), createdAt));
        }

        /**
         * The store metadata {@code node} holds (an object of strings): the well-formed entries, also kept (added to
         * those read before) for {@link #rows(String)}.
         */
        public Map<String, String> metadata(JsonNode node, String path) {
            Map<String, String> read = new HashMap<>();
            if (!(node instanceof ObjectNode object)) {
                problem(path, "a JSON object of strings", node);
                return read;
            }
            object.fields().forEachRemaining(entry -> {
                if (entry.getValue().isTextual()) {
                    read.put(entry.getKey(), entry.getValue().textValue());
                } else {
                    problem(path + "." + entry.getKey(), "a string", entry.getValue());
                }
            });
            metadata.putAll(read);
            return read;
        }

        /**
         * Reads the rows {@code node} holds under {@code key}, one of {@link #entries(StorageRows)}'s keys; any other
         * key is a problem. The rows are kept for {@link #rows(String)}; the key names them in problems.
         */
        public void entry(String key, JsonNode node) {
            Arguments.requireNonNull("key", key);
            String[] parts = key.split("/", -1);
            if (key.equals("metadata")) {
                metadata(node, key);
            } else if (key.equals(KEY_ORDER)) {
                if (!(node instanceof ArrayNode array)) {
                    problem(key, "a JSON array of API key ids", node);
                    return;
                }
                for (int i = 0; i < array.size(); i++) {
                    keyOrder.putIfAbsent(array.get(i).asText(), i);
                }
            } else if (key.equals("history") || key.equals("idempotency")) {
                if (!(node instanceof ArrayNode array)) {
                    problem(key, "a JSON array", node);
                    return;
                }
                for (int i = 0; i < array.size(); i++) {
                    if (key.equals("history")) {
                        historyEntry(array.get(i), key + "[" + i + "]");
                    } else {
                        idempotencyRecord(array.get(i), key + "[" + i + "]");
                    }
                }
            } else if (parts.length == 4 && parts[0].equals("tenants") && parts[2].equals("providers")) {
                provider(parts[1], node, key);
            } else if (parts.length == 4 && parts[0].equals("tenants") && parts[2].equals("api-keys")) {
                apiKey(parts[1], node, key);
            } else if (parts.length == 4 && parts[0].equals("tenants") && parts[2].equals("documents")) {
                try {
                    document(parts[1], URLDecoder.decode(parts[3], StandardCharsets.UTF_8), node, key);
                } catch (IllegalArgumentException e) { // a malformed %-escape; not the decoder's message: it quotes
                    problem(key + ": expected a URL-encoded (UTF-8) document name as the last part of the key");
                }
            } else {
                problem(key + ": unknown key; expected metadata, history, idempotency or"
                        + " tenants/TENANT/(providers|api-keys|documents)/NAME");
            }
        }

        /**
         * The change event {@code node} holds, as a {@link ChangeOrigin#REMOTE} change (it was logged by another
         * engine), or null (with its problems recorded). A RESYNC request is a problem: only row changes are logged.
         */
        public ChangeEvent changeEvent(JsonNode node, String path) {
            Fields f = fields(node, path, "a change event object", CHANGE_FIELDS);
            if (f == null) {
                return null;
            }
            int before = problems.size();
            ChangeKind kind = f.constant("kind", ChangeKind.class);
            if (kind == ChangeKind.RESYNC) {
                problem(path + ".kind", "CHANGED or DELETED", node.get("kind"));
            }
            EntityKind entity = f.constant("entity", EntityKind.class);
            String tenantId = f.text("tenantId", true);
            String key = f.text("key", true);
            long version = f.integer("version", 0, Long.MAX_VALUE);
            f.rejectUnknown();
            return problems.size() != before ? null : build(path, new ArrayList<>(), () -> new ChangeEvent(kind,
                    entity, tenantId, key, version, ChangeOrigin.REMOTE));
        }

        /**
         * The change events of the array {@code node} (as {@link #changeEvents(List)} writes it), in order; those with
         * problems are left out and their problems recorded.
         */
        public List<ChangeEvent> changeEvents(JsonNode node, String path) {
            List<ChangeEvent> events = new ArrayList<>();
            if (!(node instanceof ArrayNode array)) {
                problem(path, "a JSON array of change events", node);
                return events;
            }
            for (int i = 0; i < array.size(); i++) {
                ChangeEvent event = changeEvent(array.get(i), path + "[" + i + "]");
                if (event != null) {
                    events.add(event);
                }
            }
            return events;
        }

        /**
         * Typed access to the fields of a JSON object of the caller's own structure (a file's header, a tenant's
         * sections), reporting to this reader; null (with a problem recorded) when {@code node} is not an object.
         *
         * @param expected what {@code node} should be, for the problem when it is not an object
         * @param allowed the fields it may have, for {@link Fields#rejectUnknown()}
         */
        public Fields fields(JsonNode node, String path, String expected, Set<String> allowed) {
            if (!(node instanceof ObjectNode object)) {
                problem(path, expected, node);
                return null;
            }
            return new Fields(object, path, allowed, this);
        }

        /** Records that {@code path} should hold {@code expected}; {@code found} is described by kind, never shown. */
        public void problem(String path, String expected, JsonNode found) {
            problems.add(path + ": expected " + expected + ", found " + describe(found));
        }

        /** Records a problem as it is, {@code path: what was wrong and what was expected}. */
        public void problem(String text) {
            problems.add(Arguments.requireNonNull("text", text));
        }

        /** Every problem found so far, in order. */
        public List<String> problems() {
            return List.copyOf(problems);
        }

        /**
         * Throws when any problem was found.
         *
         * @param source what was read, named in the message (a file, a directory), never its content
         * @throws StorageException naming every problem's path and expectation
         */
        public void throwIfAny(String source) {
            if (!problems.isEmpty()) {
                throw new StorageException(source + " holds rows that cannot be read, so nothing was read from it;"
                        + " fix them or restore a copy. Problems: " + String.join("; ", problems));
            }
        }

        /**
         * Every row and metadata entry read so far, when no problem was found: what a journal hands the storage.
         *
         * @param source what was read, named in the message (a file, a directory), never its content
         * @throws StorageException naming every problem's path and expectation
         */
        public StorageRows rows(String source) {
            throwIfAny(source);
            // Keys read one document each come in no order of their own; the order entry puts them back in theirs.
            List<StoredKey> ordered = apiKeys.stream().sorted(java.util.Comparator.comparingInt(
                    k -> keyOrder.getOrDefault(k.metadata().id(), Integer.MAX_VALUE))).toList();
            return new StorageRows(providers, ordered, documents, metadata, history, idempotency);
        }

        /**
         * Runs a row's constructor and keeps the row in {@code kept}; the value types' own rules (names, lengths,
         * JSON limits) become problems.
         */
        private <T> T build(String path, List<T> kept, java.util.function.Supplier<T> construct) {
            try {
                T row = construct.get();
                kept.add(row);
                return row;
            } catch (ValidationException e) {
                problems.add(path + ": " + e.getMessage());
                return null;
            }
        }

        private static String describe(JsonNode node) {
            if (node == null || node.isMissingNode()) {
                return "nothing (the field is missing)";
            }
            // The kind only, never the value: a settings value or a ciphertext edited by hand may be a key.
            String kind = node.getNodeType().toString().toLowerCase(Locale.ROOT);
            return node.isTextual() ? "a string of " + node.textValue().length() + " characters"
                    : node.isContainerNode() ? "an " + kind + " of " + node.size() + " entries"
                    : node.isNull() ? "null" : "a " + kind;
        }
    }

    /** Typed, path-aware access to one JSON object's fields; each wrong field becomes a problem of its reader. */
    public static final class Fields {
        private final ObjectNode node;
        private final String path;
        private final Set<String> allowed;
        private final Reader reader;

        private Fields(ObjectNode node, String path, Set<String> allowed, Reader reader) {
            this.node = node;
            this.path = path;
            this.allowed = allowed;
            this.reader = reader;
        }

        /** A string field; null when absent or null (a problem when {@code required}) or not a string. */
        public String text(String field, boolean required) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    reader.problem(path + "." + field, "a string (required)", value);
                }
                return null;
            }
            if (!value.isTextual()) {
                reader.problem(path + "." + field, "a string", value);
                return null;
            }
            return value.textValue();
        }

        /** An integer field from {@code min} to {@code max}; {@code min} (and a problem) otherwise. */
        public long integer(String field, long min, long max) {
            JsonNode value = node.get(field);
            if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                    || value.longValue() < min || value.longValue() > max) {
                reader.problem(path + "." + field, "an integer from " + min + " to " + max, value);
                return min;
            }
            return value.longValue();
        }

        /** A boolean field; false (and a problem) otherwise. */
        public boolean bool(String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isBoolean()) {
                reader.problem(path + "." + field, "true or false", value);
                return false;
            }
            return value.booleanValue();
        }

        /** An ISO-8601 instant field; null when absent (a problem when {@code required}) or malformed. */
        public Instant instant(String field, boolean required) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    reader.problem(path + "." + field, INSTANT, value);
                }
                return null;
            }
            try {
                if (value.isTextual()) {
                    return Instant.parse(value.textValue());
                }
            } catch (DateTimeParseException e) {
                // Reported below; not the parser's message, which quotes the text.
            }
            reader.problem(path + "." + field, INSTANT, value);
            return null;
        }

        /** A field naming a constant of {@code type}; null (and a problem) otherwise. */
        public <E extends Enum<E>> E constant(String field, Class<E> type) {
            JsonNode value = node.get(field);
            if (value != null && value.isTextual()) {
                for (E constant : type.getEnumConstants()) {
                    if (constant.name().equals(value.textValue())) {
                        return constant;
                    }
                }
            }
            reader.problem(path + "." + field, "one of " + Arrays.toString(type.getEnumConstants()), value);
            return null;
        }

        /** A JSON object field; null (and a problem) otherwise. */
        public ObjectNode object(String field) {
            JsonNode value = node.get(field);
            if (!(value instanceof ObjectNode object)) {
                reader.problem(path + "." + field, "a JSON object", value);
                return null;
            }
            return object;
        }

        /** A JSON array field; null (and a problem) otherwise. */
        public ArrayNode array(String field) {
            JsonNode value = node.get(field);
            if (!(value instanceof ArrayNode array)) {
                reader.problem(path + "." + field, "a JSON array", value);
                return null;
            }
            return array;
        }

        /** A field of any JSON value, including null; null (and a problem) when absent. */
        public JsonNode present(String field) {
            JsonNode value = node.get(field);
            if (value == null) {
                reader.problem(path + "." + field, "a JSON value (required)", null);
            }
            return value;
        }

        /** Records a problem for every field not in the allowed set. */
        public void rejectUnknown() {
            Set<String> unknown = new LinkedHashSet<>();
            node.fieldNames().forEachRemaining(name -> {
                if (!allowed.contains(name)) {
                    unknown.add(name);
                }
            });
            for (String name : unknown) {
                reader.problem(path + "." + name + ": unknown field; expected only " + new TreeSet<>(allowed));
            }
        }
    }
}
