package io.configstore.service;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The state of a configuration service, as {@link ConfigurationService#health()} reports it and
 * {@link ConfigurationService#onHealthChange} publishes it. Never holds a secret.
 *
 * @param state UP, DEGRADED or DOWN
 * @param since when the service entered {@code state}
 * @param reason why it is in that state, in a sentence (for UP: "the store answers")
 * @param lastSuccessfulSync when the store last answered a load; null when it never did
 * @param snapshotFile the last-known-good snapshot file; null when the service keeps none
 * @param snapshotWrittenAt when that file was last written or read at start; null when never
 * @param snapshotAge how old the configuration served from the snapshot is (now minus its sync time); null when
 *     there is none
 * @param revisions the fingerprint of the revisions last synced or read ({@link LastKnownGood#revisions()}); null
 *     when none
 * @param changeFeed the state of the store's change feed: LISTENING, INTERRUPTED (store away) or NONE (no store open)
 * @param bufferedUsage API key uses waiting to be written
 * @param droppedUsage API key uses dropped since start because the buffer was full
 */
public record ServiceHealth(State state, Instant since, String reason, Instant lastSuccessfulSync, Path snapshotFile,
                            Instant snapshotWrittenAt, Duration snapshotAge, String revisions, String changeFeed,
                            int bufferedUsage, long droppedUsage) {
    /** The three states of a service. */
    public enum State {
        /** The store answers: reads are fresh, writes go through. */
        UP,
        /**
         * The store is away (or a read-only fallback store is in use): reads answer with the last-known-good
         * configuration, writes fail with {@link io.configstore.error.StoreUnavailableException}.
         */
        DEGRADED,
        /** The store is away and there is nothing fit to serve: reads and writes fail. */
        DOWN
    }
}
