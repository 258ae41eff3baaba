package io.configstore.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import io.configstore.crypto.SecretCipher;
import io.configstore.error.CryptoException;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.history.ChangeType;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.Arguments;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import java.time.Instant;

/**
 * The JSON form of each entity in a {@link HistoryEntry} snapshot (and in an idempotency record's stored result):
 * written once here so that every backend writes and reads the same snapshots. For backends; hosts read
 * {@link HistoryEntry#snapshotJson()}.
 *
 * <p>An API key's snapshot holds its metadata and, under {@value #CIPHERTEXT}, the ciphertext exactly as stored:
 * never the plaintext. The ciphertext stays in the backend's own rows for rollback: every entry handed to host code
 * (and every idempotency record) goes through {@link #withoutCiphertext(HistoryEntry)} first.
 */
public final class EntitySnapshots {
    /** The field of an API key's snapshot holding its ciphertext. */
    public static final String CIPHERTEXT = "ciphertext";

    private EntitySnapshots() {
    }

    /** A provider configuration as JSON. */
    public static ObjectNode provider(ProviderConfig p) {
        Arguments.requireNonNull("provider", p);
        ObjectNode node = Json.object();
        node.put("id", p.id());
        node.put("tenantId", p.tenantId());
        node.put("providerType", p.providerType());
        node.put("name", p.name());
        node.set("settings", p.settings());
        node.put("isDefault", p.isDefault());
        node.put("enabled", p.enabled());
        node.put("priority", p.priority());
        node.put("version", p.version());
        putInstant(node, "createdAt", p.createdAt());
        putInstant(node, "updatedAt", p.updatedAt());
        node.put("changedBy", p.changedBy());
        node.put("changeReason", p.changeReason());
        return node;
    }

    /** An API key's metadata as JSON, with its ciphertext when {@code ciphertext} is not null. */
    public static ObjectNode apiKey(ApiKeyMetadata k, String ciphertext) {
        Arguments.requireNonNull("apiKey", k);
        ObjectNode node = Json.object();
        node.put("id", k.id());
        node.put("tenantId", k.tenantId());
        node.put("providerType", k.providerType());
        node.put("keyName", k.keyName());
        node.put("active", k.active());
        node.put("version", k.version());
        node.put("encryptionKeyId", k.encryptionKeyId());
        putInstant(node, "createdAt", k.createdAt());
        putInstant(node, "updatedAt", k.updatedAt());
        putInstant(node, "lastUsedAt", k.lastUsedAt());
        node.put("changedBy", k.changedBy());
        node.put("changeReason", k.changeReason());
        if (ciphertext != null) {
            node.put(CIPHERTEXT, ciphertext);
        }
        return node;
    }

    /** A configuration document as JSON. */
    public static ObjectNode document(ConfigDocument d) {
        Arguments.requireNonNull("document", d);
        ObjectNode node = Json.object();
        node.put("tenantId", d.tenantId());
        node.put("name", d.name());
        node.set("content", d.content());
        node.put("formatVersion", d.formatVersion());
        node.put("revision", d.revision());
        putInstant(node, "updatedAt", d.updatedAt());
        node.put("changedBy", d.changedBy());
        node.put("changeReason", d.changeReason());
        return node;
    }

    /** A history entry as JSON (for idempotency records of rollbacks). */
    public static ObjectNode entry(HistoryEntry e) {
        Arguments.requireNonNull("entry", e);
        ObjectNode node = Json.object();
        node.put("entity", e.entity().name());
        node.put("tenantId", e.tenantId());
        node.put("entityId", e.entityId());
        node.put("version", e.version());
        node.put("changeType", e.changeType().name());
        putInstant(node, "changedAt", e.changedAt());
        node.put("changedBy", e.changedBy());
        node.put("reason", e.reason());
        node.put("snapshot", withoutCiphertext(e).snapshot());
        return node;
    }

    /**
     * {@code e} as hosts see it: an API key's snapshot without its {@value #CIPHERTEXT} (which only a rollback reads,
     * from the backend's own rows); any other entry unchanged.
     */
    public static HistoryEntry withoutCiphertext(HistoryEntry e) {
        Arguments.requireNonNull("entry", e);
        if (e.entity() != io.configstore.change.EntityKind.API_KEY) {
            return e;
        }
        ObjectNode snapshot = e.snapshotJson();
        if (snapshot.remove(CIPHERTEXT) == null) {
            return e;
        }
        return new HistoryEntry(e.entity(), e.tenantId(), e.entityId(), e.version(), e.changeType(), e.changedAt(),
                e.changedBy(), e.reason(), Json.write(snapshot));
    }

