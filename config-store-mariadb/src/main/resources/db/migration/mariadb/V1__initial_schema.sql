-- configstore schema, version 1, MariaDB dialect: the tables and columns of PostgreSQL's V1 to V3, in MariaDB's types.
-- Tables are created unqualified, in the store's database (every connection uses only that one).
-- InnoDB (transactions, row locks); utf8mb4 with the binary collation utf8mb4_bin on every table, so that names
-- compare as the other backends compare them ('Prod' and 'prod' are two names; MariaDB's default collations fold
-- case and accents). Timestamps are DATETIME(3), always written and read in UTC, to the millisecond. Settings and
-- documents are LONGTEXT checked to be a JSON object: MariaDB's JSON type is LONGTEXT too, and keeping the text
-- keeps a document byte-for-byte as configstore wrote it, as on the other backends.
-- Identifiers and names are VARCHAR(255) (configstore's are at most 128 characters), so that the composite unique
-- keys stay within InnoDB's 3072-byte index limit at 4 bytes a character.

CREATE TABLE provider_configs (
    tenant_id     VARCHAR(255) NOT NULL,
    id            VARCHAR(255) NOT NULL,
    provider_type VARCHAR(255) NOT NULL,
    name          VARCHAR(255) NOT NULL,
    settings      LONGTEXT     NOT NULL,
    is_default    BOOLEAN      NOT NULL,
    enabled       BOOLEAN      NOT NULL,
    priority      INTEGER      NOT NULL,
    version       BIGINT       NOT NULL,
    created_at    DATETIME(3)  NOT NULL,
    updated_at    DATETIME(3)  NOT NULL,
    changed_by    TEXT         NOT NULL,
    change_reason TEXT,
    -- The provider type while this is the default, else NULL: MariaDB has no partial index, and a unique index
    -- holds any number of NULLs, so the unique key below allows one default per (tenant, provider type).
    default_type  VARCHAR(255) AS (CASE WHEN is_default THEN provider_type END) PERSISTENT,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT provider_configs_unique_name UNIQUE (tenant_id, provider_type, name),
    CONSTRAINT provider_configs_one_default UNIQUE (tenant_id, default_type),
    CONSTRAINT provider_configs_settings_check CHECK (JSON_VALID(settings) AND JSON_TYPE(settings) = 'OBJECT'),
    CONSTRAINT provider_configs_version_check CHECK (version >= 1),
    INDEX provider_configs_by_type (tenant_id, provider_type, priority, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE api_keys (
    tenant_id         VARCHAR(255) NOT NULL,
    id                VARCHAR(255) NOT NULL,
    provider_type     VARCHAR(255) NOT NULL,
    key_name          VARCHAR(255) NOT NULL,
    ciphertext        TEXT         NOT NULL,
    encryption_key_id VARCHAR(255) NOT NULL,
    active            BOOLEAN      NOT NULL,
    activation_seq    BIGINT       NOT NULL,
    version           BIGINT       NOT NULL,
    created_at        DATETIME(3)  NOT NULL,
    updated_at        DATETIME(3)  NOT NULL,
    last_used_at      DATETIME(3),
    changed_by        TEXT         NOT NULL,
    change_reason     TEXT,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT api_keys_unique_name UNIQUE (tenant_id, provider_type, key_name),
    CONSTRAINT api_keys_version_check CHECK (version >= 1),
    -- Rewrap and key retirement look up the secrets written under one master key.
    INDEX api_keys_by_encryption_key (encryption_key_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE config_documents (
    tenant_id      VARCHAR(255) NOT NULL,
    name           VARCHAR(255) NOT NULL,
    content        LONGTEXT     NOT NULL,
    format_version INTEGER      NOT NULL,
    revision       BIGINT       NOT NULL,
    updated_at     DATETIME(3)  NOT NULL,
    changed_by     TEXT         NOT NULL,
    change_reason  TEXT,
    PRIMARY KEY (tenant_id, name),
    CONSTRAINT config_documents_content_check CHECK (JSON_VALID(content) AND JSON_TYPE(content) = 'OBJECT'),
    CONSTRAINT config_documents_format_version_check CHECK (format_version >= 1),
    CONSTRAINT config_documents_revision_check CHECK (revision >= 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Small named values the store keeps about itself (key-derivation parameters, key-check values; never a key).
CREATE TABLE store_metadata (
    name       VARCHAR(255) NOT NULL PRIMARY KEY,
    value      TEXT         NOT NULL,
    updated_at DATETIME(3)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The change history (audit trail). Snapshots are read back exactly as written.
CREATE TABLE change_history (
    seq           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    tenant_id     VARCHAR(255) NOT NULL,
    entity        VARCHAR(64)  NOT NULL,
    entity_id     VARCHAR(255) NOT NULL,
    version       BIGINT       NOT NULL,
    change_type   VARCHAR(64)  NOT NULL,
    changed_at    DATETIME(3)  NOT NULL,
    changed_by    TEXT         NOT NULL,
    change_reason TEXT,
    snapshot      LONGTEXT     NOT NULL,
    CONSTRAINT change_history_version_check CHECK (version >= 1),
    -- Listing by entity, and the next version of an entity.
    UNIQUE INDEX change_history_by_entity (tenant_id, entity, entity_id, version),
    -- Listing by tenant and time range, in the order the query pages it (changed_at, then seq).
    INDEX change_history_by_time (tenant_id, changed_at, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The idempotency ledger.
CREATE TABLE idempotency_records (
    actor           VARCHAR(255) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    fingerprint     TEXT         NOT NULL,
    result          LONGTEXT     NOT NULL,
    created_at      DATETIME(3)  NOT NULL,
    PRIMARY KEY (actor, idempotency_key),
    -- Pruning deletes by age.
    INDEX idempotency_records_by_time (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row that every write transaction locks first (SELECT ... FOR UPDATE), so that the writers of one store take
-- turns as on SQLite and PostgreSQL; the row lock goes with the commit or rollback.
CREATE TABLE write_lock (
    id INTEGER NOT NULL PRIMARY KEY
) ENGINE = InnoDB;

INSERT INTO write_lock (id) VALUES (1);
