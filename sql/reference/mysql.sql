-- Reference one-stop-shop schema (MySQL, MariaDB). Timestamps are local wall-clock time in the
-- configured zone (default Asia/Ho_Chi_Minh), stored without a zone as the legacy system does.
CREATE TABLE IF NOT EXISTS agencies (
    id    BIGINT PRIMARY KEY,
    code  VARCHAR(32)  NOT NULL UNIQUE,
    name  VARCHAR(255) NOT NULL,
    kind  VARCHAR(16)  NOT NULL -- department | district
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

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
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS procedure_steps (
    id              BIGINT PRIMARY KEY,
    procedure_id    BIGINT       NOT NULL REFERENCES procedures (id),
    step_no         INT          NOT NULL,
    name            VARCHAR(255) NOT NULL,
    processing_time VARCHAR(64)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS dossiers (
    id             BIGINT PRIMARY KEY,
    code           VARCHAR(64) NOT NULL UNIQUE,
    procedure_id   BIGINT      NOT NULL,
    agency_id      BIGINT      NOT NULL,
    received_at    DATETIME,
    appointment_at DATETIME,
    due_at         DATETIME,
    completed_at   DATETIME,
    status         VARCHAR(16) NOT NULL, -- processing | paused | done | withdrawn
    is_late        SMALLINT,             -- 1 when completed after due_at, 0 when on time
    paused_count   INT         NOT NULL DEFAULT 0, -- times the clock was stopped for a supplement
    rescheduled_at DATETIME,         -- appointment officially re-set by an apology letter
    extended_at    DATETIME,         -- processing deadline extended
    INDEX dossiers_received_at (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS dossier_steps (
    id           BIGINT PRIMARY KEY,
    dossier_id   BIGINT NOT NULL,
    step_id      BIGINT NOT NULL,
    step_no      INT    NOT NULL,
    started_at   DATETIME,
    due_at       DATETIME,
    completed_at DATETIME,
    INDEX dossier_steps_dossier (dossier_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
