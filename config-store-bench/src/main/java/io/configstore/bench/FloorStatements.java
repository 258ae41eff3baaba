package io.configstore.bench;

import java.util.List;

/**
 * The floor's SQL, in one place: the statements the library's JDBC stores issue for each benchmarked operation,
 * written once with three tokens the dialect fills in: {@code {JSON}} (a JSON parameter), {@code {TIME}} (a
 * timestamp parameter, bound as epoch milliseconds) and {@code {TRUE}} (true in a boolean column). A write is its
 * statements plus the dialect's change notice ({@link #SQLITE_CHANGE_NOTICE} or {@link #POSTGRES_CHANGE_NOTICE}) and
 * its history row ({@link #HISTORY}) in one transaction. When the stores write one more row per change, add its
 * statement here and the floor follows.
 */
final class FloorStatements {
    private FloorStatements() {
    }

    /** Reading a provider by id: tenant, id. */
    static final String READ_PROVIDER = "SELECT id, tenant_id, provider_type, name, settings, is_default, enabled,"
            + " priority, version, created_at, updated_at, changed_by, change_reason FROM provider_configs"
            + " WHERE tenant_id = ? AND id = ?";

    /**
     * Creating a provider: the name check, the type's current default (the new one becomes the default when there
     * is none), then the row (tenant, id, type, name, settings, times, actor).
     */
    static final List<String> CREATE_PROVIDER = List.of(
            "SELECT id FROM provider_configs WHERE tenant_id = ? AND provider_type = ? AND name = ?",
            "SELECT id FROM provider_configs WHERE tenant_id = ? AND provider_type = ? AND is_default = {TRUE}",
            "INSERT INTO provider_configs (tenant_id, id, provider_type, name, settings, is_default, enabled,"
                    + " priority, version, created_at, updated_at, changed_by, change_reason)"
                    + " VALUES (?, ?, ?, ?, {JSON}, ?, ?, 100, 1, {TIME}, {TIME}, ?, NULL)");

    /** Updating a document with a function: read it, then compare-and-set on its revision. */
    static final List<String> UPDATE_DOCUMENT = List.of(
            "SELECT tenant_id, name, content, format_version, revision, updated_at, changed_by, change_reason"
                    + " FROM config_documents WHERE tenant_id = ? AND name = ?",
            "UPDATE config_documents SET content = {JSON}, revision = ?, updated_at = {TIME}, changed_by = ?,"
                    + " change_reason = NULL WHERE tenant_id = ? AND name = ? AND revision = ?");

    /** Revealing a key: its row (the decryption is the library's own work, not the floor's). */
    static final String READ_API_KEY = "SELECT id, tenant_id, provider_type, key_name, ciphertext,"
            + " encryption_key_id, active, activation_seq, version, created_at, updated_at, last_used_at,"
            + " changed_by, change_reason FROM api_keys WHERE tenant_id = ? AND id = ?";

    /** Recording a use of a key. */
    static final String RECORD_USAGE = "UPDATE api_keys SET last_used_at = {TIME} WHERE tenant_id = ? AND id = ?";

    /**
     * The history row every write appends: the entity's last history version (not looked up for a provider just
     * created under a fresh id: it has none), then the row (tenant, entity, id, version, change type, time, actor,
     * snapshot JSON).
     */
    static final List<String> HISTORY = List.of(
            "SELECT COALESCE(MAX(version), 0) FROM change_history WHERE tenant_id = ? AND entity = ?"
                    + " AND entity_id = ?",
            "INSERT INTO change_history (tenant_id, entity, entity_id, version, change_type, changed_at, changed_by,"
                    + " change_reason, snapshot) VALUES (?, ?, ?, ?, ?, {TIME}, ?, NULL, ?)");

    /** SQLite tells other processes of a change through its change log, one row per change. */
    static final String SQLITE_CHANGE_NOTICE = "INSERT INTO change_log (entity, tenant_id, entity_key, version, kind,"
            + " origin, committed_at) VALUES (?, ?, ?, ?, 'CHANGED', ?, ?)";

    /** PostgreSQL tells other instances through NOTIFY on the schema's channel. */
    static final String POSTGRES_CHANGE_NOTICE = "SELECT pg_notify(?, payload) FROM unnest(?::text[]) AS payload";

    /**
     * A provider's history snapshot as the library writes it (the same fields, so the same bytes to store), built
     * as a string: the floor has no JSON tree.
     */
    static String providerSnapshot(String id, String type, String name, String settingsJson, boolean isDefault,
                                   String actor, long epochMillis) {
        String time = java.time.Instant.ofEpochMilli(epochMillis).toString();
        return "{\"id\":\"" + id + "\",\"tenantId\":\"default\",\"providerType\":\"" + type + "\",\"name\":\""
                + name + "\",\"settings\":" + settingsJson + ",\"isDefault\":" + isDefault + ",\"enabled\":true,"
                + "\"priority\":100,\"version\":1,\"createdAt\":\"" + time + "\",\"updatedAt\":\"" + time
                + "\",\"changedBy\":\"" + actor + "\",\"changeReason\":null}";
    }

    /** The statement in {@code dialect} ({@code sqlite} or {@code postgres}). */
    static String in(String dialect, String sql) {
        return "postgres".equals(dialect)
                ? sql.replace("{JSON}", "?::json").replace("{TIME}", "to_timestamp(? / 1000.0)")
                        .replace("{TRUE}", "TRUE")
                : sql.replace("{JSON}", "?").replace("{TIME}", "?").replace("{TRUE}", "1");
    }
}
