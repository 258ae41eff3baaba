package io.configstore.error;

import java.time.Instant;
import java.util.Objects;

/**
 * The store cannot be reached or read at all (a lost connection, an unreachable server, an unreadable database
 * file), as opposed to a store that answered and refused. Nothing was written by the call that failed. The
 * configuration service raises it for writes while it serves its last-known-good configuration, with the time the
 * store went away.
 */
public class StoreUnavailableException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final Instant since;

    /** A store that is away since {@code since}; the message says what failed and what to do. */
    public StoreUnavailableException(String message, Instant since, Throwable cause) {
        super(message, cause);
        this.since = Objects.requireNonNull(since, "since");
    }

    /** A store that is away since {@code since}. */
    public StoreUnavailableException(String message, Instant since) {
        super(message);
        this.since = Objects.requireNonNull(since, "since");
    }

    /** When the store was first seen away (for the translator of a driver error: when that error was seen). */
    public Instant since() {
        return since;
    }
}
