package io.configstore.file;

import io.configstore.engine.StoredKey;
import io.configstore.memory.spi.StorageRows;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives rows a person changed by hand a new version. A person editing the file does not bump versions; without a
 * bump, a caller holding the old version could overwrite the edit by compare-and-set, and subscribers (told by
 * version) would not hear of it.
 */
final class HandEdits {
    /** Who {@code changedBy} names for a row changed by editing the file. */
    static final String EDITOR = "hand-edit";

    private HandEdits() {
    }

    /** {@code edited}, where each row that differs from {@code before} at the same version gets the next version. */
    static StorageRows versioned(StorageRows before, StorageRows edited, Instant now) {
        Map<String, ProviderConfig> oldProviders = new HashMap<>();
        before.providers().forEach(p -> oldProviders.put(p.id(), p));
        List<ProviderConfig> providers = new ArrayList<>();
        for (ProviderConfig p : edited.providers()) {
            ProviderConfig old = oldProviders.get(p.id());
            providers.add(old == null || old.equals(p) || old.version() != p.version() ? p
                    : new ProviderConfig(p.id(), p.tenantId(), p.providerType(), p.name(), p.settings(), p.isDefault(),
                            p.enabled(), p.priority(), p.version() + 1, p.createdAt(), now, EDITOR, null));
        }
        Map<String, StoredKey> oldKeys = new HashMap<>();
        before.apiKeys().forEach(k -> oldKeys.put(k.metadata().id(), k));
        List<StoredKey> keys = new ArrayList<>();
        for (StoredKey k : edited.apiKeys()) {
            StoredKey old = oldKeys.get(k.metadata().id());
            ApiKeyMetadata m = k.metadata();
            keys.add(old == null || old.equals(k) || old.metadata().version() != m.version() ? k
                    : new StoredKey(new ApiKeyMetadata(m.id(), m.tenantId(), m.providerType(), m.keyName(), m.active(),
                            m.version() + 1, m.encryptionKeyId(), m.createdAt(), now, m.lastUsedAt(), EDITOR, null),
                            k.ciphertext()));
        }
        Map<List<String>, ConfigDocument> oldDocuments = new HashMap<>();
        before.documents().forEach(d -> oldDocuments.put(List.of(d.tenantId(), d.name()), d));
        List<ConfigDocument> documents = new ArrayList<>();
        for (ConfigDocument d : edited.documents()) {
            ConfigDocument old = oldDocuments.get(List.of(d.tenantId(), d.name()));
            documents.add(old == null || old.equals(d) || old.revision() != d.revision() ? d
                    : new ConfigDocument(d.tenantId(), d.name(), d.content(), d.formatVersion(), d.revision() + 1,
                            now, EDITOR, null));
        }
        return new StorageRows(providers, keys, documents, edited.metadata());
    }
}
