#!/usr/bin/env bash
# warehouse: refresh_daily_statistics(p_from, p_to) builds daily_statistics from the warehouse
# tables exactly as computed here, independently, in python3 from the fixture files
# (tests/warehouse/data/refresh_*: etl_run rows, the OLAP CSV of each successful run, the per-day
# table), loaded with LOAD DATA LOCAL as the loader would. Then:
#  - calling it twice gives the same table (idempotent); a sub-range too;
#  - a range without data, or a one-day range, leaves every other day alone (refreshed_at included);
#  - a run that turns 'failed' and a day whose daily_usage rows vanish are reflected;
#  - bad arguments are refused, and an error half-way rolls the whole range back.
#   bash tests/warehouse/refresh_test.sh <bin dir> <source dir> <db dir>
set -euo pipefail
source "$(dirname "$0")/wh_lib.sh"
wh_setup "$@" refresh

mart_columns="stat_date, active_customers, sessions, total_duration,
  child_duration, movie_duration, sport_duration, tv_duration, relax_duration,
  child_sessions, movie_sessions, sport_sessions, tv_sessions, relax_sessions,
  child_customers, movie_customers, sport_customers, tv_customers, relax_customers,
  avg_duration_per_active_customer, avg_sessions_per_active_customer, avg_duration_per_session,
  segment_run_id, segment_period_start, segment_period_end, period_customers,
  at_risk_customers, need_attention_customers, valuable_customers, loyal_customers, source_run_id"
mart() { wh_q "SELECT $mart_columns FROM daily_statistics ORDER BY stat_date"; }
mart_with_time() { wh_q "SELECT stat_date, refreshed_at FROM daily_statistics ORDER BY stat_date"; }
refresh() { wh_sql -e "CALL refresh_daily_statistics($1, $2)"; }

# expected [--failed RUN]... [--dropped DAY]...: the mart, computed from the fixture files.
expected() {
  python3 - "$WH_DATA" "$@" <<'PY'
import csv, math, sys
from fractions import Fraction

data, args = sys.argv[1], sys.argv[2:]
failed = {args[i + 1] for i in range(len(args)) if args[i] == "--failed"}
dropped = {args[i + 1] for i in range(len(args)) if args[i] == "--dropped"}
CATEGORIES = ["Child", "Movie", "Sport", "TV", "Relax"]

def half_up(n, d):  # n / d rounded half-up to 2 decimals, as text
    q = math.floor(Fraction(n, d) * 100 + Fraction(1, 2))
    return f"{q // 100}.{q % 100:02d}"

def segment(date_count):  # SPEC section 5
    if 1 <= date_count <= 6: return "at_risk"
    if 7 <= date_count <= 13: return "need_attention"
    if 14 <= date_count <= 20: return "valuable"
    return "loyal"

runs = list(csv.DictReader(open(f"{data}/refresh_runs.csv")))
for r in runs:
    if r["run_id"] in failed:
        r["status"] = "failed"
ok_runs = [r for r in runs if r["status"] == "ok"]
period_counts = {}
for r in ok_runs:
    key = (r["period_start"], r["period_end"])
    counts = {"at_risk": 0, "need_attention": 0, "valuable": 0, "loyal": 0}
    with open(f"{data}/refresh_cb_{key[0]}_{key[1]}.csv", newline="") as f:
        for row in csv.DictReader(f):
            counts[segment(int(row["DateCount"]))] += 1
    period_counts[key] = counts

days = {}
for row in csv.DictReader(open(f"{data}/refresh_daily_usage.csv")):
    if row["stat_date"] not in dropped:
        days.setdefault(row["stat_date"], {})[row["category"]] = row

for day in sorted(days):
    rows = days[day]
    cat = lambda c, field: int(rows[c][field]) if c in rows else 0
    if "All" in rows:
        active, sessions, total = cat("All", "customers"), cat("All", "sessions"), cat("All", "total_duration")
    else:  # the documented fallback: totals add up, the largest category count bounds the customers
        active = max(cat(c, "customers") for c in CATEGORIES)
        sessions = sum(cat(c, "sessions") for c in CATEGORIES)
        total = sum(cat(c, "total_duration") for c in CATEGORIES)
    out = [day, active, sessions, total]
    out += [cat(c, "total_duration") for c in CATEGORIES]
    out += [cat(c, "sessions") for c in CATEGORIES]
    out += [cat(c, "customers") for c in CATEGORIES]
    out += [half_up(total, active) if active else "NULL", half_up(sessions, active) if active else "NULL",
            half_up(total, sessions) if sessions else "NULL"]
    covering = [r for r in ok_runs if r["period_start"] <= day <= r["period_end"]]
    if covering:
        run = max(covering, key=lambda r: (r["finished_at"], int(r["run_id"])))
        counts = period_counts[(run["period_start"], run["period_end"])]
        out += [run["run_id"], run["period_start"], run["period_end"], sum(counts.values()),
                counts["at_risk"], counts["need_attention"], counts["valuable"], counts["loyal"]]
    else:
        out += ["NULL"] * 8
    out.append(max(int(r["run_id"]) for r in rows.values()))
    print("\t".join(str(v) for v in out))
PY
}

