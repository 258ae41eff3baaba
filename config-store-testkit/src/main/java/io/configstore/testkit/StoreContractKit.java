package io.configstore.testkit;

/**
 * Every contract a backend passes. Implement it in a backend's test sources to run the whole kit:
 *
 * <pre>{@code
 * class SqliteContractTest implements StoreContractKit {
 *     public StoreBackend backend() { return ...; }
 * }
 * }</pre>
 */
public interface StoreContractKit extends ProviderConfigStoreContract, ApiKeyStoreContract, ConfigStoreContract,
        UnitOfWorkContract, TenantIsolationContract, ReopenContract, ConcurrencyContract, BadInputContract,
        ChangeFeedContract, RemoteChangeFeedContract, SecretRotationContract, EffectiveConfigContract,
        HistoryContract, IdempotencyContract, ProviderBatchContract, ModelBasedContract {
}
