package io.configstore.jdbc;

import io.configstore.crypto.SecretCipher;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What every store of one {@link JdbcStoreSet} shares. */
record StoreContext(Transactions transactions, SqlDialect dialect, SecretCipher cipher, Clock clock) {
    /** Now, truncated to milliseconds so that every backend round-trips timestamps exactly. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
