-- 009_bi_views_on_summaries.sql: the BI views of 006 that summarise a period (v_period_metrics,
-- v_segment_summary, v_category_summary) read loaded_period and customer_cube (007) instead of
-- grouping every customer row: same columns, same values, a few thousand rows read per period
-- instead of millions (bda-report, Power BI, Metabase and Grafana read them).
-- Re-runnable (CREATE OR REPLACE); valid on MySQL 8.

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
    lp.period_key,
    lp.period_start,
    lp.period_end,
    lp.customers,
    SUM(cc.child_duration) + SUM(cc.movie_duration) + SUM(cc.sport_duration) + SUM(cc.tv_duration)
      + SUM(cc.relax_duration) AS total_duration,
    SUM(cc.child_duration) AS child_duration,
    SUM(cc.movie_duration) AS movie_duration,
    SUM(cc.sport_duration) AS sport_duration,
    SUM(cc.tv_duration) AS tv_duration,
    SUM(cc.relax_duration) AS relax_duration,
    lp.run_id
  FROM loaded_period AS lp
  JOIN customer_cube AS cc ON cc.period_key = lp.period_key
  GROUP BY lp.period_key, lp.period_start, lp.period_end, lp.customers, lp.run_id
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
    lp.period_key,
    lp.period_start,
    lp.period_end,
    cc.Segment,
    CASE cc.Segment WHEN 'At Risk Customer' THEN 1 WHEN 'Need Attention Customer' THEN 2
      WHEN 'Valuable Customer' THEN 3 ELSE 4 END AS segment_rank,
    SUM(cc.customers) AS customers,
    SUM(cc.child_duration) + SUM(cc.movie_duration) + SUM(cc.sport_duration) + SUM(cc.tv_duration)
      + SUM(cc.relax_duration) AS total_duration,
    MIN(cc.DateCount) AS min_date_count,
    MAX(cc.DateCount) AS max_date_count
  FROM loaded_period AS lp
  JOIN customer_cube AS cc ON cc.period_key = lp.period_key
  GROUP BY lp.period_key, lp.period_start, lp.period_end, cc.Segment
) AS s;

-- One pass over the period's cells, then five output rows per period (canonical category order).
-- A cell's category sum is > 0 exactly when its Taste names the category, i.e. when every
-- customer in it watched that category: its customers are that category's viewers.
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
      lp.period_key,
      lp.period_start,
      lp.period_end,
      SUM(cc.child_duration) + SUM(cc.movie_duration) + SUM(cc.sport_duration) + SUM(cc.tv_duration)
        + SUM(cc.relax_duration) AS period_duration,
      SUM(cc.child_duration) AS child_duration,
      SUM(cc.movie_duration) AS movie_duration,
      SUM(cc.sport_duration) AS sport_duration,
      SUM(cc.tv_duration) AS tv_duration,
      SUM(cc.relax_duration) AS relax_duration,
      SUM(CASE WHEN cc.child_duration > 0 THEN cc.customers ELSE 0 END) AS child_viewers,
      SUM(CASE WHEN cc.movie_duration > 0 THEN cc.customers ELSE 0 END) AS movie_viewers,
      SUM(CASE WHEN cc.sport_duration > 0 THEN cc.customers ELSE 0 END) AS sport_viewers,
      SUM(CASE WHEN cc.tv_duration > 0 THEN cc.customers ELSE 0 END) AS tv_viewers,
      SUM(CASE WHEN cc.relax_duration > 0 THEN cc.customers ELSE 0 END) AS relax_viewers,
      SUM(CASE WHEN cc.MostWatch = 'Child' THEN cc.customers ELSE 0 END) AS child_most_watch,
      SUM(CASE WHEN cc.MostWatch = 'Movie' THEN cc.customers ELSE 0 END) AS movie_most_watch,
      SUM(CASE WHEN cc.MostWatch = 'Sport' THEN cc.customers ELSE 0 END) AS sport_most_watch,
      SUM(CASE WHEN cc.MostWatch = 'TV' THEN cc.customers ELSE 0 END) AS tv_most_watch,
      SUM(CASE WHEN cc.MostWatch = 'Relax' THEN cc.customers ELSE 0 END) AS relax_most_watch
    FROM loaded_period AS lp
    JOIN customer_cube AS cc ON cc.period_key = lp.period_key
    GROUP BY lp.period_key, lp.period_start, lp.period_end
  ) AS p
  CROSS JOIN (
    SELECT 'Child' AS category, 1 AS category_rank
    UNION ALL SELECT 'Movie', 2
    UNION ALL SELECT 'Sport', 3
    UNION ALL SELECT 'TV', 4
    UNION ALL SELECT 'Relax', 5
  ) AS k
) AS c;
