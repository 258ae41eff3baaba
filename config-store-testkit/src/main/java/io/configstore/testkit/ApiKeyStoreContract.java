package io.configstore.testkit;

/** ApiKeyStore: encrypted storage, redaction, rotation, activation and usage. */
public interface ApiKeyStoreContract extends StoreContract {
}
