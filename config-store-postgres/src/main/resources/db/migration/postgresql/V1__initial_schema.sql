-- configstore schema, version 1, PostgreSQL dialect: everything SQLite's V1 and V2 hold, in PostgreSQL's types.
-- Tables are created unqualified, in the store's schema (the connection's search_path names only that schema).
-- Timestamps are TIMESTAMPTZ (written in UTC, to the millisecond); settings and documents are JSONB, which keeps no
-- key order or whitespace: configstore compares JSON as trees, never as text.

CREATE TABLE provider_configs (
    tenant_id     TEXT        NOT NULL,
    id            TEXT        NOT NULL,
    provider_type TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    settings      JSONB       NOT NULL CHECK (jsonb_typeof(settings) = 'object'),
    is_default    BOOLEAN     NOT NULL,
    enabled       BOOLEAN     NOT NULL,
    priority      INTEGER     NOT NULL,
    version       BIGINT      NOT NULL CHECK (version >= 1),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    changed_by    TEXT        NOT NULL,
    change_reason TEXT,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT provider_configs_unique_name UNIQUE (tenant_id, provider_type, name)
);

-- At most one default per (tenant, provider type); the code keeps "exactly one while the type has providers".
CREATE UNIQUE INDEX provider_configs_one_default
    ON provider_configs (tenant_id, provider_type) WHERE is_default;

CREATE INDEX provider_configs_by_type
    ON provider_configs (tenant_id, provider_type, priority, name);

CREATE TABLE api_keys (
    tenant_id         TEXT        NOT NULL,
    id                TEXT        NOT NULL,
    provider_type     TEXT        NOT NULL,
    key_name          TEXT        NOT NULL,
    ciphertext        TEXT        NOT NULL,
    encryption_key_id TEXT        NOT NULL,
    active            BOOLEAN     NOT NULL,
    activation_seq    BIGINT      NOT NULL,
    version           BIGINT      NOT NULL CHECK (version >= 1),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    last_used_at      TIMESTAMPTZ,
    changed_by        TEXT        NOT NULL,
    change_reason     TEXT,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT api_keys_unique_name UNIQUE (tenant_id, provider_type, key_name)
);

-- Rewrap and key retirement look up the secrets written under one master key.
CREATE INDEX api_keys_by_encryption_key ON api_keys (encryption_key_id);

CREATE TABLE config_documents (
    tenant_id      TEXT        NOT NULL,
    name           TEXT        NOT NULL,
    content        JSONB       NOT NULL CHECK (jsonb_typeof(content) = 'object'),
    format_version INTEGER     NOT NULL CHECK (format_version >= 1),
    revision       BIGINT      NOT NULL CHECK (revision >= 1),
    updated_at     TIMESTAMPTZ NOT NULL,
    changed_by     TEXT        NOT NULL,
    change_reason  TEXT,
    PRIMARY KEY (tenant_id, name)
);

-- Small named values the store keeps about itself (key-derivation parameters, key-check values; never a key).
CREATE TABLE store_metadata (
    name       TEXT        NOT NULL PRIMARY KEY,
    value      TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
