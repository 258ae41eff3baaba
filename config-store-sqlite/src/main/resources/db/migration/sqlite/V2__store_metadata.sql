-- configstore schema, version 2, SQLite dialect: what the store keeps about itself, and the index rewrap needs.
-- store_metadata holds small named values such as the key-derivation parameters of a password-derived master key
-- and the key-check value of each master key (never a key itself).

CREATE TABLE store_metadata (
    name       TEXT    NOT NULL PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- Rewrap and key retirement look up the secrets written under one master key.
CREATE INDEX api_keys_by_encryption_key ON api_keys (encryption_key_id);
