/**
 * The audit trail: every write appends a {@link io.configstore.history.HistoryEntry} in the same transaction as the
 * change; {@link io.configstore.history.ChangeHistory} lists it and rolls entities back; a
 * {@link io.configstore.history.RetentionPolicy} prunes it. API.
 */
package io.configstore.history;
