-- 010_load_partitions.sql: customer_behavior holds one partition per loaded run, so a load builds
-- its rows aside and swaps them in instead of inserting into (and deleting from) the live table.
--   Partitions     PARTITION BY LIST (run_id): the loader fills a staging table (primary key and
--                  CHECKs only; its secondary indexes are built once, sorted, after the load),
--                  adds the run's partition and exchanges the staging table into it. The period's
--                  old rows leave with one DROP PARTITION instead of a DELETE of every row.
--                  p_other (DEFAULT) takes rows written by anything but the loader, and the rows
--                  loaded before 010.
--   Keys           every unique key of a partitioned table holds the partitioning column: the
--                  primary key becomes (run_id, Contract), the list indexes (run_id, ...). A run
--                  loads exactly one period, so within a partition this is the old order. The
--                  list indexes name Contract: on a partitioned table the optimizer orders by the
--                  declared key parts only, not by the primary key InnoDB appends (same bytes).
--                  ix_cb_period goes: periods are found in loaded_period, and each secondary
--                  index is built on every load.
--   Visibility     loaded_period names the run whose rows are the period's: v_customer_segment
--                  shows only those, so a partition exchanged in but not yet committed (or left
--                  behind by a load that died) is never seen, and the switch from the old rows to
--                  the new ones is the loader's COMMIT of loaded_period and the summaries.
--   Staging        customer_behavior_load, the same columns, CHECKs and primary key; the loader
--                  account changes tables only through the procedures below (it holds no DDL
--                  privilege): load_table_prepare, load_table_index, load_table_swap,
--                  drop_run_rows. A later migration that changes customer_behavior changes
--                  customer_behavior_load alike (EXCHANGE refuses tables that differ).
-- MariaDB only: MySQL 8 has no DEFAULT partition for LIST (sql/README.md). Re-runnable: the ALTER
-- runs only while the table is not partitioned (one rebuild of the table).

