package io.configstore.imports;

import io.configstore.crypto.AesGcmSecretCipher;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretCipher;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.sqlite.SqliteStoreSet;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Path;

/** Real SQLite targets for the import tests, and ways to read them back. */
final class ImportTargets {
    static final ChangeContext OPS = ChangeContext.by("ops", "import test");

    private ImportTargets() {
    }

    static SecretCipher cipher() {
        return AesGcmSecretCipher.of("target", AesGcmSecretCipher.generateKey());
    }

    static StoreSet sqlite(Path file, SecretCipher cipher) {
        return SqliteStoreSet.builder().path(file).cipher(cipher).open();
    }

    static ImportOptions skip() {
        return ImportOptions.skipExisting(OPS);
    }

    static ImportOptions fail() {
        return new ImportOptions(OnExisting.FAIL, false, OPS);
    }

    /** The clear text of the key {@code type/name}, revealed through the store. */
    static String reveal(TenantStores tenant, String type, String name) {
        ApiKeyMetadata key = key(tenant, type, name);
        try (Secret secret = tenant.apiKeys().reveal(key.id())) {
            return secret.reveal();
        }
    }

    static ApiKeyMetadata key(TenantStores tenant, String type, String name) {
        return tenant.apiKeys().listByType(type).stream().filter(key -> key.keyName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no API key " + type + "/" + name));
    }

    /** How many rows the store holds, across its three stores, for one tenant. */
    static int rows(TenantStores tenant) {
        return tenant.providers().list().size() + tenant.apiKeys().list().size() + tenant.documents().names().size();
    }
}
