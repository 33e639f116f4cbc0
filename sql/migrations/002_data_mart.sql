-- 002_data_mart.sql: the data mart daily_statistics and the ELT that builds it inside the database.
-- refresh_daily_statistics(p_from, p_to) rebuilds the mart for the days in [p_from, p_to] from the
-- warehouse tables only (daily_usage, customer_behavior, etl_run). It is called by the loader for
-- the period it just loaded and by the event of 004 for the recent days; see sql/README.md.
-- Re-runnable: CREATE TABLE IF NOT EXISTS, DROP PROCEDURE IF EXISTS then CREATE.

CREATE TABLE IF NOT EXISTS daily_statistics (
  stat_date                        DATE            NOT NULL PRIMARY KEY,
  active_customers                 INT UNSIGNED    NOT NULL COMMENT 'distinct customers with a counted record that day',
  sessions                         BIGINT UNSIGNED NOT NULL COMMENT 'counted records',
  total_duration                   BIGINT UNSIGNED NOT NULL,
  child_duration                   BIGINT UNSIGNED NOT NULL,
  movie_duration                   BIGINT UNSIGNED NOT NULL,
  sport_duration                   BIGINT UNSIGNED NOT NULL,
  tv_duration                      BIGINT UNSIGNED NOT NULL,
  relax_duration                   BIGINT UNSIGNED NOT NULL,
  child_sessions                   BIGINT UNSIGNED NOT NULL,
  movie_sessions                   BIGINT UNSIGNED NOT NULL,
  sport_sessions                   BIGINT UNSIGNED NOT NULL,
  tv_sessions                      BIGINT UNSIGNED NOT NULL,
  relax_sessions                   BIGINT UNSIGNED NOT NULL,
  child_customers                  INT UNSIGNED    NOT NULL,
  movie_customers                  INT UNSIGNED    NOT NULL,
  sport_customers                  INT UNSIGNED    NOT NULL,
  tv_customers                     INT UNSIGNED    NOT NULL,
  relax_customers                  INT UNSIGNED    NOT NULL,
  -- 22 digits, not 20: a full unsigned 64-bit total over one customer needs 20 before the point.
  avg_duration_per_active_customer DECIMAL(22, 2)  NULL COMMENT 'total_duration / active_customers, half-up, NULL when 0 active',
  avg_sessions_per_active_customer DECIMAL(22, 2)  NULL COMMENT 'sessions / active_customers, half-up',
  avg_duration_per_session         DECIMAL(22, 2)  NULL COMMENT 'total_duration / sessions, half-up',
  -- Segments "as of the period": from the latest successful run whose period contains the day.
  -- All NULL when no successful run covers the day.
  segment_run_id                   BIGINT UNSIGNED NULL COMMENT 'etl_run whose period gave the segment counts',
  segment_period_start             DATE            NULL,
  segment_period_end               DATE            NULL,
  period_customers                 INT UNSIGNED    NULL COMMENT 'customers of that period (sum of the four segments)',
  at_risk_customers                INT UNSIGNED    NULL,
  need_attention_customers         INT UNSIGNED    NULL,
  valuable_customers               INT UNSIGNED    NULL,
  loyal_customers                  INT UNSIGNED    NULL,
  source_run_id                    BIGINT UNSIGNED NOT NULL COMMENT 'etl_run that loaded the day''s daily_usage',
  refreshed_at                     DATETIME(3)     NOT NULL,
  KEY ix_ds_segment_run (segment_run_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Data mart: one row per day, built by refresh_daily_statistics';

DROP PROCEDURE IF EXISTS refresh_daily_statistics;

-- SQL SECURITY DEFINER: the loader holds only EXECUTE here and no write grant on daily_statistics,
-- so the mart can change only through this procedure. The body takes two DATEs and runs no
-- dynamic SQL, so the definer's (the migration admin's) rights cannot be turned to anything else.
-- START TRANSACTION commits a transaction the caller left open: call it after the load commits.
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
    segment_run_id, segment_period_start, segment_period_end, period_customers,
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
    sr.run_id, sr.period_start, sr.period_end,
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
      -- The most recently finished successful run whose period contains the day.
      (SELECT r.run_id FROM etl_run AS r
        WHERE r.status = 'ok' AND u.stat_date BETWEEN r.period_start AND r.period_end
        ORDER BY r.finished_at DESC, r.run_id DESC
        LIMIT 1) AS segment_run_id
    FROM daily_usage AS u
    WHERE u.stat_date BETWEEN p_from AND p_to
    GROUP BY u.stat_date
  ) AS d
  LEFT JOIN etl_run AS sr ON sr.run_id = d.segment_run_id
  LEFT JOIN (
    -- Segment counts, only for the periods of successful runs that overlap the range.
    SELECT cb.period_start, cb.period_end, COUNT(*) AS customers,
      SUM(CASE WHEN cb.Segment = 'At Risk Customer' THEN 1 ELSE 0 END) AS at_risk,
      SUM(CASE WHEN cb.Segment = 'Need Attention Customer' THEN 1 ELSE 0 END) AS need_attention,
      SUM(CASE WHEN cb.Segment = 'Valuable Customer' THEN 1 ELSE 0 END) AS valuable,
      SUM(CASE WHEN cb.Segment = 'Loyal Customer' THEN 1 ELSE 0 END) AS loyal
    FROM customer_behavior AS cb
    JOIN (SELECT DISTINCT r.period_start, r.period_end FROM etl_run AS r
          WHERE r.status = 'ok' AND r.period_start <= p_to AND r.period_end >= p_from) AS p
      ON p.period_start = cb.period_start AND p.period_end = cb.period_end
    GROUP BY cb.period_start, cb.period_end
  ) AS s ON s.period_start = sr.period_start AND s.period_end = sr.period_end;

  COMMIT;
END$$
DELIMITER ;
