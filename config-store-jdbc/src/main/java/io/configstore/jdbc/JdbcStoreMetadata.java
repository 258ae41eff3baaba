package io.configstore.jdbc;

import io.configstore.crypto.StoreMetadata;
import io.configstore.internal.Arguments;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** {@link StoreMetadata} over the {@code store_metadata} table every SQL dialect's migrations create. */
final class JdbcStoreMetadata implements StoreMetadata {
    private final Transactions transactions;
    private final SqlDialect dialect;
    private final Clock clock;

    JdbcStoreMetadata(Transactions transactions, SqlDialect dialect, Clock clock) {
        this.transactions = transactions;
        this.dialect = dialect;
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String name) {
        Arguments.requireName("name", name);
        return transactions.read("reading store metadata '" + name + "'", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT value FROM store_metadata WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public String putIfAbsent(String name, String value) {
        Arguments.requireName("name", name);
        Arguments.requireNonNull("value", value);
        // Read first: every open checks its keys, and a read-only database role or a validate-only open must not
        // need a write (nor take the write lock) when the value is already there.
        Optional<String> present = get(name);
        if (present.isPresent()) {
            return present.get();
        }
        return transactions.write("recording store metadata '" + name + "'", connection -> {
            // A duplicate inserts nothing (the dialect's ON CONFLICT DO NOTHING): the first writer wins, a racing one
            // reads it.
            try (PreparedStatement insert = connection.prepareStatement(dialect.insertIgnoringDuplicates(
                    "INSERT INTO store_metadata (name, value, updated_at) VALUES (?, ?, ?)"))) {
                insert.setString(1, name);
                insert.setString(2, value);
                dialect.setInstant(insert, 3, clock.instant().truncatedTo(ChronoUnit.MILLIS));
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT value FROM store_metadata WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new SQLException("store metadata '" + name + "' vanished right after it was written");
                    }
                    return row.getString(1);
                }
            }
        });
    }

    @Override
    public void remove(String name) {
        Arguments.requireName("name", name);
        transactions.write("removing store metadata '" + name + "'", connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM store_metadata WHERE name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
            return null;
        });
    }
}
