package io.configstore.model;

/**
 * Who made a change and why. Every write takes one; it is kept with the row (and, once history exists, in the audit
 * trail).
 *
 * @param changedBy the actor: a user name, a service name, an operator's email; 1 to 128 printable characters
 * @param reason why the change was made, or null; at most 1,024 characters
 */
public record ChangeContext(String changedBy, String reason) {
    /** The actor recorded when a host does not say who made a change. */
    public static final String UNATTRIBUTED = "unattributed";

    public ChangeContext {
        Arguments.requireName("changedBy", changedBy);
        Arguments.optionalText("reason", reason, Arguments.MAX_REASON_LENGTH);
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
}