wh_load_fixture
wh_eq "the mart starts empty" "$(wh_q "SELECT COUNT(*) FROM daily_statistics")" "0"
want=$(expected)
[[ $(wc -l <<<"$want") -eq 8 ]] || wh_fail "the fixture should give 8 days, python computed: $want"

# --- the whole fixture
refresh "'2022-04-01'" "'2022-05-31'"
wh_eq "daily_statistics after the first refresh" "$(mart)" "$want"

# --- idempotent: again, and a sub-range
before=$(mart_with_time)
sleep 0.05
refresh "'2022-04-01'" "'2022-05-31'"
wh_eq "daily_statistics after the second refresh" "$(mart)" "$want"
[[ $(mart_with_time) != "$before" ]] || wh_fail "the second refresh did not rewrite the rows (refreshed_at unchanged)"
refresh "'2022-04-03'" "'2022-04-04'"
wh_eq "daily_statistics after refreshing a sub-range" "$(mart)" "$want"

# --- ranges leave the other days alone
snapshot=$(wh_q "SELECT * FROM daily_statistics ORDER BY stat_date")
refresh "'2022-06-01'" "'2022-06-30'"
refresh "'2021-01-01'" "'2022-03-31'"
wh_eq "a range without data changes nothing" "$(wh_q "SELECT * FROM daily_statistics ORDER BY stat_date")" "$snapshot"
sleep 0.05
refresh "'2022-04-02'" "'2022-04-02'"
wh_eq "a one-day refresh leaves the other days alone" \
  "$(wh_q "SELECT * FROM daily_statistics WHERE stat_date <> '2022-04-02' ORDER BY stat_date")" \
  "$(grep -v '^2022-04-02' <<<"$snapshot")"
wh_eq "a one-day refresh rewrote that day" \
  "$(wh_q "SELECT refreshed_at > '$(grep '^2022-04-02' <<<"$snapshot" | awk -F'\t' '{print $NF}')' FROM daily_statistics
      WHERE stat_date = '2022-04-02'")" "1"

# --- the warehouse changes, the refresh follows
wh_sql -e "UPDATE etl_run SET status = 'failed' WHERE run_id = 2"
refresh "'2022-04-04'" "'2022-04-05'"
wh_eq "after run 2 turned 'failed', its days take the segments of run 1" "$(mart)" "$(expected --failed 2)"
wh_sql -e "DELETE FROM daily_usage WHERE stat_date = '2022-05-02'"
refresh "'2022-05-01'" "'2022-05-31'"
wh_eq "a day without daily_usage rows leaves the mart" "$(mart)" "$(expected --failed 2 --dropped 2022-05-02)"
wh_sql -e "UPDATE etl_run SET status = 'ok' WHERE run_id = 2"
refresh "'2022-01-01'" "'2022-12-31'"
wh_eq "back to the fixture (minus the dropped day)" "$(mart)" "$(expected --dropped 2022-05-02)"

# --- bad arguments, and all-or-nothing
snapshot=$(wh_q "SELECT * FROM daily_statistics ORDER BY stat_date")
wh_must_fail "p_from after p_to" "CALL refresh_daily_statistics('2022-04-05', '2022-04-01')"
grep -q "45000" "$WH_WORK/last_error" || wh_fail "p_from after p_to: not SQLSTATE 45000: $(cat "$WH_WORK/last_error")"
wh_must_fail "a NULL bound" "CALL refresh_daily_statistics(NULL, '2022-04-01')"
wh_must_fail "not a date" "CALL refresh_daily_statistics('someday', '2022-04-01')"
# A trigger that fails the insert of one day, after the DELETE of the range has run.
wh_sql --delimiter='//' -e "CREATE TRIGGER test_break_refresh BEFORE INSERT ON daily_statistics FOR EACH ROW
  BEGIN IF NEW.stat_date = '2022-04-06' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'broken on purpose'; END IF; END//"
wh_must_fail "a refresh that breaks half-way" "CALL refresh_daily_statistics('2022-04-01', '2022-05-31')"
grep -q "broken on purpose" "$WH_WORK/last_error" || wh_fail "the error did not reach the caller: $(cat "$WH_WORK/last_error")"
wh_sql -e "DROP TRIGGER test_break_refresh"
wh_eq "a failed refresh rolls the whole range back" "$(wh_q "SELECT * FROM daily_statistics ORDER BY stat_date")" "$snapshot"

echo "ok: refresh_daily_statistics equals the independent computation; idempotent; ranges isolated; atomic"
