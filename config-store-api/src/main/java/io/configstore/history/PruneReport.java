package io.configstore.history;

/**
 * What {@link io.configstore.store.StoreSet#pruneHistory} removed.
 *
 * @param historyEntries history rows deleted
 * @param idempotencyRecords idempotency records deleted
 */
public record PruneReport(long historyEntries, long idempotencyRecords) {
}
