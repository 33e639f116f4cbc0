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
--   summarise_period(key, run)  rebuilds both for one period from customer_behavior. The loader
--                   calls it inside its load transaction, after LOAD DATA and before COMMIT, so
--                   the summaries always describe exactly the committed rows.
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

-- For the report account (which reads views only) and BI tools.
CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_loaded_period AS
SELECT lp.period_key, lp.period_start, lp.period_end, lp.customers, lp.run_id
  FROM loaded_period AS lp;

CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_customer_cube AS
SELECT cc.period_key, cc.Taste, cc.MostWatch, cc.DateCount, cc.Segment, cc.Activeness, cc.customers,
       cc.child_duration, cc.movie_duration, cc.sport_duration, cc.tv_duration, cc.relax_duration, cc.run_id
  FROM customer_cube AS cc;