    /**
     * Checks the id of a history call: an id ({@link Arguments#requireId}) for providers and API keys, a name
     * ({@link Arguments#requireName}) for documents.
     *
     * @throws ValidationException when an argument is null or the id is malformed for its kind
     */
    public static String requireEntityId(io.configstore.change.EntityKind entity, String id) {
        Arguments.requireNonNull("entity", entity);
        return switch (entity) {
            case PROVIDER_CONFIG, API_KEY -> Arguments.requireId("id", id);
            case CONFIG_DOCUMENT -> Arguments.requireName("id", id);
        };
    }

    /** Reads {@link #provider}'s form back. */
    public static ProviderConfig toProvider(ObjectNode n) {
        Arguments.requireNonNull("snapshot", n);
        try {
            return new ProviderConfig(text(n, "id"), text(n, "tenantId"), text(n, "providerType"), text(n, "name"),
                    Json.requireObject("settings", n.get("settings")), n.path("isDefault").asBoolean(),
                    n.path("enabled").asBoolean(), n.path("priority").asInt(), n.path("version").asLong(),
                    instant(n, "createdAt"), instant(n, "updatedAt"), text(n, "changedBy"), text(n, "changeReason"));
        } catch (ValidationException e) {
            throw unreadable("provider config", e);
        }
    }

    /** Reads {@link #apiKey}'s form back (the ciphertext, if any, is read with {@link #ciphertextOf}). */
    public static ApiKeyMetadata toApiKey(ObjectNode n) {
        Arguments.requireNonNull("snapshot", n);
        try {
            return new ApiKeyMetadata(text(n, "id"), text(n, "tenantId"), text(n, "providerType"), text(n, "keyName"),
                    n.path("active").asBoolean(), n.path("version").asLong(), text(n, "encryptionKeyId"),
                    instant(n, "createdAt"), instant(n, "updatedAt"), instant(n, "lastUsedAt"), text(n, "changedBy"),
                    text(n, "changeReason"));
        } catch (ValidationException e) {
            throw unreadable("API key", e);
        }
    }

    /** The ciphertext of an API key's snapshot. */
    public static String ciphertextOf(ObjectNode n) {
        Arguments.requireNonNull("snapshot", n);
        String ciphertext = text(n, CIPHERTEXT);
        if (ciphertext == null) {
            throw new StorageException("a history snapshot of API key '" + text(n, "id") + "' holds no ciphertext;"
                    + " it was written outside configstore: roll back to another version");
        }
        return ciphertext;
    }

    /**
     * Proves that an API key can be put back as {@code snapshot} holds it: its ciphertext decrypts with
     * {@code cipher} for the key's row (the plaintext is dropped at once). Every backend's rollback calls it before
     * changing anything.
     *
     * @throws CryptoException naming the master key the ciphertext needs, read from the ciphertext as decryption
     *     reads it (not from the key id recorded beside it, which could disagree)
     */
    public static void requireRestorable(SecretCipher cipher, ApiKeyMetadata snapshot, String ciphertext) {
        Arguments.requireNonNull("cipher", cipher);
        Arguments.requireNonNull("snapshot", snapshot);
        SecretBinding binding = new SecretBinding(snapshot.tenantId(), snapshot.providerType(), snapshot.keyName(),
                snapshot.id());
        try (Secret check = cipher.decrypt(ciphertext, binding)) {
            // Only the proof that it decrypts matters.
        } catch (CryptoException e) {
            String needed;
            try {
                needed = cipher.keyIdOf(ciphertext);
            } catch (CryptoException malformed) {
                needed = snapshot.encryptionKeyId();
            }
            throw new CryptoException("API key '" + snapshot.id() + "' cannot be rolled back to that version: its"
                    + " secret was encrypted with master key '" + needed + "', which cannot decrypt it now (the key"
                    + " is gone or wrong); configure that master key again, or roll back to a version written under"
                    + " a current key", e);
        }
    }

