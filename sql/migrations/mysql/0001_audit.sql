-- fixer's audit tables. {{prefix}} is replaced by the configured table prefix (default fixer_).
-- Times in fixer's own tables are UTC.
CREATE TABLE IF NOT EXISTS {{prefix}}changesets (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id         VARCHAR(36)  NOT NULL,
    kind           VARCHAR(16)  NOT NULL, -- apply | rollback
    status         VARCHAR(16)  NOT NULL, -- running | done | stopped | failed | rolled_back
    started_at     DATETIME  NOT NULL,
    finished_at    DATETIME,
    operator       VARCHAR(128) NOT NULL,
    host           VARCHAR(128) NOT NULL,
    tool_version   VARCHAR(64)  NOT NULL,
    reason         TEXT         NOT NULL,
    config_hash    VARCHAR(64)  NOT NULL,
    rules_hash     VARCHAR(64)  NOT NULL,
    scope          TEXT         NOT NULL, -- JSON
    shard          VARCHAR(16)  NOT NULL DEFAULT '',
    rows_changed   BIGINT       NOT NULL DEFAULT 0,
    rows_skipped   BIGINT       NOT NULL DEFAULT 0,
    values_changed BIGINT       NOT NULL DEFAULT 0,
    conflicts      BIGINT       NOT NULL DEFAULT 0,
    last_key       VARCHAR(64),          -- highest dossier key committed, for --resume
    reverts_id     BIGINT REFERENCES {{prefix}}changesets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS {{prefix}}changes (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    -- No foreign key here: InnoDB would share-lock the changeset row for every audit row, and
    -- concurrent workers that then update the changeset's counts would deadlock.
    changeset_id BIGINT      NOT NULL,
    table_name   VARCHAR(64) NOT NULL,
    row_pk       VARCHAR(64) NOT NULL,
    column_name  VARCHAR(64) NOT NULL,
    old_value    TEXT,
    new_value    TEXT,
    rule         VARCHAR(64) NOT NULL,
    INDEX {{prefix}}changes_changeset (changeset_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS {{prefix}}locks (
    name        VARCHAR(64)  PRIMARY KEY,
    holder      VARCHAR(64)  NOT NULL,
    operator    VARCHAR(128) NOT NULL,
    host        VARCHAR(128) NOT NULL,
    pid         INT          NOT NULL,
    acquired_at DATETIME  NOT NULL,
    expires_at  DATETIME  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
