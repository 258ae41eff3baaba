package io.configstore.jdbc;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
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

    /** Records, in the running transaction, that an entity now has {@code version}. */
    void changed(EntityKind entity, String tenantId, String key, long version) {
        transactions.recordChange(ChangeEvent.changed(entity, tenantId, key, version, ChangeOrigin.LOCAL));
    }

    /** Records, in the running transaction, that an entity that had {@code lastVersion} was deleted. */
    void deleted(EntityKind entity, String tenantId, String key, long lastVersion) {
        transactions.recordChange(ChangeEvent.deleted(entity, tenantId, key, lastVersion, ChangeOrigin.LOCAL));
    }
}
