-- 006_period_key.sql: a period is the exact set of selected days, and a Contract may have 1024 bytes.
--   period_key  "2022-04-01..2022-04-30" for contiguous days, "2022-04-01..2022-04-15/8002" for any
--               other set (first..last and a hex bitmap of the span; lib/include/bda/warehouse/
--               period_key.hpp). customer_behavior is keyed by (period_key, Contract), so
--               --date 2022-04-01 --date 2022-04-15 and --from 2022-04-01 --to 2022-04-15 are two
--               periods; etl_run, the mart and the views carry the key too.
--   Contract    VARBINARY(1024): SPEC section 2 allows 1024 bytes once decoded.
--   etl_run     selected_dates (the day list, for people) and note (what went wrong after the
--               load committed, e.g. the data mart refresh; the run stays 'ok').
-- Rows loaded before 006 cannot tell a range from a list: they become what their start and end
-- say, a contiguous range (the DEFAULT below computes exactly that, for old rows and for writers
-- that name no key). Re-runnable and valid on MySQL 8: each DDL runs only while the schema lacks
-- it (a PREPAREd statement chosen from information_schema), so a second run changes nothing.

-- etl_run: the key (NULL while the run has no period), the day list and the note.
SET @ddl = IF((SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                 AND TABLE_NAME = 'etl_run' AND COLUMN_NAME = 'period_key') > 0, 'DO 0',
  'ALTER TABLE etl_run
     ADD COLUMN period_key VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NULL
       DEFAULT (CONCAT(period_start, ''..'', period_end))
       COMMENT ''the exact selected days: first..last, plus /hex-bitmap unless contiguous'' AFTER period_end,
     ADD COLUMN selected_dates TEXT NULL COMMENT ''the selected days, comma-separated (NULL: loaded before 006, a range)''
       AFTER selected_days,
     ADD COLUMN note TEXT NULL COMMENT ''what failed after the load committed (the run stays ok)'' AFTER message,
     ADD KEY ix_er_period_key (period_key, status, finished_at),
     ADD CONSTRAINT ck_er_period_key CHECK (period_key IS NULL OR period_key LIKE CONCAT(period_start, ''..'', period_end, ''%''))');
PREPARE ddl FROM @ddl;
EXECUTE ddl;
DEALLOCATE PREPARE ddl;

UPDATE etl_run SET period_key = CONCAT(period_start, '..', period_end)
 WHERE period_key IS NULL AND period_start IS NOT NULL AND period_end IS NOT NULL;

-- customer_behavior: keyed by (period_key, Contract); every index that led with the period leads
-- with the key now; Contract holds 1024 bytes (the key stays within InnoDB's 3072-byte limit:
-- 300 + 1024). One ALTER, so the table is rebuilt once.
SET @ddl = IF((SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                 AND TABLE_NAME = 'customer_behavior' AND COLUMN_NAME = 'period_key') > 0, 'DO 0',
  'ALTER TABLE customer_behavior
     ADD COLUMN period_key VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
       DEFAULT (CONCAT(period_start, ''..'', period_end))
       COMMENT ''the exact selected days (etl_run.period_key)'' AFTER period_end,
     MODIFY COLUMN Contract VARBINARY(1024) NOT NULL,
     DROP PRIMARY KEY,
     ADD PRIMARY KEY (period_key, Contract),
     DROP INDEX ix_cb_segment,
     ADD KEY ix_cb_segment (period_key, Segment),
     DROP INDEX ix_cb_most_watch,
     ADD KEY ix_cb_most_watch (period_key, MostWatch),
     DROP INDEX ix_cb_activeness,
     ADD KEY ix_cb_activeness (period_key, Activeness),
     DROP INDEX ix_cb_date_count,
     ADD KEY ix_cb_date_count (period_key, DateCount),
     ADD KEY ix_cb_period (period_start, period_end),
     ADD CONSTRAINT ck_cb_period_key CHECK (period_key LIKE CONCAT(period_start, ''..'', period_end, ''%''))');
PREPARE ddl FROM @ddl;
EXECUTE ddl;
DEALLOCATE PREPARE ddl;

-- daily_statistics: which period gave a day its segment counts.
SET @ddl = IF((SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                 AND TABLE_NAME = 'daily_statistics' AND COLUMN_NAME = 'segment_period_key') > 0, 'DO 0',
  'ALTER TABLE daily_statistics
     ADD COLUMN segment_period_key VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NULL
       COMMENT ''period_key of segment_run_id'' AFTER segment_period_end');
PREPARE ddl FROM @ddl;
EXECUTE ddl;
DEALLOCATE PREPARE ddl;

UPDATE daily_statistics SET segment_period_key = CONCAT(segment_period_start, '..', segment_period_end)
 WHERE segment_period_key IS NULL AND segment_run_id IS NOT NULL;

-- The procedure of 002, by period key: a day takes its segments from the most recently finished
-- successful run that selected that day (not merely one whose first..last spans it).
DROP PROCEDURE IF EXISTS refresh_daily_statistics;

DELIMITER $$
CREATE PROCEDURE refresh_daily_statistics(IN p_from DATE, IN p_to DATE)
  MODIFIES SQL DATA
  SQL SECURITY DEFINER
  COMMENT 'Rebuilds daily_statistics for the days in [p_from, p_to] from the warehouse tables'
BEGIN
  -- Any error: undo the half-rebuilt range and pass the error on unchanged.
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;

  IF p_from IS NULL OR p_to IS NULL OR p_from > p_to THEN
    SIGNAL SQLSTATE '45000'
      SET MESSAGE_TEXT = 'refresh_daily_statistics: need p_from <= p_to, neither NULL';
  END IF;

  START TRANSACTION;

  -- Delete then insert: days that lost their daily_usage rows disappear from the mart too.
  DELETE FROM daily_statistics WHERE stat_date BETWEEN p_from AND p_to;

  INSERT INTO daily_statistics (
    stat_date, active_customers, sessions, total_duration,
    child_duration, movie_duration, sport_duration, tv_duration, relax_duration,
    child_sessions, movie_sessions, sport_sessions, tv_sessions, relax_sessions,
    child_customers, movie_customers, sport_customers, tv_customers, relax_customers,
    avg_duration_per_active_customer, avg_sessions_per_active_customer, avg_duration_per_session,
    segment_run_id, segment_period_start, segment_period_end, segment_period_key, period_customers,
    at_risk_customers, need_attention_customers, valuable_customers, loyal_customers,
    source_run_id, refreshed_at)
  SELECT
    d.stat_date, d.active_customers, d.sessions, d.total_duration,
    d.child_duration, d.movie_duration, d.sport_duration, d.tv_duration, d.relax_duration,
    d.child_sessions, d.movie_sessions, d.sport_sessions, d.tv_sessions, d.relax_sessions,
    d.child_customers, d.movie_customers, d.sport_customers, d.tv_customers, d.relax_customers,
    -- ROUND of a DECIMAL quotient rounds the unrounded quotient half-up (no double rounding).
    IF(d.active_customers > 0, ROUND(d.total_duration / d.active_customers, 2), NULL),
    IF(d.active_customers > 0, ROUND(d.sessions / d.active_customers, 2), NULL),
    IF(d.sessions > 0, ROUND(d.total_duration / d.sessions, 2), NULL),
    sr.run_id, sr.period_start, sr.period_end, sr.period_key,
    IF(sr.run_id IS NULL, NULL, COALESCE(s.customers, 0)),
    IF(sr.run_id IS NULL, NULL, COALESCE(s.at_risk, 0)),
    IF(sr.run_id IS NULL, NULL, COALESCE(s.need_attention, 0)),
    IF(sr.run_id IS NULL, NULL, COALESCE(s.valuable, 0)),
    IF(sr.run_id IS NULL, NULL, COALESCE(s.loyal, 0)),
    d.source_run_id, NOW(3)
  FROM (
    -- One row per day. The day totals come from the 'All' row; were it missing, sessions and
    -- durations add up over the categories and the largest category count bounds the customers.
    SELECT
      u.stat_date,
      COALESCE(MAX(CASE WHEN u.category = 'All' THEN u.customers END), MAX(u.customers)) AS active_customers,
      COALESCE(MAX(CASE WHEN u.category = 'All' THEN u.sessions END), SUM(u.sessions)) AS sessions,
      COALESCE(MAX(CASE WHEN u.category = 'All' THEN u.total_duration END), SUM(u.total_duration)) AS total_duration,
      COALESCE(MAX(CASE WHEN u.category = 'Child' THEN u.total_duration END), 0) AS child_duration,
      COALESCE(MAX(CASE WHEN u.category = 'Movie' THEN u.total_duration END), 0) AS movie_duration,
      COALESCE(MAX(CASE WHEN u.category = 'Sport' THEN u.total_duration END), 0) AS sport_duration,
      COALESCE(MAX(CASE WHEN u.category = 'TV' THEN u.total_duration END), 0) AS tv_duration,
      COALESCE(MAX(CASE WHEN u.category = 'Relax' THEN u.total_duration END), 0) AS relax_duration,
      COALESCE(MAX(CASE WHEN u.category = 'Child' THEN u.sessions END), 0) AS child_sessions,
      COALESCE(MAX(CASE WHEN u.category = 'Movie' THEN u.sessions END), 0) AS movie_sessions,
      COALESCE(MAX(CASE WHEN u.category = 'Sport' THEN u.sessions END), 0) AS sport_sessions,
      COALESCE(MAX(CASE WHEN u.category = 'TV' THEN u.sessions END), 0) AS tv_sessions,
      COALESCE(MAX(CASE WHEN u.category = 'Relax' THEN u.sessions END), 0) AS relax_sessions,
      COALESCE(MAX(CASE WHEN u.category = 'Child' THEN u.customers END), 0) AS child_customers,
      COALESCE(MAX(CASE WHEN u.category = 'Movie' THEN u.customers END), 0) AS movie_customers,
      COALESCE(MAX(CASE WHEN u.category = 'Sport' THEN u.customers END), 0) AS sport_customers,
      COALESCE(MAX(CASE WHEN u.category = 'TV' THEN u.customers END), 0) AS tv_customers,
      COALESCE(MAX(CASE WHEN u.category = 'Relax' THEN u.customers END), 0) AS relax_customers,
      MAX(u.run_id) AS source_run_id,
      -- The most recently finished successful run that selected the day. A run without a day list
      -- (loaded before 006) selected its whole range.
      (SELECT r.run_id FROM etl_run AS r
        WHERE r.status = 'ok' AND u.stat_date BETWEEN r.period_start AND r.period_end
          AND (r.selected_dates IS NULL OR FIND_IN_SET(DATE_FORMAT(u.stat_date, '%Y-%m-%d'), r.selected_dates) > 0)
        ORDER BY r.finished_at DESC, r.run_id DESC
        LIMIT 1) AS segment_run_id
    FROM daily_usage AS u
    WHERE u.stat_date BETWEEN p_from AND p_to
    GROUP BY u.stat_date
  ) AS d
  LEFT JOIN etl_run AS sr ON sr.run_id = d.segment_run_id
  LEFT JOIN (
    -- Segment counts, only for the periods of successful runs that overlap the range.
    SELECT cb.period_key, COUNT(*) AS customers,
      SUM(CASE WHEN cb.Segment = 'At Risk Customer' THEN 1 ELSE 0 END) AS at_risk,
      SUM(CASE WHEN cb.Segment = 'Need Attention Customer' THEN 1 ELSE 0 END) AS need_attention,
      SUM(CASE WHEN cb.Segment = 'Valuable Customer' THEN 1 ELSE 0 END) AS valuable,
      SUM(CASE WHEN cb.Segment = 'Loyal Customer' THEN 1 ELSE 0 END) AS loyal
    FROM customer_behavior AS cb
    JOIN (SELECT DISTINCT r.period_key FROM etl_run AS r
          WHERE r.status = 'ok' AND r.period_start <= p_to AND r.period_end >= p_from) AS p
      ON p.period_key = cb.period_key
    GROUP BY cb.period_key
  ) AS s ON s.period_key = sr.period_key;

  COMMIT;
END$$
DELIMITER ;

-- The views of 003 with the key. A period is grouped and joined by period_key; period_start and
-- period_end stay for people and for date filters.
CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_customer_segment AS
SELECT
  cb.period_start,
  cb.period_end,
  cb.period_key,
  -- Text for the BI tool; utf8mb4_bin keeps the byte order and exact comparison of the raw column.
  CONVERT(cb.Contract USING utf8mb4) COLLATE utf8mb4_bin AS Contract,
  cb.Contract AS contract_bytes,
  cb.ChildDuration,
  cb.MovieDuration,
  cb.SportDuration,
  cb.TVDuration,
  cb.RelaxDuration,
  CAST(cb.ChildDuration AS DECIMAL(20, 0)) + cb.MovieDuration + cb.SportDuration + cb.TVDuration
    + cb.RelaxDuration AS TotalDuration,
  cb.MostWatch,
  cb.Taste,
  cb.DateCount,
  cb.Activeness,
  cb.Segment,
  CASE cb.Segment WHEN 'At Risk Customer' THEN 1 WHEN 'Need Attention Customer' THEN 2
    WHEN 'Valuable Customer' THEN 3 ELSE 4 END AS segment_rank,
  cb.run_id
FROM customer_behavior AS cb;

CREATE OR REPLACE SQL SECURITY DEFINER VIEW v_period_metrics AS
SELECT
  m.period_start,
  m.period_end,
  m.customers,
  m.total_duration,
  m.child_duration,
  m.movie_duration,
  m.sport_duration,
  m.tv_duration,
  m.relax_duration,
  -- SPEC section 6, the period being the month: per week = per month / 4, per day = per week / 7.
  -- Each is the exact quotient of the total, rounded once (half-up) to 2 decimals.
  ROUND(m.total_duration / m.customers, 2) AS avg_duration_per_person_per_month,
  ROUND(m.total_duration / (m.customers * 4), 2) AS avg_duration_per_person_per_week,
  ROUND(m.total_duration / (m.customers * 28), 2) AS avg_duration_per_person_per_day,
  m.run_id,
  r.selected_days,
  r.finished_at AS loaded_at,
  m.period_key,
  r.selected_dates
FROM (
  SELECT
    cb.period_key,
    MIN(cb.period_start) AS period_start,
    MIN(cb.period_end) AS period_end,
    COUNT(*) AS customers,
    SUM(cb.ChildDuration) + SUM(cb.MovieDuration) + SUM(cb.SportDuration) + SUM(cb.TVDuration)
      + SUM(cb.RelaxDuration) AS total_duration,
    SUM(cb.ChildDuration) AS child_duration,
    SUM(cb.MovieDuration) AS movie_duration,
    SUM(cb.SportDuration) AS sport_duration,
    SUM(cb.TVDuration) AS tv_duration,
    SUM(cb.RelaxDuration) AS relax_duration,
    MAX(cb.run_id) AS run_id
  FROM customer_behavior AS cb
  GROUP BY cb.period_key
) AS m
LEFT JOIN etl_run AS r ON r.run_id = m.run_id;

CREATE OR REPLACE SQL SECURITY DEFINER VIEW v_segment_summary AS
SELECT
  s.period_start,
  s.period_end,
  s.Segment,
  s.segment_rank,
  s.customers,
  s.total_duration,
  ROUND(s.customers / SUM(s.customers) OVER (PARTITION BY s.period_key), 4) AS customer_share,
  ROUND(s.total_duration / s.customers, 2) AS avg_duration_per_customer,
  s.min_date_count,
  s.max_date_count,
  s.period_key
FROM (
  SELECT
    cb.period_key,
    MIN(cb.period_start) AS period_start,
    MIN(cb.period_end) AS period_end,
    cb.Segment,
    CASE cb.Segment WHEN 'At Risk Customer' THEN 1 WHEN 'Need Attention Customer' THEN 2
      WHEN 'Valuable Customer' THEN 3 ELSE 4 END AS segment_rank,
    COUNT(*) AS customers,
    SUM(cb.ChildDuration) + SUM(cb.MovieDuration) + SUM(cb.SportDuration) + SUM(cb.TVDuration)
      + SUM(cb.RelaxDuration) AS total_duration,
    MIN(cb.DateCount) AS min_date_count,
    MAX(cb.DateCount) AS max_date_count
  FROM customer_behavior AS cb
  GROUP BY cb.period_key, cb.Segment
) AS s;

-- One pass over the period's rows, then five output rows per period (canonical category order).
CREATE OR REPLACE SQL SECURITY DEFINER VIEW v_category_summary AS
SELECT
  c.period_start,
  c.period_end,
  c.category,
  c.category_rank,
  c.total_duration,
  ROUND(c.total_duration / NULLIF(c.period_duration, 0), 4) AS share_of_total,
  c.viewers,
  c.most_watch_customers,
  c.period_key
FROM (
  SELECT
    p.period_key,
    p.period_start,
    p.period_end,
    k.category,
    k.category_rank,
    p.period_duration,
    CASE k.category WHEN 'Child' THEN p.child_duration WHEN 'Movie' THEN p.movie_duration
      WHEN 'Sport' THEN p.sport_duration WHEN 'TV' THEN p.tv_duration ELSE p.relax_duration
      END AS total_duration,
    CASE k.category WHEN 'Child' THEN p.child_viewers WHEN 'Movie' THEN p.movie_viewers
      WHEN 'Sport' THEN p.sport_viewers WHEN 'TV' THEN p.tv_viewers ELSE p.relax_viewers
      END AS viewers,
    CASE k.category WHEN 'Child' THEN p.child_most_watch WHEN 'Movie' THEN p.movie_most_watch
      WHEN 'Sport' THEN p.sport_most_watch WHEN 'TV' THEN p.tv_most_watch ELSE p.relax_most_watch
      END AS most_watch_customers
  FROM (
    SELECT
      cb.period_key,
      MIN(cb.period_start) AS period_start,
      MIN(cb.period_end) AS period_end,
      SUM(cb.ChildDuration) + SUM(cb.MovieDuration) + SUM(cb.SportDuration) + SUM(cb.TVDuration)
        + SUM(cb.RelaxDuration) AS period_duration,
      SUM(cb.ChildDuration) AS child_duration,
      SUM(cb.MovieDuration) AS movie_duration,
      SUM(cb.SportDuration) AS sport_duration,
      SUM(cb.TVDuration) AS tv_duration,
      SUM(cb.RelaxDuration) AS relax_duration,
      SUM(CASE WHEN cb.ChildDuration > 0 THEN 1 ELSE 0 END) AS child_viewers,
      SUM(CASE WHEN cb.MovieDuration > 0 THEN 1 ELSE 0 END) AS movie_viewers,
      SUM(CASE WHEN cb.SportDuration > 0 THEN 1 ELSE 0 END) AS sport_viewers,
      SUM(CASE WHEN cb.TVDuration > 0 THEN 1 ELSE 0 END) AS tv_viewers,
      SUM(CASE WHEN cb.RelaxDuration > 0 THEN 1 ELSE 0 END) AS relax_viewers,
      SUM(CASE WHEN cb.MostWatch = 'Child' THEN 1 ELSE 0 END) AS child_most_watch,
      SUM(CASE WHEN cb.MostWatch = 'Movie' THEN 1 ELSE 0 END) AS movie_most_watch,
      SUM(CASE WHEN cb.MostWatch = 'Sport' THEN 1 ELSE 0 END) AS sport_most_watch,
      SUM(CASE WHEN cb.MostWatch = 'TV' THEN 1 ELSE 0 END) AS tv_most_watch,
      SUM(CASE WHEN cb.MostWatch = 'Relax' THEN 1 ELSE 0 END) AS relax_most_watch
    FROM customer_behavior AS cb
    GROUP BY cb.period_key
  ) AS p
  CROSS JOIN (
    SELECT 'Child' AS category, 1 AS category_rank
    UNION ALL SELECT 'Movie', 2
    UNION ALL SELECT 'Sport', 3
    UNION ALL SELECT 'TV', 4
    UNION ALL SELECT 'Relax', 5
  ) AS k
) AS c;

CREATE OR REPLACE SQL SECURITY DEFINER VIEW v_daily_statistics AS
SELECT
  ds.stat_date,
  YEAR(ds.stat_date) AS stat_year,
  MONTH(ds.stat_date) AS stat_month,
  WEEK(ds.stat_date, 3) AS iso_week,
  WEEKDAY(ds.stat_date) + 1 AS iso_weekday,
  DAYNAME(ds.stat_date) AS day_name,
  ds.active_customers,
  ds.sessions,
  ds.total_duration,
  ds.child_duration,
  ds.movie_duration,
  ds.sport_duration,
  ds.tv_duration,
  ds.relax_duration,
  ROUND(ds.child_duration / NULLIF(ds.total_duration, 0), 4) AS child_share,
  ROUND(ds.movie_duration / NULLIF(ds.total_duration, 0), 4) AS movie_share,
  ROUND(ds.sport_duration / NULLIF(ds.total_duration, 0), 4) AS sport_share,
  ROUND(ds.tv_duration / NULLIF(ds.total_duration, 0), 4) AS tv_share,
  ROUND(ds.relax_duration / NULLIF(ds.total_duration, 0), 4) AS relax_share,
  ds.child_sessions,
  ds.movie_sessions,
  ds.sport_sessions,
  ds.tv_sessions,
  ds.relax_sessions,
  ds.child_customers,
  ds.movie_customers,
  ds.sport_customers,
  ds.tv_customers,
  ds.relax_customers,
  ds.avg_duration_per_active_customer,
  ds.avg_sessions_per_active_customer,
  ds.avg_duration_per_session,
  ds.period_customers,
  ds.at_risk_customers,
  ds.need_attention_customers,
  ds.valuable_customers,
  ds.loyal_customers,
  -- Active customers that day as a share of the customers of the segment period.
  ROUND(ds.active_customers / NULLIF(ds.period_customers, 0), 4) AS active_share_of_period,
  ds.segment_period_start,
  ds.segment_period_end,
  ds.segment_run_id,
  ds.source_run_id,
  r.finished_at AS source_loaded_at,
  ds.refreshed_at,
  ds.segment_period_key
FROM daily_statistics AS ds
LEFT JOIN etl_run AS r ON r.run_id = ds.source_run_id;

-- The last successful run: how fresh the warehouse is, and what that run saw.
CREATE OR REPLACE SQL SECURITY DEFINER VIEW v_last_load AS
SELECT
  r.run_id,
  r.period_start,
  r.period_end,
  r.selected_days,
  r.started_at,
  r.finished_at,
  TIMESTAMPDIFF(MICROSECOND, r.started_at, r.finished_at) / 1000000 AS duration_seconds,
  r.ranks,
  r.host,
  r.input_bytes,
  r.lines_read,
  r.records,
  r.rejected,
  r.rejects,
  r.contracts,
  r.rows_loaded,
  r.period_key,
  r.selected_dates,
  r.note
FROM etl_run AS r
WHERE r.status = 'ok'
ORDER BY r.finished_at DESC, r.run_id DESC
LIMIT 1;
