package io.configstore.testkit;

/** ConfigStore: compare-and-set saves, typed access and read-modify-write updates. */
public interface ConfigStoreContract extends StoreContract {
}
