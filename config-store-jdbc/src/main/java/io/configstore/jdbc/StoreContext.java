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
import java.util.ArrayList;
import java.util.List;

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
     * Appends the first history rows of providers of one tenant just created under fresh random ids: no earlier
     * history can exist for those ids, so none is looked up (one statement less per create), and many are batched.
     */
    void historyOfCreated(Connection connection, List<ProviderConfig> rows, ChangeContext change)
            throws SQLException {
        List<JdbcHistory.NewEntry> entries = new ArrayList<>(rows.size());
        for (ProviderConfig row : rows) {
            entries.add(new JdbcHistory.NewEntry(row.id(), row.version(), EntitySnapshots.provider(row)));
        }
        JdbcHistory.appendAll(this, connection, EntityKind.PROVIDER_CONFIG, rows.get(0).tenantId(), ChangeType.CREATE,
                entries, change);
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
