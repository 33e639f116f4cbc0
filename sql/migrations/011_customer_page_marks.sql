-- 011_customer_page_marks.sql: any page of a customer list in a few milliseconds.
--   customer_page_mark  every 1024th customer of a period in each indexed list order, ascending by
--                       (value, Contract): TotalDuration (ix_cb_total), DateCount (ix_cb_date_count,
--                       Activeness orders alike) and Contract (the primary key). The dashboard
--                       seeks to the mark before a page (a range read of the index from that key)
--                       and skips fewer than 1024 keys, instead of an OFFSET that walks up to half
--                       the period. Written by the loader in the transaction that names the run in
--                       loaded_period, so marks and rows always belong together. A period without
--                       marks (loaded before 011, or by hand) pages by OFFSET as before.
--   v_customer_page_mark  the same, for the read-only account.
-- Re-runnable; valid on MySQL 8.

CREATE TABLE IF NOT EXISTS customer_page_mark (
  period_key VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'loaded_period.period_key',
  sort_key   ENUM('total', 'date_count', 'contract') CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  position   BIGINT UNSIGNED NOT NULL COMMENT '0-based place in the ascending (value, Contract) order',
  sort_value DECIMAL(21, 0)  NULL COMMENT 'TotalDuration or DateCount there, NULL for the contract order',
  Contract   VARBINARY(1024) NOT NULL COMMENT 'the Contract there',
  run_id     BIGINT UNSIGNED NOT NULL COMMENT 'etl_run that loaded the rows',
  PRIMARY KEY (period_key, sort_key, position),
  CONSTRAINT ck_pm_position CHECK (position % 1024 = 0),
  CONSTRAINT ck_pm_value CHECK ((sort_key = 'contract') = (sort_value IS NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Every 1024th customer of a period in each list order: seek points for the customer list';

CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_customer_page_mark AS
SELECT pm.period_key, pm.sort_key, pm.position, pm.sort_value, pm.Contract AS contract_bytes, pm.run_id
  FROM customer_page_mark AS pm;

-- The procedure of 007 summarises the rows of the given run only (other runs' rows of the period
-- may sit in the table since 010: a partition not yet dropped), and removes the period's marks:
-- rows it summarises were not written by the loader, so the marks of an earlier load would point
-- into other rows (paging falls back to OFFSET for the period).
DROP PROCEDURE IF EXISTS summarise_period;

DELIMITER $$
CREATE PROCEDURE summarise_period(IN p_key VARCHAR(300) CHARACTER SET ascii, IN p_run BIGINT UNSIGNED)
  MODIFIES SQL DATA
  SQL SECURITY DEFINER
  COMMENT 'Rebuilds loaded_period and customer_cube of one period from its rows of run p_run'
BEGIN
  DELETE FROM customer_page_mark WHERE period_key = p_key;
  DELETE FROM customer_cube WHERE period_key = p_key;
  DELETE FROM loaded_period WHERE period_key = p_key;
  INSERT INTO customer_cube (period_key, Taste, MostWatch, DateCount, Segment, Activeness, customers,
                             child_duration, movie_duration, sport_duration, tv_duration, relax_duration, run_id)
  SELECT cb.period_key, cb.Taste, COALESCE(cb.MostWatch, ''), cb.DateCount, cb.Segment, cb.Activeness, COUNT(*),
         SUM(cb.ChildDuration), SUM(cb.MovieDuration), SUM(cb.SportDuration), SUM(cb.TVDuration),
         SUM(cb.RelaxDuration), p_run
    FROM customer_behavior AS cb
   WHERE cb.run_id = p_run AND cb.period_key = p_key
   GROUP BY cb.period_key, cb.Taste, cb.MostWatch, cb.DateCount, cb.Segment, cb.Activeness;
  INSERT INTO loaded_period (period_key, period_start, period_end, customers, run_id)
  SELECT cb.period_key, MIN(cb.period_start), MIN(cb.period_end), COUNT(*), p_run
    FROM customer_behavior AS cb
   WHERE cb.run_id = p_run AND cb.period_key = p_key
   GROUP BY cb.period_key;
END$$
DELIMITER ;
