package io.configstore.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Secret;
import io.configstore.error.IdempotencyConflictException;
import io.configstore.error.StorageException;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.Arguments;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import io.configstore.spi.IdempotencyLedger;
import io.configstore.spi.IdempotencyRecord;
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
 * SHA-256 fingerprint of the operation, the tenant and the arguments. A secret is never part of it (a fast unsalted
 * digest of a secret would let anyone reading the ledger test guesses against it): a write that stores or rotates a
 * secret passes a {@link ReplayCheck} instead, which on a replay reveals the key the recorded result names and
 * compares its secret with the new one in constant time ({@link #sameSecret}). The check is conservative: when the
 * secret differs, or the key has changed version since (rotated again, deleted), the replay is an
 * {@link IdempotencyConflictException}, even if the first write did succeed. A write whose argument is a function
 * (document {@code update}) is identified by its name only: the function cannot be compared.
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

    /**
     * Decides whether a recorded result may be replayed for the request at hand: for writes whose request leaves an
     * argument out of the fingerprint (a secret), so that the argument is compared another way.
     */
    @FunctionalInterface
    public interface ReplayCheck<T, X extends Exception> {
        /** Whether {@code recorded} is the result of the same request as the one being retried. */
        boolean matches(T recorded) throws X;
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
     * trees or null; never a secret: see {@link ReplayCheck}).
     *
     * @throws io.configstore.error.ValidationException when {@code operation}, {@code tenantId} or the array is null
     */
    public static Request request(String operation, String tenantId, Object... arguments) {
        Arguments.requireNonNull("operation", operation);
        Arguments.requireNonNull("tenantId", tenantId);
        Arguments.requireNonNull("arguments", arguments);
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

    /**
     * Whether two secrets are equal, compared in constant time ({@link MessageDigest#isEqual}) on their UTF-8 bytes,
     * which are cleared afterwards. For {@link ReplayCheck}s of writes that store a secret.
     *
     * @throws io.configstore.error.ValidationException when an argument is null
     */
    public static boolean sameSecret(Secret stored, Secret given) {
        Arguments.requireNonNull("stored", stored);
        Arguments.requireNonNull("given", given);
        byte[] a = stored.revealBytes();
        byte[] b = given.revealBytes();
        try {
            return MessageDigest.isEqual(a, b);
        } finally {
            java.util.Arrays.fill(a, (byte) 0);
            java.util.Arrays.fill(b, (byte) 0);
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
        return run(ledger, change, request, codec, now, recorded -> true, write);
    }

    /**
     * Like {@link #run(IdempotencyLedger, ChangeContext, Request, Codec, Instant, Write)}, and a recorded result of
     * the same request is replayed only when {@code check} accepts it (see {@link ReplayCheck}).
     *
     * @throws IdempotencyConflictException when the key was used by the actor for another request, or
     *     {@code check} refuses the recorded result
     * @throws X what {@code write}, {@code check} or the ledger threw; nothing is recorded then
     */
    public static <T, X extends Exception> T run(IdempotencyLedger<X> ledger, ChangeContext change, Request request,
                                                 Codec<T> codec, Instant now, ReplayCheck<T, X> check,
                                                 Write<T, X> write) throws X {
        Arguments.requireNonNull("ledger", ledger);
        Arguments.requireNonNull("change", change);
        Arguments.requireNonNull("request", request);
        Arguments.requireNonNull("codec", codec);
        Arguments.requireNonNull("now", now);
        Arguments.requireNonNull("check", check);
        Arguments.requireNonNull("write", write);
        String key = change.idempotencyKey();
        if (key == null) {
            return write.run();
        }
        Optional<IdempotencyRecord> recorded = ledger.find(change.changedBy(), key);
        if (recorded.isPresent()) {
            if (!recorded.get().fingerprint().equals(request.fingerprint())) {
                throw conflict(change, recorded.get(), request, "for a different request");
            }
            T result = codec.read(Json.readTree(recorded.get().result()));
            if (!check.matches(result)) {
                throw conflict(change, recorded.get(), request, "with another secret, or the key it wrote has"
                        + " changed since (rotated again or deleted)");
            }
            return result;
        }
        T result = write.run();
        ledger.record(new IdempotencyRecord(change.changedBy(), key, request.fingerprint(),
                Json.write(codec.write(result)), now));
        return result;
    }

    private static IdempotencyConflictException conflict(ChangeContext change, IdempotencyRecord recorded,
                                                         Request request, String why) {
        return new IdempotencyConflictException("idempotency key '" + change.idempotencyKey() + "' of '"
                + change.changedBy() + "' was already used on " + recorded.createdAt() + " " + why + "; nothing was"
                + " written: use a new key for a new request, and reuse a key only to retry the same request ("
                + request.operation() + ")");
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