    /** Reads {@link #document}'s form back. */
    public static ConfigDocument toDocument(ObjectNode n) {
        Arguments.requireNonNull("snapshot", n);
        try {
            return new ConfigDocument(text(n, "tenantId"), text(n, "name"),
                    Json.requireObject("content", n.get("content")), n.path("formatVersion").asInt(),
                    n.path("revision").asLong(), instant(n, "updatedAt"), text(n, "changedBy"),
                    text(n, "changeReason"));
        } catch (ValidationException e) {
            throw unreadable("config document", e);
        }
    }

    /** Reads {@link #entry}'s form back. */
    public static HistoryEntry toEntry(ObjectNode n) {
        Arguments.requireNonNull("entry", n);
        try {
            return new HistoryEntry(io.configstore.change.EntityKind.valueOf(text(n, "entity")), text(n, "tenantId"),
                    text(n, "entityId"), n.path("version").asLong(), ChangeType.valueOf(text(n, "changeType")),
                    instant(n, "changedAt"), text(n, "changedBy"), text(n, "reason"), text(n, "snapshot"));
        } catch (ValidationException | IllegalArgumentException | NullPointerException e) {
            // Not e.getMessage(): the JDK's enum and parse errors quote the stored text.
            throw new StorageException("a stored history entry could not be read (expected entity and changeType"
                    + " among the names this version knows, changedAt as an ISO-8601 instant, and the text fields"
                    + " present; " + e.getClass().getSimpleName() + "); it was written outside configstore or by"
                    + " another version", e);
        }
    }

    /**
     * The provider {@code snapshot} describes, as it is restored by a rollback: its name, settings, enabled flag and
     * priority, over {@code current} when it exists (keeping its default flag and creation time), or as a new row
     * otherwise.
     */
    public static ProviderConfig restoredProvider(ProviderConfig snapshot, ProviderConfig current,
                                                  boolean makeDefault, long version, Instant now,
                                                  ChangeContext change) {
        Arguments.requireNonNull("snapshot", snapshot);
        Arguments.requireNonNull("now", now);
        Arguments.requireNonNull("change", change);
        return new ProviderConfig(snapshot.id(), snapshot.tenantId(), snapshot.providerType(), snapshot.name(),
                snapshot.settings(), current != null ? current.isDefault() : makeDefault, snapshot.enabled(),
                snapshot.priority(), version, current != null ? current.createdAt() : snapshot.createdAt(), now,
                change.changedBy(), change.reason());
    }

    /** The metadata of an API key restored by a rollback to {@code snapshot}. */
    public static ApiKeyMetadata restoredApiKey(ApiKeyMetadata snapshot, ApiKeyMetadata current, long version,
                                                Instant now, ChangeContext change) {
        Arguments.requireNonNull("snapshot", snapshot);
        Arguments.requireNonNull("now", now);
        Arguments.requireNonNull("change", change);
        return new ApiKeyMetadata(snapshot.id(), snapshot.tenantId(), snapshot.providerType(), snapshot.keyName(),
                snapshot.active(), version, snapshot.encryptionKeyId(),
                current != null ? current.createdAt() : snapshot.createdAt(), now,
                current != null ? current.lastUsedAt() : snapshot.lastUsedAt(), change.changedBy(), change.reason());
    }

    /** A document restored by a rollback to {@code snapshot}. */
    public static ConfigDocument restoredDocument(ConfigDocument snapshot, long revision, Instant now,
                                                  ChangeContext change) {
        Arguments.requireNonNull("snapshot", snapshot);
        Arguments.requireNonNull("now", now);
        Arguments.requireNonNull("change", change);
        return new ConfigDocument(snapshot.tenantId(), snapshot.name(), snapshot.content(), snapshot.formatVersion(),
                revision, now, change.changedBy(), change.reason());
    }

    /**
     * The version a new history entry gets: after the entity's last entry, and at least the entity's own version
     * after the write, so that the two agree whenever the history covers the entity's whole life.
     */
    public static long nextVersion(long lastHistoryVersion, long entityVersion) {
        return Math.max(lastHistoryVersion + 1, entityVersion);
    }

    private static StorageException unreadable(String what, ValidationException e) {
        return new StorageException("a history snapshot of a " + what + " could not be read (" + e.getMessage()
                + "); it was written outside configstore or by another version: roll back to another version", e);
    }

    private static void putInstant(ObjectNode node, String field, Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toString());
        }
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(ObjectNode node, String field) {
        String text = text(node, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ValidationException(field + " is not an ISO-8601 instant such as 2024-05-01T10:00:00Z");
        }
    }
}
