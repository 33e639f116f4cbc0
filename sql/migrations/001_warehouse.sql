-- 001_warehouse.sql: the warehouse tables that rank 0 of bda-etl loads after each run.
--   schema_version     the migrations applied so far (written by the applier, never by a file)
--   etl_run            the run log: one row per bda-etl run, inserted at start, updated at the end
--   customer_behavior  the OLAP result of SPEC.md section 4, one row per period and Contract
--   daily_usage        per day and category figures, computed by the MPI job in the same pass
-- Re-runnable (CREATE TABLE IF NOT EXISTS). MariaDB 10.11 and MySQL 8.0.16+ (enforced CHECKs):
-- the differences are listed in sql/README.md. CHECK names carry a table prefix because MySQL
-- wants them unique per schema.

CREATE TABLE IF NOT EXISTS schema_version (
  version    INT          NOT NULL PRIMARY KEY,
  name       VARCHAR(200) NOT NULL,
  applied_at DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Applied migrations: sql/migrations/NNN_name.sql, recorded by the applier';

CREATE TABLE IF NOT EXISTS etl_run (
  run_id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  period_start  DATE            NULL COMMENT 'first selected day',
  period_end    DATE            NULL COMMENT 'last selected day',
  selected_days INT             NULL COMMENT 'D of SPEC section 4 (allowed missing days count)',
  started_at    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  finished_at   DATETIME(3)     NULL,
  status        ENUM('running', 'ok', 'failed') COLLATE utf8mb4_bin NOT NULL DEFAULT 'running',
  ranks         INT             NULL COMMENT 'MPI ranks',
  host          VARCHAR(255)    NULL,
  input_bytes   BIGINT UNSIGNED NULL,
  lines_read    BIGINT UNSIGNED NULL,
  records       BIGINT UNSIGNED NULL COMMENT 'counted records',
  rejected      BIGINT UNSIGNED NULL COMMENT 'rejected lines, all reasons',
  -- MariaDB: JSON is an alias of LONGTEXT with CHECK (JSON_VALID(rejects)); MySQL: native JSON.
  rejects       JSON            NULL COMMENT 'rejected lines per reason, e.g. {"malformed_json": 3}',
  contracts     BIGINT UNSIGNED NULL COMMENT 'rows of the OLAP result',
  rows_loaded   BIGINT UNSIGNED NULL COMMENT 'rows written to customer_behavior',
  message       TEXT            NULL COMMENT 'error or note',
  KEY ix_er_status_finished (status, finished_at),
  KEY ix_er_period (period_start, period_end),
  CONSTRAINT ck_er_period CHECK (period_start <= period_end),
  -- The mart picks the latest successful run by finished_at: an 'ok' run must have one.
  CONSTRAINT ck_er_ok_finished CHECK (status <> 'ok' OR finished_at IS NOT NULL)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Run log of bda-etl: one row per run';

CREATE TABLE IF NOT EXISTS customer_behavior (
  period_start  DATE              NOT NULL,
  period_end    DATE              NOT NULL,
  -- Bytes, compared exactly: case and trailing spaces matter, any UTF-8 (NUL too) round-trips.
  Contract      VARBINARY(512)    NOT NULL,
  ChildDuration BIGINT            NOT NULL,
  MovieDuration BIGINT            NOT NULL,
  SportDuration BIGINT            NOT NULL,
  TVDuration    BIGINT            NOT NULL,
  RelaxDuration BIGINT            NOT NULL,
  -- Binary collation: 'child' is refused, not silently mapped to 'Child'.
  MostWatch     ENUM('Child', 'Movie', 'Sport', 'TV', 'Relax') COLLATE utf8mb4_bin NULL
                COMMENT 'NULL when all five durations are 0',
  Taste         VARCHAR(40) COLLATE utf8mb4_bin NOT NULL,
  DateCount     SMALLINT UNSIGNED NOT NULL,
  Activeness    DECIMAL(5, 2)     NOT NULL,
  -- SPEC section 5. MariaDB refuses NOT NULL on a generated column; it is never NULL anyway.
  Segment       VARCHAR(23) COLLATE utf8mb4_bin GENERATED ALWAYS AS (CASE
                  WHEN DateCount <= 6 THEN 'At Risk Customer'
                  WHEN DateCount <= 13 THEN 'Need Attention Customer'
                  WHEN DateCount <= 20 THEN 'Valuable Customer'
                  ELSE 'Loyal Customer' END) STORED,
  run_id        BIGINT UNSIGNED   NOT NULL COMMENT 'etl_run that loaded the row',
  PRIMARY KEY (period_start, period_end, Contract),
  -- The dashboard always filters by period first.
  KEY ix_cb_segment (period_start, period_end, Segment),
  KEY ix_cb_most_watch (period_start, period_end, MostWatch),
  KEY ix_cb_activeness (period_start, period_end, Activeness),
  KEY ix_cb_date_count (period_start, period_end, DateCount),
  KEY ix_cb_run (run_id),
  CONSTRAINT ck_cb_period CHECK (period_start <= period_end),
  -- SPEC section 2: a counted Contract is a non-empty string other than "0".
  CONSTRAINT ck_cb_contract CHECK (LENGTH(Contract) > 0 AND Contract <> '0'),
  CONSTRAINT ck_cb_durations CHECK (ChildDuration >= 0 AND MovieDuration >= 0 AND SportDuration >= 0
                                    AND TVDuration >= 0 AND RelaxDuration >= 0),
  -- A row exists because the contract has a counted record on at least one selected day.
  CONSTRAINT ck_cb_date_count CHECK (DateCount >= 1 AND DateCount <= DATEDIFF(period_end, period_start) + 1),
  CONSTRAINT ck_cb_activeness CHECK (Activeness >= 0 AND Activeness <= 100),
  -- The 32 valid tastes (canonical order Child, Movie, Sport, TV, Relax). CAST AS BINARY because
  -- utf8mb4_bin pads: 'Child ' = 'Child' would hold otherwise.
  CONSTRAINT ck_cb_taste CHECK (CAST(Taste AS BINARY) IN ('', 'Child', 'Movie', 'Sport', 'TV', 'Relax',
    'Child-Movie', 'Child-Sport', 'Child-TV', 'Child-Relax', 'Movie-Sport', 'Movie-TV',
    'Movie-Relax', 'Sport-TV', 'Sport-Relax', 'TV-Relax',
    'Child-Movie-Sport', 'Child-Movie-TV', 'Child-Movie-Relax', 'Child-Sport-TV',
    'Child-Sport-Relax', 'Child-TV-Relax', 'Movie-Sport-TV', 'Movie-Sport-Relax', 'Movie-TV-Relax',
    'Sport-TV-Relax', 'Child-Movie-Sport-TV', 'Child-Movie-Sport-Relax', 'Child-Movie-TV-Relax',
    'Child-Sport-TV-Relax', 'Movie-Sport-TV-Relax', 'Child-Movie-Sport-TV-Relax')),
  -- Taste and MostWatch must agree with the durations (SPEC section 4), so a loader bug fails the
  -- load instead of reaching a dashboard.
  CONSTRAINT ck_cb_taste_matches CHECK (CAST(Taste AS BINARY) = CAST(CONCAT_WS('-',
    IF(ChildDuration > 0, 'Child', NULL), IF(MovieDuration > 0, 'Movie', NULL),
    IF(SportDuration > 0, 'Sport', NULL), IF(TVDuration > 0, 'TV', NULL),
    IF(RelaxDuration > 0, 'Relax', NULL)) AS BINARY)),
  CONSTRAINT ck_cb_most_watch_matches CHECK (MostWatch <=> CASE
    WHEN ChildDuration = 0 AND MovieDuration = 0 AND SportDuration = 0 AND TVDuration = 0
         AND RelaxDuration = 0 THEN NULL
    WHEN ChildDuration >= GREATEST(MovieDuration, SportDuration, TVDuration, RelaxDuration) THEN 'Child'
    WHEN MovieDuration >= GREATEST(SportDuration, TVDuration, RelaxDuration) THEN 'Movie'
    WHEN SportDuration >= GREATEST(TVDuration, RelaxDuration) THEN 'Sport'
    WHEN TVDuration >= RelaxDuration THEN 'TV'
    ELSE 'Relax' END)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'OLAP result of bda-etl (SPEC section 4): one row per period and Contract';

CREATE TABLE IF NOT EXISTS daily_usage (
  stat_date      DATE            NOT NULL,
  category       ENUM('All', 'Child', 'Movie', 'Sport', 'TV', 'Relax') COLLATE utf8mb4_bin NOT NULL,
  sessions       BIGINT UNSIGNED NOT NULL COMMENT 'counted records',
  total_duration BIGINT UNSIGNED NOT NULL COMMENT 'sum of TotalDuration',
  customers      INT UNSIGNED    NOT NULL COMMENT 'distinct contracts with a counted record (All: in any category)',
  run_id         BIGINT UNSIGNED NOT NULL COMMENT 'etl_run that loaded the row',
  PRIMARY KEY (stat_date, category),
  KEY ix_du_run (run_id),
  -- Every counted customer has at least one counted record.
  CONSTRAINT ck_du_customers CHECK (customers <= sessions)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Per day and category (All = any), computed by the MPI job in the same pass';
