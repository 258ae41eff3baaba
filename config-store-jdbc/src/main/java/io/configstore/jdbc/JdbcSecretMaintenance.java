package io.configstore.jdbc;

import io.configstore.change.EntityKind;
import io.configstore.crypto.KeyChecks;
import io.configstore.crypto.SecretBinding;
import io.configstore.error.StorageException;
import io.configstore.error.ValidationException;
import io.configstore.model.Arguments;
import io.configstore.model.ChangeContext;
import io.configstore.store.RewrapReport;
import io.configstore.store.SecretMaintenance;
import io.configstore.store.StoreMetadata;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link SecretMaintenance} over the {@code api_keys} table of every tenant. */
final class JdbcSecretMaintenance implements SecretMaintenance {
    /** Largest accepted rewrap batch. */
    static final int MAX_BATCH = 10_000;
    /** Batches in a row that may write nothing (every row changed concurrently) before the rewrap gives up. */
    private static final int MAX_IDLE_BATCHES = 10;

    private final StoreContext context;
    private final StoreMetadata metadata;

    /** One stored secret as the rewrap reads it. */
    private record StoredSecret(String tenantId, String id, String providerType, String keyName, String ciphertext,
                                long version) {
        SecretBinding binding() {
            return new SecretBinding(tenantId, providerType, keyName, id);
        }
    }

    JdbcSecretMaintenance(StoreContext context, StoreMetadata metadata) {
        this.context = context;
        this.metadata = metadata;
    }

    @Override
    public Map<String, Long> countByKeyId() {
        return context.transactions().read("counting stored secrets by master key", connection -> {
            Map<String, Long> counts = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT encryption_key_id, COUNT(*) FROM api_keys GROUP BY encryption_key_id");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    counts.put(row.getString(1), row.getLong(2));
                }
            }
            return Map.copyOf(counts);
        });
    }

    @Override
    public RewrapReport rewrap(int batchSize, RewrapProgress progress, ChangeContext change) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new ValidationException("batchSize must be between 1 and " + MAX_BATCH + ", was " + batchSize);
        }
        Arguments.requireNonNull("progress", progress);
        Arguments.requireNonNull("change", change);
        String primary = context.cipher().primaryKeyId();
        long rewrapped = 0;
        int batches = 0;
        int idleBatches = 0;
        while (true) {
            List<StoredSecret> batch = notUnder(primary, batchSize);
            if (batch.isEmpty()) {
                break;
            }
            // Decrypt and re-encrypt outside the transaction, so the write lock is held only for the UPDATEs.
            List<String> values = new ArrayList<>(batch.size());
            for (StoredSecret secret : batch) {
                values.add(context.cipher().rewrap(secret.ciphertext(), secret.binding()));
            }
            int written = writeBatch(batch, values, primary, change);
            rewrapped += written;
            batches++;
            idleBatches = written == 0 ? idleBatches + 1 : 0;
            if (idleBatches >= MAX_IDLE_BATCHES) {
                throw new StorageException("rewrap made no progress in " + MAX_IDLE_BATCHES + " batches in a row: the"
                        + " rows keep changing concurrently; run it again when writes are quieter");
            }
            progress.onBatch(report(primary, rewrapped, batches));
        }
        return report(primary, rewrapped, batches);
    }

    @Override
    public void removeKey(String keyId) {
        Arguments.requireNonNull("keyId", keyId);
        long needing = countByKeyId().getOrDefault(keyId, 0L);
        if (needing > 0) {
            throw new ValidationException(needing + " stored secret(s) are still encrypted with master key '" + keyId
                    + "'; run secrets().rewrap(...) so that they move to the primary key, then remove it");
        }
        context.cipher().removeKey(keyId);
        KeyChecks.forget(keyId, metadata);
    }

    private List<StoredSecret> notUnder(String primary, int limit) {
        return context.transactions().read("reading secrets to rewrap", connection -> {
            List<StoredSecret> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT tenant_id, id, provider_type,"
                    + " key_name, ciphertext, version FROM api_keys WHERE encryption_key_id <> ?"
                    + " ORDER BY tenant_id, id LIMIT ?")) {
                select.setString(1, primary);
                select.setInt(2, limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(new StoredSecret(row.getString(1), row.getString(2), row.getString(3),
                                row.getString(4), row.getString(5), row.getLong(6)));
                    }
                }
            }
            return rows;
        });
    }

    /** Writes one batch with compare-and-set on each row's version; returns how many rows were written. */
    private int writeBatch(List<StoredSecret> batch, List<String> values, String primary, ChangeContext change) {
        return context.transactions().write("rewrapping a batch of " + batch.size() + " secrets", connection -> {
            int written = 0;
            // updated_at stays: the secret did not change, and findActive orders by it.
            try (PreparedStatement update = connection.prepareStatement("UPDATE api_keys SET ciphertext = ?,"
                    + " encryption_key_id = ?, version = version + 1, changed_by = ?, change_reason = ?"
                    + " WHERE tenant_id = ? AND id = ? AND version = ?")) {
                for (int i = 0; i < batch.size(); i++) {
                    StoredSecret secret = batch.get(i);
                    update.setString(1, values.get(i));
                    update.setString(2, primary);
                    update.setString(3, change.changedBy());
                    update.setString(4, change.reason());
                    update.setString(5, secret.tenantId());
                    update.setString(6, secret.id());
                    update.setLong(7, secret.version());
                    if (update.executeUpdate() == 1) {
                        written++;
                        context.changed(EntityKind.API_KEY, secret.tenantId(), secret.id(), secret.version() + 1);
                    }
                }
            }
            return written;
        });
    }

    private RewrapReport report(String primary, long rewrapped, int batches) {
        Map<String, Long> remaining = new TreeMap<>(countByKeyId());
        remaining.remove(primary);
        return new RewrapReport(primary, rewrapped, batches, remaining);
    }
}
