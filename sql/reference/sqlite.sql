-- Reference one-stop-shop schema (SQLite). Timestamps are local wall-clock time in the
-- configured zone (default Asia/Ho_Chi_Minh), stored as text YYYY-MM-DD HH:MM:SS.
CREATE TABLE IF NOT EXISTS agencies (
    id    BIGINT PRIMARY KEY,
    code  VARCHAR(32)  NOT NULL UNIQUE,
    name  VARCHAR(255) NOT NULL,
    kind  VARCHAR(16)  NOT NULL -- department | district
);

CREATE TABLE IF NOT EXISTS procedures (
    id                BIGINT PRIMARY KEY,
    code              VARCHAR(64)  NOT NULL UNIQUE,
    name              VARCHAR(512) NOT NULL,
    agency_id         BIGINT       NOT NULL REFERENCES agencies (id),
    processing_time   VARCHAR(64),          -- 5d, 0.5d, 4h, 15cd, 0d
    cutoff_time       VARCHAR(5),           -- HH:MM, receipt at or after it counts from the next working day
    appointment_count VARCHAR(8)   NOT NULL DEFAULT 'hour', -- hour | day
    appointment_snap  VARCHAR(8)   NOT NULL DEFAULT 'none', -- none | session | day
    deadline_count    VARCHAR(8)   NOT NULL DEFAULT 'hour',
    deadline_snap     VARCHAR(8)   NOT NULL DEFAULT 'none'
);

CREATE TABLE IF NOT EXISTS procedure_steps (
    id              BIGINT PRIMARY KEY,
    procedure_id    BIGINT       NOT NULL REFERENCES procedures (id),
    step_no         INT          NOT NULL,
    name            VARCHAR(255) NOT NULL,
    processing_time VARCHAR(64)
);

CREATE TABLE IF NOT EXISTS dossiers (
    id             BIGINT PRIMARY KEY,
    code           VARCHAR(64) NOT NULL UNIQUE,
    procedure_id   BIGINT      NOT NULL,
    agency_id      BIGINT      NOT NULL,
    received_at    TEXT,
    appointment_at TEXT,
    due_at         TEXT,
    completed_at   TEXT,
    status         VARCHAR(16) NOT NULL, -- processing | paused | done | withdrawn
    is_late        SMALLINT,             -- 1 when completed after due_at, 0 when on time
    paused_count   INT         NOT NULL DEFAULT 0, -- times the clock was stopped for a supplement
    rescheduled_at TEXT,         -- appointment officially re-set by an apology letter
    extended_at    TEXT          -- processing deadline extended
);
CREATE INDEX IF NOT EXISTS dossiers_received_at ON dossiers (received_at);

CREATE TABLE IF NOT EXISTS dossier_steps (
    id           BIGINT PRIMARY KEY,
    dossier_id   BIGINT NOT NULL,
    step_id      BIGINT NOT NULL,
    step_no      INT    NOT NULL,
    started_at   TEXT,
    due_at       TEXT,
    completed_at TEXT
);
CREATE INDEX IF NOT EXISTS dossier_steps_dossier ON dossier_steps (dossier_id);
