package io.configstore.testkit;

/** Concurrency: no lost update and exactly one default under threads and second instances. */
public interface ConcurrencyContract extends StoreContract {
}
