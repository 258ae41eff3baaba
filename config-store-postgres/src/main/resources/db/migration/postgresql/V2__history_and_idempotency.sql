-- configstore schema, version 2, PostgreSQL dialect: the change history (audit trail) and the idempotency ledger,
-- as SQLite's V4. Snapshots and results are TEXT, not JSONB: they are read back exactly as written.

CREATE TABLE change_history (
    seq           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    entity        TEXT        NOT NULL,
    entity_id     TEXT        NOT NULL,
    version       BIGINT      NOT NULL CHECK (version >= 1),
    change_type   TEXT        NOT NULL,
    changed_at    TIMESTAMPTZ NOT NULL,
    changed_by    TEXT        NOT NULL,
    change_reason TEXT,
    snapshot      TEXT        NOT NULL
);

-- Listing by entity, and the next version of an entity.
CREATE UNIQUE INDEX change_history_by_entity ON change_history (tenant_id, entity, entity_id, version);

-- Listing by tenant and time range, in the order the query pages it (changed_at, then seq), so that a page
-- is read from the index without sorting.
CREATE INDEX change_history_by_time ON change_history (tenant_id, changed_at, seq);

CREATE TABLE idempotency_records (
    actor           TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    fingerprint     TEXT        NOT NULL,
    result          TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (actor, idempotency_key)
);

-- Pruning deletes by age.
CREATE INDEX idempotency_records_by_time ON idempotency_records (created_at);
