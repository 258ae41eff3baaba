package io.configstore.error;

/**
 * A write carried an idempotency key that its actor already used for a different request. Nothing was written. Use
 * a new key for a new request; reuse a key only to retry exactly the same request.
 */
public class IdempotencyConflictException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;

    public IdempotencyConflictException(String message) {
        super(message);
    }
}
