#!/usr/bin/env bash
# warehouse: the Event Scheduler keeps the mart fresh.
#  - the scheduler runs; ev_refresh_daily_statistics exists, is ENABLED, recurs EVERY 1 DAY from the
#    next 02:00 and calls refresh_daily_statistics for the last 7 days and today;
#  - it actually fires: rescheduled to run once a second ahead (ON COMPLETION PRESERVE), it fills the
#    mart for the recent days within ~10 s, and refreshes it again on a second shot;
#  - re-applying its migration restores the daily schedule.
#   bash tests/warehouse/event_test.sh <bin dir> <source dir> <db dir>
set -euo pipefail
source "$(dirname "$0")/wh_lib.sh"
wh_setup "$@" event
readonly FIRE_TIMEOUT_S=10

event_facts() { wh_q "SELECT STATUS, EVENT_TYPE, INTERVAL_VALUE, INTERVAL_FIELD, ON_COMPLETION, TIME(STARTS),
    STARTS > NOW() AND STARTS <= NOW() + INTERVAL 1 DAY, EVENT_DEFINITION
    FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() AND EVENT_NAME = 'ev_refresh_daily_statistics'"; }
daily="ENABLED	RECURRING	1	DAY	PRESERVE	02:00:00	1	CALL refresh_daily_statistics(CURRENT_DATE - INTERVAL 7 DAY, CURRENT_DATE)"
# After every migration: 005 makes the same event also close abandoned runs first.
daily_all='ENABLED	RECURRING	1	DAY	PRESERVE	02:00:00	1	BEGIN\n    CALL close_abandoned_runs();\n    CALL refresh_daily_statistics(CURRENT_DATE - INTERVAL 7 DAY, CURRENT_DATE);\n  END'

wh_eq "event scheduler" "$(wh_q "SELECT @@event_scheduler")" "ON"
wh_eq "the daily event" "$(event_facts)" "$daily_all"

# Recent days in the warehouse: yesterday and today inside the event's range, 9 days ago outside.
wh_sql -e "INSERT INTO etl_run (run_id, period_start, period_end, selected_days, started_at, finished_at, status)
    VALUES (1, CURRENT_DATE - INTERVAL 9 DAY, CURRENT_DATE, 10, NOW(3), NOW(3), 'ok');
  INSERT INTO customer_behavior (period_start, period_end, Contract, ChildDuration, MovieDuration, SportDuration,
      TVDuration, RelaxDuration, MostWatch, Taste, DateCount, Activeness, run_id)
    VALUES (CURRENT_DATE - INTERVAL 9 DAY, CURRENT_DATE, 'c1', 0, 0, 0, 60, 0, 'TV', 'TV', 2, 20.00, 1),
           (CURRENT_DATE - INTERVAL 9 DAY, CURRENT_DATE, 'c2', 0, 30, 0, 0, 0, 'Movie', 'Movie', 7, 70.00, 1);
  INSERT INTO daily_usage (stat_date, category, sessions, total_duration, customers, run_id)
    VALUES (CURRENT_DATE - INTERVAL 9 DAY, 'All', 1, 10, 1, 1), (CURRENT_DATE - INTERVAL 9 DAY, 'TV', 1, 10, 1, 1),
           (CURRENT_DATE - INTERVAL 1 DAY, 'All', 2, 50, 2, 1), (CURRENT_DATE - INTERVAL 1 DAY, 'TV', 1, 20, 1, 1),
           (CURRENT_DATE - INTERVAL 1 DAY, 'Movie', 1, 30, 1, 1),
           (CURRENT_DATE, 'All', 3, 90, 2, 1), (CURRENT_DATE, 'TV', 3, 90, 2, 1)"
wh_sql -e "CALL summarise_period(CONCAT(CURRENT_DATE - INTERVAL 9 DAY, '..', CURRENT_DATE), 1)" # as the loader would
wh_eq "the mart starts empty" "$(wh_q "SELECT COUNT(*) FROM daily_statistics")" "0"

# fire_once: run the event a second from now, once, kept afterwards; wait until it has run.
fire_once() {
  local before
  before=$(wh_q "SELECT COALESCE(LAST_EXECUTED, 0) FROM information_schema.EVENTS
    WHERE EVENT_SCHEMA = DATABASE() AND EVENT_NAME = 'ev_refresh_daily_statistics'")
  wh_sql -e "ALTER EVENT ev_refresh_daily_statistics
    ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 SECOND ON COMPLETION PRESERVE ENABLE"
  local deadline=$((SECONDS + FIRE_TIMEOUT_S))
  until [[ $(wh_q "SELECT COALESCE(LAST_EXECUTED, 0) FROM information_schema.EVENTS
      WHERE EVENT_SCHEMA = DATABASE() AND EVENT_NAME = 'ev_refresh_daily_statistics'") != "$before" ]] &&
      "$@"; do
    ((SECONDS < deadline)) || wh_fail "the event did not fire within ${FIRE_TIMEOUT_S}s (event: $(wh_q "SELECT STATUS, EXECUTE_AT, LAST_EXECUTED, NOW(3) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"); mart: $(wh_q "SELECT stat_date, sessions, refreshed_at FROM daily_statistics"))"
    sleep 0.25
  done
}
mart_has() { [[ $(wh_q "SELECT GROUP_CONCAT(stat_date = CURRENT_DATE, ':', sessions, ':',
    COALESCE(loyal_customers, '-') ORDER BY stat_date) FROM daily_statistics") == "$1" ]]; }

start=$SECONDS
fire_once mart_has "0:2:0,1:3:0"
echo "the event fired after $((SECONDS - start))s" >&2
wh_eq "the event refreshed yesterday and today, not 9 days ago" \
  "$(wh_q "SELECT DATEDIFF(CURRENT_DATE, stat_date), active_customers, sessions, total_duration, tv_duration,
      movie_duration, avg_duration_per_active_customer, segment_run_id, at_risk_customers, need_attention_customers
      FROM daily_statistics ORDER BY stat_date")" \
  "1	2	2	50	20	30	25.00	1	1	1
0	2	3	90	90	0	45.00	1	1	1"
first_refresh=$(wh_q "SELECT MAX(refreshed_at) FROM daily_statistics")

# A second shot picks up a change in the warehouse. It starts, like the first, from the event as
# the migration creates it (a one-time event that already ran is a different state to alter).
wh_sql -e "UPDATE daily_usage SET sessions = 4, customers = 3 WHERE stat_date = CURRENT_DATE AND category IN ('All', 'TV')"
wh_sql <"$WH_SRC/sql/migrations/004_refresh_event.sql"
wh_eq "the daily event after re-applying 004" "$(event_facts)" "$daily"
fire_once mart_has "0:2:0,1:4:0"
[[ $(wh_q "SELECT MIN(refreshed_at) > '$first_refresh' FROM daily_statistics") == 1 ]] ||
  wh_fail "the second firing did not rewrite the rows"

# Restore: the migration brings the daily schedule back (and re-enables the event).
wh_sql <"$WH_SRC/sql/migrations/004_refresh_event.sql"
wh_eq "the daily event restored" "$(event_facts)" "$daily"

echo "ok: the event is scheduled daily at 02:00, enabled, and fires"
