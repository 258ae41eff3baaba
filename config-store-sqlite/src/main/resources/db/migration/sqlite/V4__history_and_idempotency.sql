-- configstore schema, version 4, SQLite dialect: the change history (audit trail) and the idempotency ledger.
-- Every write appends one change_history row per entity it changed, in its own transaction; version numbers an
-- entity's rows 1, 2, 3 ... (unique per entity); seq orders rows written in the same millisecond.
-- snapshot is the entity's state after the write as JSON text (an API key's holds ciphertext, never plaintext).

CREATE TABLE change_history (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     TEXT    NOT NULL,
    entity        TEXT    NOT NULL,
    entity_id     TEXT    NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    change_type   TEXT    NOT NULL,
    changed_at    INTEGER NOT NULL,
    changed_by    TEXT    NOT NULL,
    change_reason TEXT,
    snapshot      TEXT    NOT NULL
) STRICT;

-- Listing by entity, and the next version of an entity.
CREATE UNIQUE INDEX change_history_by_entity ON change_history (tenant_id, entity, entity_id, version);

-- Listing by tenant and time range.
CREATE INDEX change_history_by_time ON change_history (tenant_id, changed_at);

-- One row per (actor, key): the fingerprint of the request and its result, written with the write it made.
CREATE TABLE idempotency_records (
    actor           TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    fingerprint     TEXT    NOT NULL,
    result          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (actor, idempotency_key)
) STRICT;

-- Pruning deletes by age.
CREATE INDEX idempotency_records_by_time ON idempotency_records (created_at);
