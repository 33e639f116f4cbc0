-- 004_refresh_event.sql: keeps the data mart fresh on a schedule, inside the database.
-- Every day at 02:00 (server time) the Event Scheduler rebuilds daily_statistics for the last
-- seven days and today, so late or re-run loads reach the mart even if no loader called
-- refresh_daily_statistics. Needs event_scheduler=ON (scripts/db.sh starts the server so; MySQL 8
-- has it on by default, MariaDB off). The event runs with its definer's rights, like the procedure.
-- Re-runnable: DROP EVENT IF EXISTS then CREATE (which also re-enables a disabled event).

DROP EVENT IF EXISTS ev_refresh_daily_statistics;

DELIMITER $$
CREATE EVENT ev_refresh_daily_statistics
  ON SCHEDULE EVERY 1 DAY
    -- The next 02:00: today's if it is still ahead, else tomorrow's.
    STARTS TIMESTAMP(CURRENT_DATE) + INTERVAL IF(CURRENT_TIME < '02:00:00', 2, 26) HOUR
  ON COMPLETION PRESERVE
  ENABLE
  COMMENT 'Daily 02:00: refresh_daily_statistics for the last 7 days and today'
  DO CALL refresh_daily_statistics(CURRENT_DATE - INTERVAL 7 DAY, CURRENT_DATE)$$
DELIMITER ;
