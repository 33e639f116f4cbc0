-- 008_customer_list.sql: the customer list pages by index at millions of customers.
--   TotalDuration  a stored column of customer_behavior (the sum of the five durations, DECIMAL:
--                  five 64-bit values may exceed BIGINT), so the list's default order has an index:
--                  ix_cb_total (period_key, TotalDuration); with the primary key it holds
--                  (period_key, TotalDuration, Contract), the list's whole order.
--   Dropped        ix_cb_segment, ix_cb_most_watch, ix_cb_activeness: since 007 no aggregate reads
--                  the rows, and within a period Activeness orders like DateCount (ix_cb_date_count),
--                  ix_cb_run: no query looks rows up by run. Each only slowed every load down
--                  (about 3-4 s of LOAD DATA per index at 1.8 M rows).
--   v_customer_segment reads the stored TotalDuration (same values as before).
-- Re-runnable and valid on MySQL 8: the ALTER runs only while the column is missing (one
-- rebuild of the table).

SET @ddl = IF((SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                 AND TABLE_NAME = 'customer_behavior' AND COLUMN_NAME = 'TotalDuration') > 0, 'DO 0',
  'ALTER TABLE customer_behavior
     ADD COLUMN TotalDuration DECIMAL(21, 0) GENERATED ALWAYS AS (CAST(ChildDuration AS DECIMAL(21, 0))
       + MovieDuration + SportDuration + TVDuration + RelaxDuration) STORED
       COMMENT ''ChildDuration + ... + RelaxDuration'' AFTER RelaxDuration,
     DROP INDEX ix_cb_segment,
     DROP INDEX ix_cb_most_watch,
     DROP INDEX ix_cb_activeness,
     DROP INDEX ix_cb_run,
     ADD KEY ix_cb_total (period_key, TotalDuration)');
PREPARE ddl FROM @ddl;
EXECUTE ddl;
DEALLOCATE PREPARE ddl;

-- The view of 006, TotalDuration read from the column.
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
  cb.TotalDuration,
  cb.MostWatch,
  cb.Taste,
  cb.DateCount,
  cb.Activeness,
  cb.Segment,
  CASE cb.Segment WHEN 'At Risk Customer' THEN 1 WHEN 'Need Attention Customer' THEN 2
    WHEN 'Valuable Customer' THEN 3 ELSE 4 END AS segment_rank,
  cb.run_id
FROM customer_behavior AS cb;
