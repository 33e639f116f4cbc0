#!/usr/bin/env bash
# warehouse: the BI views return what python3 computes independently from the same fixture files
# (tests/warehouse/data/refresh_*): segments per customer (SPEC section 5), the period metrics of
# SPEC section 6 (per month = total / customers, per week = / 4, per day = / 7; half-up, 2 decimals),
# the segment and category summaries, the mart's calendar and share columns, the last load.
#   bash tests/warehouse/views_test.sh <bin dir> <source dir> <db dir>
set -euo pipefail
source "$(dirname "$0")/wh_lib.sh"
wh_setup "$@" views

wh_load_fixture
wh_sql -e "CALL refresh_daily_statistics('2022-01-01', '2022-12-31')"

# expected VIEW: the rows of that view, computed from the fixture files
expected() {
  python3 - "$WH_DATA" "$1" <<'PY'
import csv, datetime, math, sys
from fractions import Fraction

data, view = sys.argv[1], sys.argv[2]
CATEGORIES = ["Child", "Movie", "Sport", "TV", "Relax"]
SEGMENTS = ["At Risk Customer", "Need Attention Customer", "Valuable Customer", "Loyal Customer"]

def half_up(n, d, places):
    q = math.floor(Fraction(n, d) * 10**places + Fraction(1, 2))
    return f"{q // 10**places}.{q % 10**places:0{places}d}"

def segment(dc):
    return SEGMENTS[0] if dc <= 6 else SEGMENTS[1] if dc <= 13 else SEGMENTS[2] if dc <= 20 else SEGMENTS[3]

runs = list(csv.DictReader(open(f"{data}/refresh_runs.csv")))
ok = [r for r in runs if r["status"] == "ok"]
customers = []  # (period_start, period_end, contract bytes, row, run)
for r in ok:
    with open(f"{data}/refresh_cb_{r['period_start']}_{r['period_end']}.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            customers.append((r["period_start"], r["period_end"], row["Contract"].encode(), row, r))
customers.sort(key=lambda c: c[:3])
periods = sorted({(c[0], c[1]) for c in customers})
dur = lambda row, c: int(row[c + "Duration"])
total = lambda row: sum(dur(row, c) for c in CATEGORIES)
out = []

if view == "v_customer_segment":
    for ps, pe, contract, row, run in customers:
        seg = segment(int(row["DateCount"]))
        out.append([ps, pe, contract.hex().upper()] + [dur(row, c) for c in CATEGORIES] +
                   [total(row), row["MostWatch"] or "NULL", row["Taste"], row["DateCount"], row["Activeness"],
                    seg, SEGMENTS.index(seg) + 1, run["run_id"]])
elif view == "v_period_metrics":
    for ps, pe in periods:
        rows = [c for c in customers if (c[0], c[1]) == (ps, pe)]
        n, t = len(rows), sum(total(c[3]) for c in rows)
        run = rows[0][4]
        out.append([ps, pe, n, t] + [sum(dur(c[3], k) for c in rows) for k in CATEGORIES] +
                   [half_up(t, n, 2), half_up(t, n * 4, 2), half_up(t, n * 4 * 7, 2),
                    run["run_id"], run["selected_days"], run["finished_at"]])
elif view == "v_segment_summary":
    for ps, pe in periods:
        rows = [c for c in customers if (c[0], c[1]) == (ps, pe)]
        for rank, seg in enumerate(SEGMENTS, 1):
            members = [c for c in rows if segment(int(c[3]["DateCount"])) == seg]
            if not members:
                continue
            t = sum(total(c[3]) for c in members)
            dcs = [int(c[3]["DateCount"]) for c in members]
            out.append([ps, pe, seg, rank, len(members), t, half_up(len(members), len(rows), 4),
                        half_up(t, len(members), 2), min(dcs), max(dcs)])
elif view == "v_category_summary":
    for ps, pe in periods:
        rows = [c for c in customers if (c[0], c[1]) == (ps, pe)]
        period_total = sum(total(c[3]) for c in rows)
        for rank, k in enumerate(CATEGORIES, 1):
            t = sum(dur(c[3], k) for c in rows)
            out.append([ps, pe, k, rank, t, half_up(t, period_total, 4) if period_total else "NULL",
                        sum(1 for c in rows if dur(c[3], k) > 0), sum(1 for c in rows if c[3]["MostWatch"] == k)])
elif view == "v_daily_statistics":
    days = {}
    for row in csv.DictReader(open(f"{data}/refresh_daily_usage.csv")):
        days.setdefault(row["stat_date"], {})[row["category"]] = row
    finished = {r["run_id"]: r["finished_at"] or "NULL" for r in runs}
    for day in sorted(days):
        rows = days[day]
        d = datetime.date.fromisoformat(day)
        cat = lambda k: int(rows[k]["total_duration"]) if k in rows else 0
        t = cat("All") if "All" in rows else sum(cat(k) for k in CATEGORIES)
        active = int(rows["All"]["customers"]) if "All" in rows else max(int(r["customers"]) for r in rows.values())
        covering = [r for r in ok if r["period_start"] <= day <= r["period_end"]]
        if covering:
            run = max(covering, key=lambda r: (r["finished_at"], int(r["run_id"])))
            n = sum(1 for c in customers if (c[0], c[1]) == (run["period_start"], run["period_end"]))
            active_share = half_up(active, n, 4) if n else "NULL"
        else:
            active_share = "NULL"
        source = str(max(int(r["run_id"]) for r in rows.values()))
        out.append([day, d.year, d.month, d.isocalendar()[1], d.isoweekday(), d.strftime("%A")] +
                   [half_up(cat(k), t, 4) if t else "NULL" for k in CATEGORIES] +
                   [active_share, finished.get(source, "NULL")])
elif view == "v_last_load":
    r = max(ok, key=lambda r: (r["finished_at"], int(r["run_id"])))
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    seconds = (datetime.datetime.strptime(r["finished_at"], fmt) - datetime.datetime.strptime(r["started_at"], fmt))
    out.append([r["run_id"], r["period_start"], r["period_end"], r["selected_days"], r["started_at"],
                r["finished_at"], f"{seconds.total_seconds():.4f}", r["ranks"], r["records"], r["contracts"]])
print("\n".join("\t".join(str(v) for v in row) for row in out))
PY
}

wh_eq "v_customer_segment" "$(wh_q "SELECT period_start, period_end, HEX(Contract), ChildDuration, MovieDuration,
    SportDuration, TVDuration, RelaxDuration, TotalDuration, MostWatch, Taste, DateCount, Activeness, Segment,
    segment_rank, run_id FROM v_customer_segment ORDER BY period_start, period_end, contract_bytes")" \
  "$(expected v_customer_segment)"
wh_eq "v_customer_segment: the text Contract is the bytes" \
  "$(wh_q "SELECT COUNT(*) FROM v_customer_segment WHERE CAST(Contract AS BINARY) <> contract_bytes")" "0"
wh_eq "v_period_metrics" "$(wh_q "SELECT period_start, period_end, customers, total_duration, child_duration,
    movie_duration, sport_duration, tv_duration, relax_duration, avg_duration_per_person_per_month,
    avg_duration_per_person_per_week, avg_duration_per_person_per_day, run_id, selected_days, loaded_at
    FROM v_period_metrics ORDER BY period_start, period_end")" "$(expected v_period_metrics)"
wh_eq "v_segment_summary" "$(wh_q "SELECT period_start, period_end, Segment, segment_rank, customers, total_duration,
    customer_share, avg_duration_per_customer, min_date_count, max_date_count
    FROM v_segment_summary ORDER BY period_start, period_end, segment_rank")" "$(expected v_segment_summary)"
wh_eq "v_category_summary" "$(wh_q "SELECT period_start, period_end, category, category_rank, total_duration,
    share_of_total, viewers, most_watch_customers
    FROM v_category_summary ORDER BY period_start, period_end, category_rank")" "$(expected v_category_summary)"
wh_eq "v_daily_statistics" "$(wh_q "SELECT stat_date, stat_year, stat_month, iso_week, iso_weekday, day_name,
    child_share, movie_share, sport_share, tv_share, relax_share, active_share_of_period, source_loaded_at
    FROM v_daily_statistics ORDER BY stat_date")" "$(expected v_daily_statistics)"
wh_eq "v_daily_statistics carries the mart" \
  "$(wh_q "SELECT COUNT(*) FROM v_daily_statistics AS v JOIN daily_statistics AS d USING (stat_date)
      WHERE v.sessions = d.sessions AND v.total_duration = d.total_duration AND v.loyal_customers <=> d.loyal_customers
        AND v.avg_duration_per_active_customer <=> d.avg_duration_per_active_customer")" \
  "$(wh_q "SELECT COUNT(*) FROM daily_statistics")"
wh_eq "v_last_load" "$(wh_q "SELECT run_id, period_start, period_end, selected_days, started_at, finished_at,
    duration_seconds, ranks, records, contracts FROM v_last_load")" "$(expected v_last_load)"

# A newer successful run becomes the last load; a newer failed or running one does not.
wh_sql -e "INSERT INTO etl_run (run_id, period_start, period_end, selected_days, started_at, finished_at, status)
  VALUES (10, '2022-05-01', '2022-05-31', 31, '2030-01-01 00:00:00', '2030-01-01 00:01:00', 'failed'),
         (11, '2022-05-01', '2022-05-31', 31, '2030-01-02 00:00:00', NULL, 'running')"
wh_eq "v_last_load ignores failed and running runs" "$(wh_q "SELECT run_id FROM v_last_load")" "2"
wh_sql -e "UPDATE etl_run SET status = 'ok', finished_at = '2030-01-02 00:02:30.5' WHERE run_id = 11"
wh_eq "v_last_load follows a new successful run" "$(wh_q "SELECT run_id, duration_seconds FROM v_last_load")" "11	150.5000"

wh_eq "v_last_load names its period by key" "$(wh_q "SELECT period_key FROM v_last_load")" "2022-05-01..2022-05-31"

# A list of days with the same first and last day as a loaded range is a period of its own in
# every view: nothing of the range's figures changes, and the list shows its own.
range=$(wh_q "SELECT period_key FROM v_period_metrics ORDER BY customers DESC LIMIT 1")
before=$(wh_q "SELECT * FROM v_period_metrics ORDER BY period_key; SELECT * FROM v_segment_summary ORDER BY period_key, segment_rank;
    SELECT * FROM v_category_summary ORDER BY period_key, category_rank")
start=${range%%..*} end=${range#*..}
list="$range/$(python3 -c "
from datetime import date
s, e = date.fromisoformat('$start'), date.fromisoformat('$end')
n = (e - s).days + 1
bits = [1 if i in (0, n - 1) else 0 for i in range(n)] + [0] * (-n % 4)
print(''.join('%x' % int(''.join(map(str, bits[i:i + 4])), 2) for i in range(0, len(bits), 4)))")"
wh_sql -e "INSERT INTO etl_run (run_id, period_start, period_end, period_key, selected_days, selected_dates, started_at,
    finished_at, status) VALUES (20, '$start', '$end', '$list', 2, '$start,$end', '2029-01-01', '2029-01-01 00:00:01', 'ok');
  INSERT INTO customer_behavior (period_start, period_end, period_key, Contract, ChildDuration, MovieDuration,
    SportDuration, TVDuration, RelaxDuration, MostWatch, Taste, DateCount, Activeness, run_id)
  VALUES ('$start', '$end', '$list', 'only-in-the-list', 0, 0, 0, 60, 0, 'TV', 'TV', 2, 100.00, 20);
  CALL summarise_period('$list', 20)" # as the loader would
wh_eq "the range's figures are untouched by the list" "$(wh_q "SELECT * FROM v_period_metrics WHERE period_key <> '$list'
    ORDER BY period_key; SELECT * FROM v_segment_summary WHERE period_key <> '$list' ORDER BY period_key, segment_rank;
    SELECT * FROM v_category_summary WHERE period_key <> '$list' ORDER BY period_key, category_rank")" "$before"
wh_eq "the list is a period of its own" "$(wh_q "SELECT period_start, period_end, customers, total_duration, selected_days,
    selected_dates FROM v_period_metrics WHERE period_key = '$list'")" "$start	$end	1	60	2	$start,$end"
wh_eq "its segment and category rows" "$(wh_q "SELECT Segment, customers FROM v_segment_summary WHERE period_key = '$list';
    SELECT category, total_duration FROM v_category_summary WHERE period_key = '$list' AND total_duration > 0")" \
  "At Risk Customer	1
TV	60"

echo "ok: all six views equal the independent computation; they key periods by period_key"
