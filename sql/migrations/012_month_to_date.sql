-- 012_month_to_date.sql: one month-to-date period per month.
--   A daily run (bda-etl --month-to-date, as scripts/daily.sh runs it) loads the month so far, the
--   1st to the newest day, as a period flagged month_to_date. The loader removes the month's
--   shorter flagged periods in the same transaction (their summaries and loaded_period rows, then
--   their partitions), so the warehouse keeps one such period per month however many days were
--   loaded, and the run of the month's last day leaves the whole month. Periods loaded otherwise
--   are never removed so. Re-runnable and valid on MySQL 8, as 006: the ALTER runs only while the
--   column is missing.
SET @ddl = IF((SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                 AND TABLE_NAME = 'loaded_period' AND COLUMN_NAME = 'month_to_date') > 0, 'DO 0',
  'ALTER TABLE loaded_period
     ADD COLUMN month_to_date BOOLEAN NOT NULL DEFAULT FALSE
       COMMENT ''loaded by a month-to-date run: replaced by the next such run of the month''');
PREPARE ddl FROM @ddl;
EXECUTE ddl;
DEALLOCATE PREPARE ddl;