SET @ddl = IF((SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE()
                 AND TABLE_NAME = 'customer_behavior' AND PARTITION_NAME IS NOT NULL) > 0, 'DO 0',
  'ALTER TABLE customer_behavior
     DROP PRIMARY KEY,
     ADD PRIMARY KEY (run_id, Contract),
     DROP INDEX ix_cb_total,
     ADD KEY ix_cb_total (run_id, TotalDuration, Contract),
     DROP INDEX ix_cb_date_count,
     ADD KEY ix_cb_date_count (run_id, DateCount, Contract),
     DROP INDEX ix_cb_period
   PARTITION BY LIST (run_id) (PARTITION p_other DEFAULT)');
PREPARE ddl FROM @ddl;
EXECUTE ddl;
DEALLOCATE PREPARE ddl;

-- The view of 008, restricted to the rows of each period's loaded run. The period columns come
-- from loaded_period and the join is on the run alone (a run loads one period), so a filter on
-- period_key finds the run first and ix_cb_total (run_id, TotalDuration, Contract) still covers
-- the customer list's page query.
CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY DEFINER VIEW v_customer_segment AS
SELECT
  lp.period_start,
  lp.period_end,
  lp.period_key,
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
FROM loaded_period AS lp
JOIN customer_behavior AS cb ON cb.run_id = lp.run_id;

CREATE TABLE IF NOT EXISTS customer_behavior_load LIKE customer_behavior;

SET @ddl = IF((SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE()
                 AND TABLE_NAME = 'customer_behavior_load' AND PARTITION_NAME IS NOT NULL) = 0, 'DO 0',
  'ALTER TABLE customer_behavior_load REMOVE PARTITIONING');
PREPARE ddl FROM @ddl;
EXECUTE ddl;
DEALLOCATE PREPARE ddl;

ALTER TABLE customer_behavior_load COMMENT = 'Staging table of the loader: rows are built here and exchanged into customer_behavior';

DROP PROCEDURE IF EXISTS load_table_prepare;
DROP PROCEDURE IF EXISTS load_table_index;
DROP PROCEDURE IF EXISTS load_table_swap;
DROP PROCEDURE IF EXISTS drop_run_rows;

DELIMITER $$
CREATE PROCEDURE load_table_prepare()
  MODIFIES SQL DATA
  SQL SECURITY DEFINER
  COMMENT 'Empties the staging table, drops its secondary indexes and the partitions of runs no period uses'
BEGIN
  TRUNCATE TABLE customer_behavior_load;
  SELECT GROUP_CONCAT(CONCAT('DROP INDEX `', i.INDEX_NAME, '`') ORDER BY i.INDEX_NAME SEPARATOR ', ') INTO @bda_drop
    FROM (SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS
           WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior_load' AND INDEX_NAME <> 'PRIMARY') AS i;
  IF @bda_drop IS NOT NULL THEN
    SET @bda_ddl = CONCAT('ALTER TABLE customer_behavior_load ', @bda_drop);
    PREPARE ddl FROM @bda_ddl;
    EXECUTE ddl;
    DEALLOCATE PREPARE ddl;
  END IF;
  -- A partition p_<run> whose run no period names: a load that died after its exchange, or an old
  -- period's rows whose drop did not happen. Loads run one at a time (the loader's named lock).
  SELECT GROUP_CONCAT(CONCAT('`', p.PARTITION_NAME, '`') SEPARATOR ', ') INTO @bda_drop
    FROM information_schema.PARTITIONS AS p
   WHERE p.TABLE_SCHEMA = DATABASE() AND p.TABLE_NAME = 'customer_behavior' AND p.PARTITION_NAME LIKE 'p!_%' ESCAPE '!'
     AND p.PARTITION_NAME <> 'p_other'
     AND NOT EXISTS (SELECT 1 FROM loaded_period AS lp WHERE CONCAT('p_', lp.run_id) = p.PARTITION_NAME);
  IF @bda_drop IS NOT NULL THEN
    SET @bda_ddl = CONCAT('ALTER TABLE customer_behavior DROP PARTITION ', @bda_drop);
    PREPARE ddl FROM @bda_ddl;
    EXECUTE ddl;
    DEALLOCATE PREPARE ddl;
  END IF;
END$$

CREATE PROCEDURE load_table_index()
  MODIFIES SQL DATA
  SQL SECURITY DEFINER
  COMMENT 'Builds the secondary indexes of customer_behavior on the filled staging table (one sorted build)'
BEGIN
  SELECT GROUP_CONCAT(k.spec ORDER BY k.INDEX_NAME SEPARATOR ', ') INTO @bda_add
    FROM (SELECT s.INDEX_NAME,
                 CONCAT(IF(MIN(s.NON_UNIQUE) = 0, 'ADD UNIQUE KEY `', 'ADD KEY `'), s.INDEX_NAME, '` (',
                        GROUP_CONCAT(CONCAT('`', s.COLUMN_NAME, '`', IF(s.SUB_PART IS NULL, '', CONCAT('(', s.SUB_PART, ')')))
                                     ORDER BY s.SEQ_IN_INDEX SEPARATOR ', '), ')') AS spec
            FROM information_schema.STATISTICS AS s
           WHERE s.TABLE_SCHEMA = DATABASE() AND s.TABLE_NAME = 'customer_behavior' AND s.INDEX_NAME <> 'PRIMARY'
           GROUP BY s.INDEX_NAME) AS k;
  IF @bda_add IS NOT NULL THEN
    SET @bda_ddl = CONCAT('ALTER TABLE customer_behavior_load ', @bda_add);
    PREPARE ddl FROM @bda_ddl;
    EXECUTE ddl;
    DEALLOCATE PREPARE ddl;
  END IF;
END$$

CREATE PROCEDURE load_table_swap(IN p_run BIGINT UNSIGNED)
  MODIFIES SQL DATA
  SQL SECURITY DEFINER
  COMMENT 'Adds the partition of a running run and exchanges the staging table into it'
BEGIN
  IF (SELECT COUNT(*) FROM etl_run WHERE run_id = p_run AND status = 'running') <> 1 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'load_table_swap: the run is not running';
  END IF;
  -- p_run is a BIGINT UNSIGNED: the partition name and value are digits only.
  SET @bda_ddl = CONCAT('ALTER TABLE customer_behavior ADD PARTITION (PARTITION `p_', p_run, '` VALUES IN (', p_run, '))');
  PREPARE ddl FROM @bda_ddl;
  EXECUTE ddl;
  DEALLOCATE PREPARE ddl;
  SET @bda_ddl = CONCAT('ALTER TABLE customer_behavior EXCHANGE PARTITION `p_', p_run, '` WITH TABLE customer_behavior_load');
  PREPARE ddl FROM @bda_ddl;
  EXECUTE ddl;
  DEALLOCATE PREPARE ddl;
END$$

CREATE PROCEDURE drop_run_rows(IN p_run BIGINT UNSIGNED)
  MODIFIES SQL DATA
  SQL SECURITY DEFINER
  COMMENT 'Removes the rows of a run no period uses any more: its partition, or its rows in p_other'
BEGIN
  IF EXISTS (SELECT 1 FROM loaded_period WHERE run_id = p_run) THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'drop_run_rows: a loaded period still uses the run';
  END IF;
  IF EXISTS (SELECT 1 FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE()
               AND TABLE_NAME = 'customer_behavior' AND PARTITION_NAME = CONCAT('p_', p_run)) THEN
    SET @bda_ddl = CONCAT('ALTER TABLE customer_behavior DROP PARTITION `p_', p_run, '`');
    PREPARE ddl FROM @bda_ddl;
    EXECUTE ddl;
    DEALLOCATE PREPARE ddl;
  ELSE
    DELETE FROM customer_behavior WHERE run_id = p_run;
  END IF;
END$$
DELIMITER ;
