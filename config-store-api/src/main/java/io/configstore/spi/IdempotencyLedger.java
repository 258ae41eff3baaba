package io.configstore.spi;

import java.util.Optional;

/**
 * Where a backend keeps {@link IdempotencyRecord}s, inside the transaction of the write it is called from: the record
 * commits or rolls back with the write. Backends serialize writers (a write lock), so that a find followed by a
 * record cannot race another writer of the same key.
 *
 * @param <X> the checked exception the backend's storage throws
 */
public interface IdempotencyLedger<X extends Exception> {
    /** The record of {@code key} for {@code actor}, if one is kept. */
    Optional<IdempotencyRecord> find(String actor, String key) throws X;

    /** Keeps {@code record}; no record of its (actor, key) exists yet. */
    void record(IdempotencyRecord record) throws X;
}
