package io.configstore.testkit;

/** Durability: everything committed is there after the store set is closed and opened again. */
public interface ReopenContract extends StoreContract {
}
