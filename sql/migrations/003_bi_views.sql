-- 003_bi_views.sql: views for a BI tool's DirectQuery (Power BI, Metabase, Grafana), read by the
-- bda_report account, which gets SELECT on these views and on daily_statistics only.
--   v_customer_segment   one row per period and customer: SPEC section 5 segment, text Contract
--   v_period_metrics     per period: SPEC section 6 metrics
--   v_segment_summary    per period and segment
--   v_category_summary   per period and category
--   v_daily_statistics   the mart with calendar columns, shares and the load time
--   v_last_load          the last successful run
-- SQL SECURITY DEFINER: a view reads its base tables with its definer's rights, so the reporting
-- account needs no grant on customer_behavior or etl_run. Durations are added as DECIMAL so that
-- sums of 64-bit values cannot overflow. Re-runnable: CREATE OR REPLACE VIEW.

CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_customer_segment AS
SELECT
  cb.period_start,
  cb.period_end,
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
  r.finished_at AS loaded_at
FROM (
  SELECT
    cb.period_start,
    cb.period_end,
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
  GROUP BY cb.period_start, cb.period_end
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
  ROUND(s.customers / SUM(s.customers) OVER (PARTITION BY s.period_start, s.period_end), 4) AS customer_share,
  ROUND(s.total_duration / s.customers, 2) AS avg_duration_per_customer,
  s.min_date_count,
  s.max_date_count
FROM (
  SELECT
    cb.period_start,
    cb.period_end,
    cb.Segment,
    CASE cb.Segment WHEN 'At Risk Customer' THEN 1 WHEN 'Need Attention Customer' THEN 2
      WHEN 'Valuable Customer' THEN 3 ELSE 4 END AS segment_rank,
    COUNT(*) AS customers,
    SUM(cb.ChildDuration) + SUM(cb.MovieDuration) + SUM(cb.SportDuration) + SUM(cb.TVDuration)
      + SUM(cb.RelaxDuration) AS total_duration,
    MIN(cb.DateCount) AS min_date_count,
    MAX(cb.DateCount) AS max_date_count
  FROM customer_behavior AS cb
  GROUP BY cb.period_start, cb.period_end, cb.Segment
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
  c.most_watch_customers
FROM (
  SELECT
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
      cb.period_start,
      cb.period_end,
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
    GROUP BY cb.period_start, cb.period_end
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
  ds.refreshed_at
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
  r.rows_loaded
FROM etl_run AS r
WHERE r.status = 'ok'
ORDER BY r.finished_at DESC, r.run_id DESC
LIMIT 1;
