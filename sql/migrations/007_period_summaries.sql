-- 007_period_summaries.sql: figures precomputed at load time, so that the dashboard and the BI
-- views read a few thousand rows per period instead of rescanning its (millions of) customers.
--   loaded_period   one row per period that holds customers: its key, days, customer count and the
--                   run that loaded it (the dashboard's period list and "latest period")
--   customer_cube   a period's customers counted and summed per (Taste, MostWatch, DateCount).
--                   Every aggregate the dashboard shows, under any segment / MostWatch / Taste
--                   filter, is a sum over these cells: Segment and Activeness follow from DateCount
--                   (and the period's D), and a customer watched a category exactly when its Taste
--                   names it, so a cell's category sum is > 0 exactly when all its customers watched.
--                   At most 32 tastes x 6 MostWatch values x D day counts; a real month has ~1,500.
--   The loader writes both inside its load transaction (computed while it re-encodes the CSV), so
--   they always describe exactly the committed rows. summarise_period(key, run) rebuilds them for
--   one period from customer_behavior (this migration's backfill, repairs, tests).
--   refresh_daily_statistics takes its segment counts from the cube now.
-- Re-runnable; valid on MySQL 8 (sql/README.md).

CREATE TABLE IF NOT EXISTS loaded_period (
  period_key   VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY
               COMMENT 'customer_behavior.period_key',
  period_start DATE            NOT NULL,
  period_end   DATE            NOT NULL,
  customers    BIGINT UNSIGNED NOT NULL COMMENT 'rows of the period in customer_behavior',
  run_id       BIGINT UNSIGNED NOT NULL COMMENT 'etl_run that loaded the rows',
  KEY ix_lp_order (period_start, period_end),
  CONSTRAINT ck_lp_customers CHECK (customers > 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Periods that hold customers, written with their rows (summarise_period)';

CREATE TABLE IF NOT EXISTS customer_cube (
  period_key     VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  Taste          VARCHAR(40) COLLATE utf8mb4_bin NOT NULL,
  -- '' when the customer has no viewing time (customer_behavior.MostWatch IS NULL): a key column
  -- cannot be NULL.
  MostWatch      VARCHAR(5) COLLATE utf8mb4_bin NOT NULL,
  DateCount      SMALLINT UNSIGNED NOT NULL,
  Segment        VARCHAR(23) COLLATE utf8mb4_bin NOT NULL COMMENT 'follows from DateCount',
  Activeness     DECIMAL(5, 2)   NOT NULL COMMENT 'follows from DateCount and the period',
  customers      BIGINT UNSIGNED NOT NULL,
  -- Sums of 64-bit durations over up to millions of customers: 30 digits hold any of them.
  child_duration DECIMAL(30, 0)  NOT NULL,
  movie_duration DECIMAL(30, 0)  NOT NULL,
  sport_duration DECIMAL(30, 0)  NOT NULL,
  tv_duration    DECIMAL(30, 0)  NOT NULL,
  relax_duration DECIMAL(30, 0)  NOT NULL,
  run_id         BIGINT UNSIGNED NOT NULL COMMENT 'etl_run that loaded the rows',
  PRIMARY KEY (period_key, Taste, MostWatch, DateCount),
  CONSTRAINT ck_cc_customers CHECK (customers > 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'customer_behavior counted and summed per period, Taste, MostWatch and DateCount';

DROP PROCEDURE IF EXISTS summarise_period;

-- SQL SECURITY DEFINER: the loader holds EXECUTE only, so the summaries change only through here.
-- No transaction statements: it runs inside the caller's transaction (the load's).
DELIMITER $$
CREATE PROCEDURE summarise_period(IN p_key VARCHAR(300) CHARACTER SET ascii, IN p_run BIGINT UNSIGNED)
  MODIFIES SQL DATA
  SQL SECURITY DEFINER
  COMMENT 'Rebuilds loaded_period and customer_cube of one period from customer_behavior'
BEGIN
  DELETE FROM customer_cube WHERE period_key = p_key;
  DELETE FROM loaded_period WHERE period_key = p_key;
  INSERT INTO customer_cube (period_key, Taste, MostWatch, DateCount, Segment, Activeness, customers,
                             child_duration, movie_duration, sport_duration, tv_duration, relax_duration, run_id)
  SELECT cb.period_key, cb.Taste, COALESCE(cb.MostWatch, ''), cb.DateCount, cb.Segment, cb.Activeness, COUNT(*),
         SUM(cb.ChildDuration), SUM(cb.MovieDuration), SUM(cb.SportDuration), SUM(cb.TVDuration),
         SUM(cb.RelaxDuration), p_run
    FROM customer_behavior AS cb
   WHERE cb.period_key = p_key
   GROUP BY cb.period_key, cb.Taste, cb.MostWatch, cb.DateCount, cb.Segment, cb.Activeness;
  INSERT INTO loaded_period (period_key, period_start, period_end, customers, run_id)
  SELECT cb.period_key, MIN(cb.period_start), MIN(cb.period_end), COUNT(*), p_run
    FROM customer_behavior AS cb
   WHERE cb.period_key = p_key
   GROUP BY cb.period_key;
END$$
DELIMITER ;

-- The periods loaded before 007, each summarised once (with the run that loaded most of it).
INSERT INTO loaded_period (period_key, period_start, period_end, customers, run_id)
SELECT cb.period_key, MIN(cb.period_start), MIN(cb.period_end), COUNT(*), MAX(cb.run_id)
  FROM customer_behavior AS cb
 WHERE cb.period_key NOT IN (SELECT lp.period_key FROM loaded_period AS lp)
 GROUP BY cb.period_key;

INSERT INTO customer_cube (period_key, Taste, MostWatch, DateCount, Segment, Activeness, customers,
                           child_duration, movie_duration, sport_duration, tv_duration, relax_duration, run_id)
SELECT cb.period_key, cb.Taste, COALESCE(cb.MostWatch, ''), cb.DateCount, cb.Segment, cb.Activeness, COUNT(*),
       SUM(cb.ChildDuration), SUM(cb.MovieDuration), SUM(cb.SportDuration), SUM(cb.TVDuration),
       SUM(cb.RelaxDuration), MAX(cb.run_id)
  FROM customer_behavior AS cb
 WHERE cb.period_key NOT IN (SELECT cc.period_key FROM customer_cube AS cc)
 GROUP BY cb.period_key, cb.Taste, cb.MostWatch, cb.DateCount, cb.Segment, cb.Activeness;

-- The mart procedure of 006, its segment counts read from the cube (the rest is unchanged).
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
    -- Segment counts, only for the periods of successful runs that overlap the range: summed
    -- over the period's cube cells (007) instead of counted over its customers.
    SELECT cc.period_key, SUM(cc.customers) AS customers,
      SUM(CASE WHEN cc.Segment = 'At Risk Customer' THEN cc.customers ELSE 0 END) AS at_risk,
      SUM(CASE WHEN cc.Segment = 'Need Attention Customer' THEN cc.customers ELSE 0 END) AS need_attention,
      SUM(CASE WHEN cc.Segment = 'Valuable Customer' THEN cc.customers ELSE 0 END) AS valuable,
      SUM(CASE WHEN cc.Segment = 'Loyal Customer' THEN cc.customers ELSE 0 END) AS loyal
    FROM customer_cube AS cc
    JOIN (SELECT DISTINCT r.period_key FROM etl_run AS r
          WHERE r.status = 'ok' AND r.period_start <= p_to AND r.period_end >= p_from) AS p
      ON p.period_key = cc.period_key
    GROUP BY cc.period_key
  ) AS s ON s.period_key = sr.period_key;

  COMMIT;
END$$
DELIMITER ;

-- For the report account (which reads views only) and BI tools.
CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_loaded_period AS
SELECT lp.period_key, lp.period_start, lp.period_end, lp.customers, lp.run_id
  FROM loaded_period AS lp;

CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_customer_cube AS
SELECT cc.period_key, cc.Taste, cc.MostWatch, cc.DateCount, cc.Segment, cc.Activeness, cc.customers,
       cc.child_duration, cc.movie_duration, cc.sport_duration, cc.tv_duration, cc.relax_duration, cc.run_id
  FROM customer_cube AS cc;
