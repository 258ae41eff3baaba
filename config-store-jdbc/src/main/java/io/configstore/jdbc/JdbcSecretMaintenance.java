package io.configstore.jdbc;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeOrigin;
import io.configstore.change.EntityKind;
import io.configstore.crypto.SecretBinding;
import io.configstore.crypto.SecretCipher;
import io.configstore.crypto.StoreMetadata;
import io.configstore.engine.BatchedSecretMaintenance;
import io.configstore.model.ChangeContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Secret maintenance over the {@code api_keys} table of every tenant. */
final class JdbcSecretMaintenance extends BatchedSecretMaintenance {
    private final Transactions transactions;

    JdbcSecretMaintenance(Transactions transactions, SecretCipher cipher, StoreMetadata metadata) {
        super(cipher, metadata);
        this.transactions = transactions;
    }

    @Override
    protected List<StoredSecret> secretsAfter(SecretBinding after, int limit) {
        return transactions.read("reading stored secrets", connection -> {
            List<StoredSecret> rows = new ArrayList<>();
            String sql = "SELECT tenant_id, id, provider_type, key_name, ciphertext, version FROM api_keys"
                    + (after == null ? "" : " WHERE tenant_id > ? OR (tenant_id = ? AND id > ?)")
                    + " ORDER BY tenant_id, id LIMIT ?";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int parameter = 1;
                if (after != null) {
                    select.setString(parameter++, after.tenantId());
                    select.setString(parameter++, after.tenantId());
                    select.setString(parameter++, after.rowId());
                }
                select.setInt(parameter, limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(new StoredSecret(new SecretBinding(row.getString(1), row.getString(3),
                                row.getString(4), row.getString(2)), row.getString(5), row.getLong(6)));
                    }
                }
            }
            return rows;
        });
    }

    @Override
    protected int writeRewrapped(List<StoredSecret> read, List<String> ciphertexts, String keyId,
                                 ChangeContext change) {
        return transactions.write("rewrapping a batch of " + read.size() + " secrets", connection -> {
            int written = 0;
            // updated_at stays: the secret did not change, and findActive orders by it.
            try (PreparedStatement update = connection.prepareStatement("UPDATE api_keys SET ciphertext = ?,"
                    + " encryption_key_id = ?, version = version + 1, changed_by = ?, change_reason = ?"
                    + " WHERE tenant_id = ? AND id = ? AND version = ?")) {
                for (int i = 0; i < read.size(); i++) {
                    StoredSecret secret = read.get(i);
                    update.setString(1, ciphertexts.get(i));
                    update.setString(2, keyId);
                    update.setString(3, change.changedBy());
                    update.setString(4, change.reason());
                    update.setString(5, secret.binding().tenantId());
                    update.setString(6, secret.binding().rowId());
                    update.setLong(7, secret.version());
                    if (update.executeUpdate() == 1) {
                        written++;
                        transactions.recordChange(ChangeEvent.changed(EntityKind.API_KEY,
                                secret.binding().tenantId(), secret.binding().rowId(), secret.version() + 1,
                                ChangeOrigin.LOCAL));
                    }
                }
            }
            return written;
        });
    }
}
