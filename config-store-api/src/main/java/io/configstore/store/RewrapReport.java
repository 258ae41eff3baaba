package io.configstore.store;

import java.util.Map;

/**
 * What a {@link SecretMaintenance#rewrap} did.
 *
 * @param primaryKeyId the key every secret was rewrapped under
 * @param rewrapped rows re-encrypted and written
 * @param batches batches committed
 * @param remainingByKeyId secrets still under another key, by key id (empty when the rewrap is complete)
 */
public record RewrapReport(String primaryKeyId, long rewrapped, int batches, Map<String, Long> remainingByKeyId) {
    public RewrapReport {
        remainingByKeyId = Map.copyOf(remainingByKeyId);
    }

    /** Whether every stored secret is now under the primary key. */
    public boolean complete() {
        return remainingByKeyId.isEmpty();
    }
}
