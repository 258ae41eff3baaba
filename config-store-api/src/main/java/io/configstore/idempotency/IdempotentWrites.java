package io.configstore.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Secret;
import io.configstore.error.IdempotencyConflictException;
import io.configstore.error.StorageException;
import io.configstore.history.EntitySnapshots;
import io.configstore.history.HistoryEntry;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The one implementation of idempotent writes, used by every backend inside its write transaction.
 *
 * <p>A write whose {@link ChangeContext} has no idempotency key just runs. With a key, the ledger is asked first: no
 * record means the write runs and its result is recorded in the same transaction; a record of the same request means
 * the first result is returned and nothing is written; a record of another request is an
 * {@link IdempotencyConflictException}. Keys are scoped by actor ({@code changedBy}). A request is identified by a
 * SHA-256 fingerprint of the operation, the tenant and the arguments (a secret only as its own SHA-256 digest, so the
 * ledger never holds it). A write whose argument is a function (document {@code update}) is identified by its name
 * only: the function cannot be compared.
 */
public final class IdempotentWrites {
    private IdempotentWrites() {
    }

    /**
     * What is asked of the store: the operation and a fingerprint of its arguments.
     *
     * @param operation names the operation, for example {@code provider.create}
     * @param fingerprint SHA-256 of the operation, tenant and arguments, in hex
     */
    public record Request(String operation, String fingerprint) {
        public Request {
            Arguments.requireNonNull("operation", operation);
            Arguments.requireNonNull("fingerprint", fingerprint);
        }
    }

    /** Turns a write's result into JSON and back, so that a replay returns it. */
    public interface Codec<T> {
        /** The result as JSON. */
        JsonNode write(T result);

        /** The result read back. */
        T read(JsonNode json);
    }

    /** A write to run at most once per key. */
    @FunctionalInterface
    public interface Write<T, X extends Exception> {
        T run() throws X;
    }

    /** Provider configurations. */
    public static final Codec<ProviderConfig> PROVIDER = codec(EntitySnapshots::provider,
            json -> EntitySnapshots.toProvider((ObjectNode) json));
    /** API key metadata (never a secret). */
    public static final Codec<ApiKeyMetadata> API_KEY = codec(key -> EntitySnapshots.apiKey(key, null),
            json -> EntitySnapshots.toApiKey((ObjectNode) json));
    /** Configuration documents. */
    public static final Codec<ConfigDocument> DOCUMENT = codec(EntitySnapshots::document,
            json -> EntitySnapshots.toDocument((ObjectNode) json));
    /** History entries (what a rollback returns). */
    public static final Codec<HistoryEntry> HISTORY_ENTRY = codec(EntitySnapshots::entry,
            json -> EntitySnapshots.toEntry((ObjectNode) json));
    /** Writes that return nothing (deletes). */
    public static final Codec<Void> NONE = new Codec<>() {
        @Override
        public JsonNode write(Void result) {
            return NullNode.getInstance();
        }

        @Override
        public Void read(JsonNode json) {
            return null;
        }
    };

    private static <T> Codec<T> codec(java.util.function.Function<T, JsonNode> write,
                                      java.util.function.Function<JsonNode, T> read) {
        return new Codec<>() {
            @Override
            public JsonNode write(T result) {
                return write.apply(result);
            }

            @Override
            public T read(JsonNode json) {
                if (!(json instanceof ObjectNode)) {
                    throw new StorageException("a stored idempotency result is not a JSON object; it was written"
                            + " outside configstore: use a new idempotency key");
                }
                return read.apply(json);
            }
        };
    }

    /**
     * The request {@code operation} of {@code tenantId} with {@code arguments} (strings, numbers, booleans, JSON
     * trees or null; a secret passed through {@link #digest(Secret)}).
     */
    public static Request request(String operation, String tenantId, Object... arguments) {
        Arguments.requireNonNull("operation", operation);
        ArrayNode parts = JsonNodeFactory.instance.arrayNode();
        parts.add(operation);
        parts.add(tenantId);
        for (Object argument : arguments) {
            if (argument == null) {
                parts.addNull();
            } else if (argument instanceof JsonNode node) {
                parts.add(canonical(node));
            } else if (argument instanceof Boolean flag) {
                parts.add(flag);
            } else if (argument instanceof Number number) {
                parts.add(number.longValue());
            } else {
                parts.add(argument.toString());
            }
        }
        return new Request(operation, sha256(Json.write(parts)));
    }

    /** A secret's SHA-256, for a request's fingerprint: the ledger never holds the secret itself. */
    public static String digest(Secret secret) {
        Arguments.requireNonNull("secret", secret);
        byte[] bytes = secret.revealBytes();
        try {
            return HexFormat.of().formatHex(messageDigest().digest(bytes));
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Runs {@code write} once per (actor, key) inside the caller's transaction, or returns the recorded result of
     * the same request.
     *
     * @throws IdempotencyConflictException when the key was used by the actor for another request
     * @throws X what {@code write} or the ledger threw; nothing is recorded then
     */
    public static <T, X extends Exception> T run(IdempotencyLedger<X> ledger, ChangeContext change, Request request,
                                                 Codec<T> codec, Instant now, Write<T, X> write) throws X {
        String key = change.idempotencyKey();
        if (key == null) {
            return write.run();
        }
        Optional<IdempotencyRecord> recorded = ledger.find(change.changedBy(), key);
        if (recorded.isPresent()) {
            if (!recorded.get().fingerprint().equals(request.fingerprint())) {
                throw new IdempotencyConflictException("idempotency key '" + key + "' of '" + change.changedBy()
                        + "' was already used on " + recorded.get().createdAt() + " for a different request; nothing"
                        + " was written: use a new key for a new request, and reuse a key only to retry the same"
                        + " request (" + request.operation() + ")");
            }
            return codec.read(Json.readTree(recorded.get().result()));
        }
        T result = write.run();
        ledger.record(new IdempotencyRecord(change.changedBy(), key, request.fingerprint(),
                Json.write(codec.write(result)), now));
        return result;
    }

    /** Object keys sorted, so that two equal trees give one fingerprint whatever their key order. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            java.util.List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            for (String name : names) {
                sorted.set(name, canonical(node.get(name)));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> array.add(canonical(element)));
            return array;
        }
        return node;
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(messageDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest messageDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
