package io.configstore.testkit.memory;

import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The rows of one in-memory storage. A Tables is filled while it is private to one writer and never changed once
 * another thread or a later write can see it: every write copies, changes the copy and publishes it, so readers need
 * no lock.
 */
final class Tables {
    /** Provider configurations of every tenant, by id. */
    final Map<String, ProviderConfig> providers;
    /** API keys of every tenant, by id. */
    final Map<String, StoredKey> keys;
    /** Configuration documents of every tenant, by (tenant, name). */
    final Map<DocumentKey, ConfigDocument> documents;

    private Tables(Map<String, ProviderConfig> providers, Map<String, StoredKey> keys,
                   Map<DocumentKey, ConfigDocument> documents) {
        this.providers = providers;
        this.keys = keys;
        this.documents = documents;
    }

    /** Empty tables, for a new storage. */
    static Tables empty() {
        return new Tables(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    /** A private copy to change; the rows themselves are immutable and shared. */
    Tables copy() {
        return new Tables(new HashMap<>(providers), new HashMap<>(keys), new HashMap<>(documents));
    }
}
