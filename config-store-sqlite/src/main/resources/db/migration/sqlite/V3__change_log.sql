-- configstore schema, version 3, SQLite dialect: the change log that tells other processes of every committed write.
-- Each write transaction appends one row per change just before it commits; every open store set polls
-- PRAGMA data_version and reads the rows after the last one it saw, telling its subscribers of other instances' rows.
-- Writers hold SQLite's write lock from BEGIN IMMEDIATE to COMMIT, so seq order is commit order: a reader never sees
-- seq N+1 committed while N is still to come. AUTOINCREMENT never reuses a seq, even after the newest rows are pruned.

CREATE TABLE change_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    entity       TEXT    NOT NULL,
    tenant_id    TEXT    NOT NULL,
    entity_key   TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('CHANGED', 'DELETED')),
    origin       TEXT    NOT NULL,
    committed_at INTEGER NOT NULL
) STRICT;

-- Pruning deletes by age.
CREATE INDEX change_log_by_time ON change_log (committed_at);
