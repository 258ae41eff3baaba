package io.configstore.engine;

import io.configstore.change.ChangeEvent;
import io.configstore.change.EntityKind;
import io.configstore.history.HistoryEntry;
import io.configstore.history.PruneReport;
import io.configstore.history.RetentionPolicy;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.spi.IdempotencyRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rows of every tenant as one transaction of a {@link RowStorage} sees them: the whole of what a storage must do
 * for the {@link Engine}. The engine holds every rule (validation and its order, versions, default moves, history
 * entries, idempotency, tenant checks, secret binding); a storage only finds, inserts, replaces and deletes rows.
 *
 * <p>Reads see the transaction's own writes. Lists come in any order (the engine sorts them). A method never checks a
 * rule, except that a storage shared by several processes or machines reports a row changed by another writer since
 * it was read, through the {@code boolean} results of {@code insert...} and {@code replace...}: the engine then fails
 * the call as a conflict, and nothing of it remains. Failures of the storage itself are
 * {@link io.configstore.error.StorageException}s, or unchecked exceptions that the {@link RowStorage} turns into them.
 *
 * <p>Used by one thread at a time, only inside the {@link RowStorage#read} or {@link RowStorage#write} call that
 * handed it out.
 */
public interface StoreRows {
    // Provider configurations.

    /** The provider {@code id} of {@code tenantId}. */
    Optional<ProviderConfig> provider(String tenantId, String id);

    /** The provider of {@code providerType} named {@code name} in {@code tenantId}. */
    Optional<ProviderConfig> providerNamed(String tenantId, String providerType, String name);

    /** The default provider of {@code providerType} in {@code tenantId}. */
    Optional<ProviderConfig> defaultProvider(String tenantId, String providerType);

    /** The providers of {@code tenantId}, of {@code providerType} only when it is not null, in any order. */
    List<ProviderConfig> providers(String tenantId, String providerType);

    /** The providers of {@code tenantId} named {@code name}, of any type, in any order. */
    List<ProviderConfig> providersNamed(String tenantId, String name);

    /**
     * Inserts new providers (new ids), all or none.
     *
     * @return false, inserting none, when a name is taken in its tenant and type (another writer's row)
     */
    boolean insertProviders(List<ProviderConfig> rows);

    /**
     * Replaces the provider with {@code row}'s tenant and id by {@code row}.
     *
     * @return false, replacing nothing, when the stored row's version is not {@code expectedVersion} (or the row is
     *     gone, or the new name is taken): another writer changed it since this transaction read it
     */
    boolean replaceProvider(ProviderConfig row, long expectedVersion);

    /** Deletes the provider {@code id} of {@code tenantId}; nothing when there is none. */
    void deleteProvider(String tenantId, String id);

    // API keys: metadata and the ciphertext exactly as the cipher wrote it.

    /** The API key {@code id} of {@code tenantId}. */
    Optional<StoredKey> apiKey(String tenantId, String id);

    /** The API key of {@code providerType} named {@code keyName} in {@code tenantId}. */
    Optional<StoredKey> apiKeyNamed(String tenantId, String providerType, String keyName);

    /**
     * The API keys of {@code tenantId}, of {@code providerType} only when it is not null, in activation order: a key
     * moves last when it is inserted or replaced (stored, rotated, activated, ...), in commit order even within one
     * millisecond, and stays put when only its use is recorded. The engine takes the last active one as the active
     * key; a storage shared by several processes must order by commit, not by clock (clocks step and differ).
     */
    List<ApiKeyMetadata> apiKeys(String tenantId, String providerType);

    /** @return false, inserting nothing, when the name is taken in its tenant and type (another writer's row) */
    boolean insertApiKey(StoredKey row);

    /** @return false, replacing nothing, when the stored version is not {@code expectedVersion} or the key is gone */
    boolean replaceApiKey(StoredKey row, long expectedVersion);

    /**
     * Sets a key's last use to {@code at}, leaving its version and everything else as they are (a use is not a
     * change: no history, no event).
     *
     * @return false when there is no such key
     */
    boolean recordKeyUse(String tenantId, String id, Instant at);

    /** Deletes the API key {@code id} of {@code tenantId}; nothing when there is none. */
    void deleteApiKey(String tenantId, String id);

    // Configuration documents.

    /** The document {@code name} of {@code tenantId}. */
    Optional<ConfigDocument> document(String tenantId, String name);

    /** The names of the documents of {@code tenantId}, in any order. */
    List<String> documentNames(String tenantId);

    /**
     * Writes {@code document} at its own revision: inserted when {@code expectedRevision} is
     * {@link ConfigDocument#NO_REVISION}, else replacing the stored one. Its revision is one more than
     * {@code expectedRevision}, except when a rollback creates a deleted document again (then it follows the
     * document's history).
     *
     * @return false, writing nothing, when the stored revision is not {@code expectedRevision} (another writer)
     */
    boolean writeDocument(ConfigDocument document, long expectedRevision);

    /** Deletes the document {@code name} of {@code tenantId}; nothing when there is none. */
    void deleteDocument(String tenantId, String name);

    // Change history.

    /** Appends history entries, in this order (which is the order a listing of one millisecond keeps). */
    void appendHistory(List<HistoryEntry> entries);

    /** The highest history version of one entity, 0 when it has none. */
    long lastHistoryVersion(EntityKind entity, String tenantId, String entityId);

    /** The entry of one entity at {@code version}. */
    Optional<HistoryEntry> historyEntry(EntityKind entity, String tenantId, String entityId, long version);

    /** The entries of one entity, by version. */
    List<HistoryEntry> history(EntityKind entity, String tenantId, String entityId);

    /**
     * The entries of {@code tenantId} changed in [{@code from}, {@code to}), by time of change and, within one
     * millisecond, in the order they were appended; {@code offset} of them skipped, at most {@code limit} returned.
     * The bounds may be {@link Instant#MIN} and {@link Instant#MAX}.
     */
    List<HistoryEntry> history(String tenantId, Instant from, Instant to, int offset, int limit);

    /** Deletes the entries and idempotency records {@code policy} lets go at {@code now}, of every tenant. */
    PruneReport pruneHistory(RetentionPolicy policy, Instant now);

    // Idempotency records.

    /** The record of an idempotent write by {@code actor} under {@code key}. */
    Optional<IdempotencyRecord> idempotencyRecord(String actor, String key);

    /** Keeps {@code record}, replacing one of the same actor and key. */
    void putIdempotencyRecord(IdempotencyRecord record);

    // Tenants and changes.

    /** Every tenant that has a provider, an API key or a document. */
    List<String> tenantIds();

    /**
     * Records a change this transaction made (origin {@link io.configstore.change.ChangeOrigin#LOCAL}), told to
     * subscribers once the transaction commits and dropped when the write that made it rolls back.
     */
    void changed(ChangeEvent event);
}
