-- configstore schema, version 2, MariaDB dialect: the change log that tells other instances of every committed write.
-- Each write transaction appends one row per change just before it commits, under the write lock, so seq order is
-- commit order; every open store set polls for the rows after the last one it read and tells its subscribers of
-- other instances' rows. AUTO_INCREMENT leaves gaps (a rolled-back insert keeps its number), so a gap alone means
-- nothing; rows are pruned by age.

CREATE TABLE change_log (
    seq          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    entity       VARCHAR(64)  NOT NULL,
    tenant_id    VARCHAR(255) NOT NULL,
    entity_key   VARCHAR(255) NOT NULL,
    version      BIGINT       NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    origin       VARCHAR(64)  NOT NULL,
    committed_at DATETIME(3)  NOT NULL,
    CONSTRAINT change_log_kind_check CHECK (kind IN ('CHANGED', 'DELETED')),
    -- Pruning deletes by age.
    INDEX change_log_by_time (committed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
