package io.configstore.memory.spi;

import io.configstore.engine.StoredKey;
import io.configstore.history.HistoryEntry;
import io.configstore.internal.Arguments;
import io.configstore.memory.InMemoryStorage;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import io.configstore.spi.IdempotencyRecord;
import java.util.List;
import java.util.Map;

/**
 * Every row of an {@link InMemoryStorage}, of every tenant, as a {@link StorageJournal} writes and reads them.
 * Immutable; the lists are in no particular order, but for API keys, which are in activation order (the key stored,
 * rotated or activated last comes last; a journal keeps that order, since it decides the active key).
 *
 * @param providers provider configurations
 * @param apiKeys API keys, with their ciphertext exactly as the cipher wrote it, in activation order
 * @param documents configuration documents
 * @param metadata what the store keeps about itself (key-check values, key-derivation parameters), by name
 * @param history the change history of every tenant, in the order it was written
 * @param idempotency the idempotency records
 */
public record StorageRows(List<ProviderConfig> providers, List<StoredKey> apiKeys, List<ConfigDocument> documents,
                          Map<String, String> metadata, List<HistoryEntry> history,
                          List<IdempotencyRecord> idempotency) {
    public StorageRows {
        providers = List.copyOf(Arguments.requireNonNull("providers", providers));
        apiKeys = List.copyOf(Arguments.requireNonNull("apiKeys", apiKeys));
        documents = List.copyOf(Arguments.requireNonNull("documents", documents));
        metadata = Map.copyOf(Arguments.requireNonNull("metadata", metadata));
        history = List.copyOf(Arguments.requireNonNull("history", history));
        idempotency = List.copyOf(Arguments.requireNonNull("idempotency", idempotency));
    }

    /** Rows with no history and no idempotency records (as files written before history existed hold). */
    public StorageRows(List<ProviderConfig> providers, List<StoredKey> apiKeys, List<ConfigDocument> documents,
                       Map<String, String> metadata) {
        this(providers, apiKeys, documents, metadata, List.of(), List.of());
    }

    /** Rows with no store metadata. */
    public StorageRows(List<ProviderConfig> providers, List<StoredKey> apiKeys, List<ConfigDocument> documents) {
        this(providers, apiKeys, documents, Map.of());
    }

    /** No rows at all: a new storage. */
    public static StorageRows empty() {
        return new StorageRows(List.of(), List.of(), List.of(), Map.of(), List.of(), List.of());
    }
}
