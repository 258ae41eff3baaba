-- configstore schema, version 3, PostgreSQL dialect: settings and documents become JSON (text checked to be JSON),
-- no longer JSONB. JSONB normalises what it stores: numbers go through NUMERIC (1E+300 came back as a 301-digit
-- integer, -0.0 as 0.0) and keys are reordered, so a document did not read back as written, unlike on the other
-- backends. JSON keeps the text that configstore wrote, as SQLite's TEXT columns and the file backend do. No code
-- uses JSONB operators on these columns; note that JSON has no equality operator (no DISTINCT, UNION or = on them).
-- Rows written before keep JSONB's normal form: the cast cannot restore what JSONB dropped.

ALTER TABLE provider_configs
    DROP CONSTRAINT provider_configs_settings_check,
    ALTER COLUMN settings TYPE JSON USING settings::json,
    ADD CONSTRAINT provider_configs_settings_check CHECK (json_typeof(settings) = 'object');

ALTER TABLE config_documents
    DROP CONSTRAINT config_documents_content_check,
    ALTER COLUMN content TYPE JSON USING content::json,
    ADD CONSTRAINT config_documents_content_check CHECK (json_typeof(content) = 'object');
