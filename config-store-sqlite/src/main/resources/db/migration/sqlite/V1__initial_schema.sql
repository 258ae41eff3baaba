-- configstore schema, version 1, SQLite dialect.
-- Timestamps are epoch milliseconds (INTEGER); JSON is TEXT; booleans are 0/1 with CHECK constraints.
-- STRICT tables make SQLite reject a value of the wrong type instead of storing it silently.

CREATE TABLE provider_configs (
    tenant_id     TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    provider_type TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    settings      TEXT    NOT NULL,
    is_default    INTEGER NOT NULL CHECK (is_default IN (0, 1)),
    enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    priority      INTEGER NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    changed_by    TEXT    NOT NULL,
    change_reason TEXT,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT provider_configs_unique_name UNIQUE (tenant_id, provider_type, name)
) STRICT;

-- At most one default per (tenant, provider type); the code keeps "exactly one while the type has providers".
CREATE UNIQUE INDEX provider_configs_one_default
    ON provider_configs (tenant_id, provider_type) WHERE is_default = 1;

CREATE INDEX provider_configs_by_type
    ON provider_configs (tenant_id, provider_type, priority, name);

CREATE TABLE api_keys (
    tenant_id         TEXT    NOT NULL,
    id                TEXT    NOT NULL,
    provider_type     TEXT    NOT NULL,
    key_name          TEXT    NOT NULL,
    ciphertext        TEXT    NOT NULL,
    encryption_key_id TEXT    NOT NULL,
    active            INTEGER NOT NULL CHECK (active IN (0, 1)),
    activation_seq    INTEGER NOT NULL,
    version           INTEGER NOT NULL CHECK (version >= 1),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    last_used_at      INTEGER,
    changed_by        TEXT    NOT NULL,
    change_reason     TEXT,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT api_keys_unique_name UNIQUE (tenant_id, provider_type, key_name)
) STRICT;

CREATE TABLE config_documents (
    tenant_id      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    format_version INTEGER NOT NULL CHECK (format_version >= 1),
    revision       INTEGER NOT NULL CHECK (revision >= 1),
    updated_at     INTEGER NOT NULL,
    changed_by     TEXT    NOT NULL,
    change_reason  TEXT,
    PRIMARY KEY (tenant_id, name)
) STRICT;
