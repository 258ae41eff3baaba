package io.configstore.model;

import io.configstore.internal.Arguments;

/**
 * Who made a change and why, and optionally the idempotency key that makes a retried write safe. Every write takes
 * one; it is kept with the row and in the change history.
 *
 * @param changedBy the actor: a user name, a service name, an operator's email; 1 to 128 printable characters
 * @param reason why the change was made, or null; at most 1,024 characters
 * @param idempotencyKey names this one write so that a retry of it returns the first result instead of writing again
 *     (see {@code io.configstore.engine.IdempotentWrites}), or null; scoped by {@code changedBy}, so refused
 *     with {@link #UNATTRIBUTED}; 1 to 128 printable characters
 */
public record ChangeContext(String changedBy, String reason, String idempotencyKey) {
    /** The actor recorded when a host does not say who made a change. */
    public static final String UNATTRIBUTED = "unattributed";

    public ChangeContext {
        Arguments.requireName("changedBy", changedBy);
        Arguments.optionalText("reason", reason, Arguments.MAX_REASON_LENGTH);
        if (idempotencyKey != null) {
            Arguments.requireName("idempotencyKey", idempotencyKey);
            if (UNATTRIBUTED.equals(changedBy)) {
                // Keys are scoped by actor: every unattributed caller would share (and collide in) one key space.
                throw new io.configstore.error.ValidationException("an idempotency key needs a named actor, not '"
                        + UNATTRIBUTED + "': name the actor: keys are scoped by actor (ChangeContext.by(actor))");
            }
        }
    }

    /** A change without an idempotency key. */
    public ChangeContext(String changedBy, String reason) {
        this(changedBy, reason, null);
    }

    /** A change made by {@code actor}, without a reason. */
    public static ChangeContext by(String actor) {
        return new ChangeContext(actor, null);
    }

    /** A change made by {@code actor} for {@code reason}. */
    public static ChangeContext by(String actor, String reason) {
        return new ChangeContext(actor, reason);
    }

    /** A change whose actor the host did not name. Prefer {@link #by(String)}: audits want names. */
    public static ChangeContext unattributed() {
        return new ChangeContext(UNATTRIBUTED, null);
    }

    /**
     * This change carrying {@code key}: a write made with it, retried with the same key and the same request (also
     * after a restart), returns the first result without writing again. One key names one write, not a unit of
     * work: give each write of a unit its own key (a second write with the same key is a conflict).
     *
     * @throws io.configstore.error.ValidationException when {@code key} is not 1 to 128 printable characters, or
     *     this change is {@link #unattributed()} (name the actor: keys are scoped by actor)
     */
    public ChangeContext withIdempotencyKey(String key) {
        Arguments.requireName("idempotencyKey", key);
        return new ChangeContext(changedBy, reason, key);
    }
}
