package io.configstore.jdbc;

import io.configstore.error.ConfigStoreException;
import io.configstore.error.DuplicateException;
import io.configstore.error.StorageException;
import io.configstore.error.StoreUnavailableException;
import io.configstore.error.VersionConflictException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;

/**
 * The one place where a driver's {@link SQLException} becomes a configstore exception. Messages say what failed and
 * what to do; the driver's own text stays in the cause, for diagnosis, and never in the message.
 */
public final class SqlErrorTranslator {
    private final SqlDialect dialect;
    private final Clock clock;

    /** A translator that classifies errors with {@code dialect} and dates them by the system UTC clock. */
    public SqlErrorTranslator(SqlDialect dialect) {
        this(dialect, Clock.systemUTC());
    }

    /**
     * A translator that classifies errors with {@code dialect} and dates them ({@link StoreUnavailableException#since})
     * by {@code clock}, the store set's own.
     */
    public SqlErrorTranslator(SqlDialect dialect, Clock clock) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The configstore exception for {@code error}, raised by the COMMIT of {@code action}. A commit that lost its
     * connection may or may not have taken effect (the server may have committed before its reply was lost): that is
     * a {@link StoreUnavailableException}, so that a caller knows the store is away, whose message says the outcome
     * is unknown and to read before retrying. Any other error is translated as {@link #translate} does.
     */
    public ConfigStoreException translateCommit(String action, SQLException error) {
        if (dialect.classify(error) == SqlErrorKind.CONNECTION_LOST) {
            return new StoreUnavailableException("committing " + action + " failed: the connection to "
                    + dialect.describeDatabase() + " was lost during the commit, so whether it took effect is"
                    + " unknown; do not retry blindly: once the database is reachable again, read the data to see"
                    + " whether the change is there, then retry only if it is not", clock.instant(), error);
        }
        return translate("committing " + action, error);
    }

    /**
     * The configstore exception for {@code error}, raised while doing {@code action}.
     *
     * @param action what was being done, as a phrase: {@code "creating provider config 'prod' (openai)"}
     */
    public ConfigStoreException translate(String action, SQLException error) {
        String database = dialect.describeDatabase();
        return switch (dialect.classify(error)) {
            case UNIQUE_VIOLATION -> new DuplicateException(action + " failed: another writer created the same"
                    + " entity at the same time; read it again and decide whether to update it or use another name",
                    error);
            case LOCKED -> new StorageException(action + " failed: " + database + " stayed locked by another"
                    + " connection or process for longer than " + dialect.describeLockWait() + "; find the process"
                    + " holding a long transaction, or raise that timeout, then retry", error);
            // Typed, so that a service can tell "the store is away" (serve the last-known-good configuration) from a
            // store that answered and refused.
            case CONNECTION_LOST -> new StoreUnavailableException(action + " failed: " + database + " is unreachable"
                    + " (the connection was lost or could not be made); check that the database server is running and"
                    + " reachable from this host (address, port, firewall, credentials), then retry", clock.instant(),
                    error);
            case CONCURRENT_UPDATE -> withCause(new VersionConflictException(action + " failed: a concurrent"
                    + " transaction changed the same data and " + database + " aborted this one; nothing was"
                    + " written: read again, re-apply the change and retry"), error);
            case TRANSACTION_ABORTED -> new StorageException(action + " failed: an earlier statement of the same"
                    + " transaction failed, so " + database + " rejects the rest of it; nothing of it will commit:"
                    + " look for the first error of this unit of work, then run the whole unit again", error);
            case DISK_FULL -> new StorageException(action + " failed: " + database + " is full; free disk space,"
                    + " then retry", error);
            case READ_ONLY -> new StorageException(action + " failed: " + database + " is read-only for this"
                    + " process; check the permissions of the file and its directory, and the mount", error);
            case CORRUPT -> new StoreUnavailableException(action + " failed: " + database + " is unreadable: corrupt"
                    + " or not a configstore database; restore it from a backup", clock.instant(), error);
            case OTHER -> new StorageException(action + " failed on " + database + " (SQL state "
                    + error.getSQLState() + ", error code " + error.getErrorCode() + "); the cause has the"
                    + " driver's details", error);
        };
    }

    private static ConfigStoreException withCause(ConfigStoreException translated, SQLException error) {
        translated.initCause(error);
        return translated;
    }
}
