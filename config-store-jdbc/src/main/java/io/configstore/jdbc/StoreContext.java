package io.configstore.jdbc;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.crypto.SecretCipher;
import io.configstore.history.ChangeType;
import io.configstore.history.EntitySnapshots;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.ProviderConfig;
import java.sql.Connection;
import java.sql.SQLException;
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

    /** Appends the history row of a provider's write; {@code row} is its state after it (before, for a delete). */
    void history(Connection connection, ProviderConfig row, ChangeType type, ChangeContext change)
            throws SQLException {
        JdbcHistory.append(this, connection, EntityKind.PROVIDER_CONFIG, row.tenantId(), row.id(),
                type == ChangeType.DELETE ? row.version() + 1 : row.version(), type, EntitySnapshots.provider(row),
                change);
    }

    /**
     * Appends the first history row of a provider just created under a fresh random id: no earlier history can
     * exist for that id, so none is looked up (one statement less per create, which imports repeat 100,000 times).
     */
    void historyOfCreated(Connection connection, ProviderConfig row, ChangeContext change) throws SQLException {
        JdbcHistory.appendAt(this, connection, EntityKind.PROVIDER_CONFIG, row.tenantId(), row.id(), row.version(),
                ChangeType.CREATE, EntitySnapshots.provider(row), change);
    }

    /** Appends the history row of an API key's write, its ciphertext in the snapshot. */
    void history(Connection connection, ApiKeyMetadata row, String ciphertext, ChangeType type, ChangeContext change)
            throws SQLException {
        JdbcHistory.append(this, connection, EntityKind.API_KEY, row.tenantId(), row.id(),
                type == ChangeType.DELETE ? row.version() + 1 : row.version(), type,
                EntitySnapshots.apiKey(row, ciphertext), change);
    }

    /** Appends the history row of a document's write. */
    void history(Connection connection, ConfigDocument row, ChangeType type, ChangeContext change)
            throws SQLException {
        JdbcHistory.append(this, connection, EntityKind.CONFIG_DOCUMENT, row.tenantId(), row.name(),
                type == ChangeType.DELETE ? row.revision() + 1 : row.revision(), type, EntitySnapshots.document(row),
                change);
    }
}
