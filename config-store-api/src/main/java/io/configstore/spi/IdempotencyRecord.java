package io.configstore.spi;

import io.configstore.internal.Arguments;
import java.time.Instant;

/**
 * What a ledger keeps of one idempotent write.
 *
 * @param actor who wrote ({@code changedBy}): keys are scoped by actor
 * @param key the idempotency key
 * @param fingerprint a digest of the request (operation, tenant, arguments), never a secret in clear
 * @param result the write's result as JSON text ({@code null} as the text {@code "null"}); never a secret in clear
 * @param createdAt when the write committed
 */
public record IdempotencyRecord(String actor, String key, String fingerprint, String result, Instant createdAt) {
    public IdempotencyRecord {
        Arguments.requireNonNull("actor", actor);
        Arguments.requireNonNull("key", key);
        Arguments.requireNonNull("fingerprint", fingerprint);
        Arguments.requireNonNull("result", result);
        Arguments.requireNonNull("createdAt", createdAt);
    }

    /** Names the record; the result stays out of logs. */
    @Override
    public String toString() {
        return "IdempotencyRecord[" + actor + "/" + key + " at " + createdAt + "]";
    }
}
