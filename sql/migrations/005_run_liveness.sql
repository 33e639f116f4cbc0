-- 005_run_liveness.sql: runs that died without a word. A bda-etl killed outright (SIGKILL, a lost
-- node) cannot mark its etl_run row 'failed'; its server connection disappears instead. The loader
-- records its CONNECTION_ID() and, before each new run, close_abandoned_runs() marks every
-- 'running' row whose connection is gone as 'failed' (and so does the daily event). Its open
-- transaction was rolled back by the server, so the warehouse already holds the previous data.
-- Re-runnable. MySQL 8: ADD COLUMN has no IF NOT EXISTS there (listed in sql/README.md).

ALTER TABLE etl_run
  ADD COLUMN IF NOT EXISTS connection_id BIGINT UNSIGNED NULL
    COMMENT 'CONNECTION_ID() of the loader that owns a running row' AFTER host;

DROP PROCEDURE IF EXISTS close_abandoned_runs;

DELIMITER //
-- DEFINER: the loader may see only its own connections in PROCESSLIST; the owner sees all.
CREATE PROCEDURE close_abandoned_runs()
  MODIFIES SQL DATA
  SQL SECURITY DEFINER
  COMMENT 'Marks running etl_run rows whose loader connection is gone as failed'
BEGIN
  UPDATE etl_run
     SET status = 'failed',
         finished_at = NOW(3),
         message = CONCAT_WS('; ', message,
                             'abandoned: the job ended without finishing its run (killed, or lost its connection)')
   WHERE status = 'running'
     AND (connection_id IS NULL
          OR connection_id NOT IN (SELECT ID FROM information_schema.PROCESSLIST));
END //
DELIMITER ;

-- The daily event also closes abandoned runs, so a killed job's run reads 'failed' within a day
-- even when no further job runs. (Re-applying 004 resets the body; re-applying 005 sets it again.)
DELIMITER $$
ALTER EVENT ev_refresh_daily_statistics
  COMMENT 'Daily 02:00: close abandoned runs, then refresh_daily_statistics for the last 7 days and today'
  DO BEGIN
    CALL close_abandoned_runs();
    CALL refresh_daily_statistics(CURRENT_DATE - INTERVAL 7 DAY, CURRENT_DATE);
  END$$
DELIMITER ;
