#!/usr/bin/env bash
# bda-report end to end: a generated month (plus customers with hostile ids) loaded by bda-etl at
# 2 ranks into a database of its own on the bda_db fixture's server, then the report run as the
# read-only account. Checks the PDF (pages render, text holds the key figures and chart labels),
# the HTML (figures, escaping, nothing external), the workbook (sheets, one row per customer,
# figures equal to the same queries run with the mariadb client, native charts) and the errors
# (bad options exit 2; no data, no Chromium, a wrong password exit 1 and leave no files).
# Usage: report_test.sh <bin dir> <source dir> <db dir>
#   BDA_UPDATE_SCREENSHOTS=1 also saves the first PDF page as docs/img/report-page1.png;
#   BDA_REPORT_KEEP=1 keeps the database and the work folder for a post-mortem.
set -euo pipefail
BIN=${1:?usage: report_test.sh <bin dir> <source dir> <db dir>}
SRC=${2:?}
DBDIR=${3:?}
[[ -f $DBDIR/env ]] || { echo "FAIL: no $DBDIR/env: the private server is not running (fixture bda_db)" >&2; exit 1; }
# shellcheck disable=SC1091
source "$DBDIR/env"

fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in python3 pdftoppm pdftotext mpirun mariadb; do
  command -v "$tool" >/dev/null || fail "$tool is needed (pdftoppm/pdftotext: Debian package poppler-utils)"
done
[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium is needed (Debian package chromium)"

T=$(mktemp -d)
DB="bda_rep_$$"
LOADER="rep_load_$$"
REPORT="rep_read_$$"
admin() { mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user=root "$@"; }
cleanup() {
  local rc=$?
  if [[ ${BDA_REPORT_KEEP:-0} == 1 ]]; then
    echo "kept database $DB and $T" >&2
  else
    admin -e "DROP DATABASE IF EXISTS \`$DB\`; DROP USER IF EXISTS '$LOADER'@'localhost', '$LOADER'@'127.0.0.1',
              '$REPORT'@'localhost', '$REPORT'@'127.0.0.1'" 2>/dev/null || true
    rm -rf "$T"
  fi
  exit "$rc"
}
trap cleanup EXIT
step_start=$SECONDS
step() { echo "report_test: $1 ($((SECONDS - step_start)) s)" >&2; step_start=$SECONDS; }

# --- a warehouse with one loaded month ---------------------------------------------------------
admin -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4"
"$BIN/bda-etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user root --db-name "$DB" 2>"$T/init.err" ||
  fail "--init-db: $(cat "$T/init.err")"
bash "$SRC/scripts/db.sh" accounts "$DBDIR" --database "$DB" --loader-user "$LOADER" --report-user "$REPORT" \
  --password-dir "$T" >/dev/null 2>&1 || fail "db.sh accounts"

"$BIN/bda-gen" --out "$T/lake" --month 2022-04 --lines-per-day 20000 --dirty-share 0.01 --seed 5 --quiet
# Customers whose ids must be escaped everywhere, watching enough every day to be in the top ten.
python3 - "$T/lake" <<'PY'
import json, sys
ids = ["<script>alert(1)</script>", "a&b \"q\" 'x'", "nul\u0000byte", "cr\rlf\nx", "emoji\U0001F600"]
for day in range(1, 31):
    with open(f"{sys.argv[1]}/202204{day:02d}.json", "a", encoding="utf-8") as f:
        for i, c in enumerate(ids):
            app = ["KPLUS", "VOD", "SPORT"][i % 3]
            hit = {"_source": {"Contract": c, "AppName": app, "TotalDuration": 400_000 + i}}
            f.write(json.dumps(hit) + "\n")
PY
timeout 120 mpirun -np 2 --oversubscribe "$BIN/bda-etl" --lake "$T/lake" --month 2022-04 --out "$T/etl/out.csv" \
  --daily "$T/etl/daily.csv" --quiet --db-socket "$BDA_DB_SOCKET" --db-user "$LOADER" \
  --db-password-file "$T/$LOADER.password" --db-name "$DB" || fail "bda-etl did not load the month"
step "loaded a generated April into $DB"

# --- the report, as the read-only account over TCP ---------------------------------------------
report() { # report OUT_DIR [extra options]
  local out=$1
  shift
  "$BIN/bda-report" --period-start 2022-04-01 --period-end 2022-04-30 --out-dir "$out" \
    --db-host 127.0.0.1 --db-port "$BDA_DB_PORT" --db-user "$REPORT" --db-password-file "$T/$REPORT.password" \
    --db-name "$DB" "$@"
}
t0=$(date +%s.%N)
report "$T/r" 2>"$T/report.err" || fail "bda-report failed: $(cat "$T/report.err")"
t1=$(date +%s.%N)
echo "report_test: bda-report took $(python3 -c "print(f'{$t1 - $t0:.1f}')") s" >&2
for f in report.html report.pdf report.xlsx; do [[ -s $T/r/$f ]] || fail "no $f"; done
leftovers=$(find "$T/r" -name '.*tmp*')
[[ -z $leftovers ]] || fail "temporary files left: $leftovers"
leftover_profiles=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'bda-report-chromium-*' -newer "$T/init.err" 2>/dev/null)
[[ -z $leftover_profiles ]] || fail "browser profiles left: $leftover_profiles"
if pgrep -f "user-data-dir=${TMPDIR:-/tmp}/bda-report-chromium-" >/dev/null; then fail "a Chromium is still running"; fi
grep -q "customers, total duration" "$T/report.err" || fail "no closing line: $(cat "$T/report.err")"

# The figures straight from the views, with the mariadb client.
q() { admin -N -B "$DB" -e "$1"; }
read -r customers total per_month per_week per_day < <(q "SELECT customers, total_duration,
  avg_duration_per_person_per_month, avg_duration_per_person_per_week, avg_duration_per_person_per_day
  FROM v_period_metrics WHERE period_start = '2022-04-01' AND period_end = '2022-04-30'")
[[ $customers -gt 5000 ]] || fail "only $customers customers loaded: too few for two pages of customer rows"
group() { python3 -c "import sys; print(f'{int(sys.argv[1]):,}')" "$1"; }
customers_txt=$(group "$customers")
total_txt=$(group "$total")
q "SELECT Segment, customers FROM v_segment_summary WHERE period_start = '2022-04-01'
   AND period_end = '2022-04-30' ORDER BY segment_rank" >"$T/segments.tsv"
q "SELECT COUNT(*) FROM daily_statistics WHERE stat_date BETWEEN '2022-04-01' AND '2022-04-30'" >"$T/days.txt"
q "SELECT HEX(contract_bytes) FROM v_customer_segment WHERE period_start = '2022-04-01'
   AND period_end = '2022-04-30' ORDER BY contract_bytes" >"$T/contracts.hex"
step "report written: $customers_txt customers, total duration $total_txt s"

# --- report.pdf -----------------------------------------------------------------------------------
pdftoppm -png -r 50 "$T/r/report.pdf" "$T/page" || fail "pdftoppm cannot render report.pdf"
pages=$(find "$T" -maxdepth 1 -name 'page-*.png' | wc -l)
[[ $pages -ge 2 ]] || fail "report.pdf rendered to $pages PNG pages"
pdftotext -layout "$T/r/report.pdf" "$T/report.txt" || fail "pdftotext cannot read report.pdf"
per_month_txt=$(python3 -c "import sys; print(f'{float(sys.argv[1]):,.2f}')" "$per_month")
for figure in "$customers_txt" "$total_txt" "$per_month_txt"; do
  grep -qF -- "$figure" "$T/report.txt" || fail "report.pdf does not show $figure"
done
# Axis names that only the charts draw: the charts were rendered before printing.
for label in "Activeness (%)" "Active per day" "Hours watched"; do
  grep -qF -- "$label" "$T/report.txt" || fail "report.pdf lacks the chart text '$label': charts not rendered?"
done
for topic in Overview. Segments. Categories. Activity. Activeness.; do
  grep -qF -- "$topic" "$T/report.txt" || fail "report.pdf lacks the summary paragraph $topic"
done
if [[ ${BDA_UPDATE_SCREENSHOTS:-0} == 1 ]]; then
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$T/r/report.pdf" "$T/shot"
  mkdir -p "$SRC/docs/img"
  cp "$T/shot.png" "$SRC/docs/img/report-page1.png"
  echo "report_test: updated docs/img/report-page1.png" >&2
fi
step "report.pdf: $pages pages, figures and chart labels present"

# --- report.html ----------------------------------------------------------------------------------
html=$T/r/report.html
for figure in "$customers_txt" "$total_txt" "Apache ECharts" 'id="chart-daily-active"' 'renderer: '"'svg'"; do
  grep -qF -- "$figure" "$html" || fail "report.html lacks $figure"
done
url_attribute="(src|href)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*(https?:)?//"
if grep -Eiq "$url_attribute" "$html"; then
  fail "report.html loads something from outside: $(grep -Eio "${url_attribute}[^\"' >]*" "$html" | head -3)"
fi
# The page's own elements (script bodies are opaque to the parser): nothing that loads a resource.
python3 - "$html" <<'PY' || fail "report.html refers to an outside resource"
import sys
from html.parser import HTMLParser

class Check(HTMLParser):
    def handle_starttag(self, tag, attrs):
        names = {k for k, _ in attrs}
        assert tag not in ("link", "img", "iframe", "object", "embed", "base"), f"<{tag}> in report.html"
        assert not names & {"src", "href", "srcset", "data", "action", "background"}, f"<{tag} {attrs}>"

Check().feed(open(sys.argv[1], encoding="utf-8").read())
PY
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$html" || fail "the <script> contract is not escaped in report.html"
grep -qF '<script>alert(1)' "$html" && fail "report.html holds the raw <script> contract"
grep -qF 'a&amp;b &quot;q&quot; &#39;x&#39;' "$html" || fail "the a&b contract is not escaped in report.html"
grep -qF 'nul\x00byte' "$html" || fail "the NUL of a contract is not shown as \\x00"
grep -qF 'cr\x0Dlf\x0Ax' "$html" || fail "CR/LF of a contract are not shown as \\x0D/\\x0A"
step "report.html: figures, escaping, nothing external"

# --- report.xlsx ----------------------------------------------------------------------------------
python3 - "$T/r/report.xlsx" "$customers" "$total" "$per_month" "$per_week" "$per_day" "$T/segments.tsv" \
  "$(cat "$T/days.txt")" "$T/contracts.hex" <<'PY' || fail "report.xlsx does not match the warehouse"
import re, sys, zipfile
from decimal import Decimal
from xml.etree import ElementTree as ET

path, customers, total, per_month, per_week, per_day, segments_tsv, days, contracts_hex = sys.argv[1:]
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
z = zipfile.ZipFile(path)
book = ET.fromstring(z.read("xl/workbook.xml"))
rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
target = {r.get("Id"): r.get("Target") for r in rels}
sheets = {s.get("name"): "xl/" + target[s.get("{%s}id" % NS["r"])]
          for s in book.find("m:sheets", NS)}
names = [s.get("name") for s in book.find("m:sheets", NS)]
assert names == ["Customers", "Segments", "Categories", "Metrics", "Daily"], names

def rows(name):
    """Each row as {column letter: text}; inline strings and numbers."""
    out = []
    for row in ET.fromstring(z.read(sheets[name])).iter("{%s}row" % NS["m"]):
        cells = {}
        for c in row:
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            if c.get("t") == "inlineStr":
                cells[col] = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
            else:
                v = c.find("m:v", NS)
                cells[col] = v.text if v is not None else ""
        out.append(cells)
    return out

cust = rows("Customers")
assert cust[0]["A"] == "Contract" and cust[0]["K"] == "Segment", cust[0]
assert len(cust) - 1 == int(customers), f"{len(cust) - 1} customer rows, {customers} customers"
# Every customer once, in Contract byte order (the rows come from the warehouse page by page).
def visible(raw):
    return "".join(f"\\x{ord(ch):02X}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in raw)
expected_contracts = [visible(bytes.fromhex(h.strip()).decode("utf-8")) for h in open(contracts_hex)]
sheet_contracts = [r["A"] for r in cust[1:]]
assert sheet_contracts == expected_contracts, "Customers rows differ from v_customer_segment in Contract order"
for c in ["<script>alert(1)</script>", "a&b \"q\" 'x'", "nul\\x00byte", "cr\\x0Dlf\\x0Ax"]:
    assert c in sheet_contracts, f"contract {c!r} missing from Customers"
assert sum(int(float(r[k])) for r in cust[1:] for k in "BCDEF") == int(total), "durations do not add up"

metrics = {r["A"]: r.get("B") for r in rows("Metrics")[1:]}
def num(x): return Decimal(x).quantize(Decimal("0.01"))
assert int(float(metrics["Customers"])) == int(customers), metrics["Customers"]
assert int(float(metrics["Total duration (s)"])) == int(total), metrics["Total duration (s)"]
assert num(metrics["Avg duration per person per month (s)"]) == num(per_month), metrics
assert num(metrics["Avg duration per person per week (s)"]) == num(per_week), metrics
assert num(metrics["Avg duration per person per day (s)"]) == num(per_day), metrics

expected = dict(line.rstrip("\n").split("\t") for line in open(segments_tsv))
seg = {r["A"]: r for r in rows("Segments")[1:]}
assert list(seg) == ["At Risk Customer", "Need Attention Customer", "Valuable Customer", "Loyal Customer"], list(seg)
for name, count in expected.items():
    assert int(float(seg[name]["C"])) == int(count), (name, seg[name], count)
assert sum(int(float(r["C"])) for r in seg.values()) == int(customers)

cats = [r["A"] for r in rows("Categories")[1:]]
assert cats == ["Child", "Movie", "Sport", "TV", "Relax"], cats
assert len(rows("Daily")) - 1 == int(days), f"Daily has {len(rows('Daily')) - 1} rows, the mart {days} days"

charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
kinds = sorted(re.search(rb"<c:(pie|bar|line)Chart>", z.read(n)).group(1).decode() for n in charts)
assert kinds == ["bar", "line", "pie"], kinds
PY
step "report.xlsx: sheets, $customers customer rows, Metrics and Segments equal the views, 3 charts"

# --- --no-pdf, --config and MYSQL_PWD -------------------------------------------------------------
printf 'db-host = 127.0.0.1\ndb-port = %s\ndb-user = %s\ndb-name = %s\n' "$BDA_DB_PORT" "$REPORT" "$DB" \
  >"$T/report.conf"
cp "$T/r/report.pdf" "$T/stale.pdf"
mkdir -p "$T/np" && cp "$T/stale.pdf" "$T/np/report.pdf"
MYSQL_PWD=$(cat "$T/$REPORT.password") "$BIN/bda-report" --config "$T/report.conf" --period-start 2022-04-01 \
  --period-end 2022-04-30 --out-dir "$T/np" --no-pdf --quiet 2>"$T/np.err" || fail "--no-pdf run: $(cat "$T/np.err")"
[[ -s $T/np/report.html && -s $T/np/report.xlsx ]] || fail "--no-pdf wrote no html/xlsx"
[[ ! -e $T/np/report.pdf ]] || fail "--no-pdf left an earlier report.pdf beside the new files"
[[ ! -s $T/np.err ]] || fail "--quiet still printed: $(cat "$T/np.err")"
step "--no-pdf with --config and MYSQL_PWD"

# --- errors ---------------------------------------------------------------------------------------
expect_exit() { # expect_exit CODE PATTERN bda-report args...
  local code=$1 pattern=$2 rc=0
  shift 2
  "$BIN/bda-report" "$@" >"$T/out.txt" 2>"$T/err.txt" || rc=$?
  [[ $rc == "$code" ]] || fail "bda-report $* exited $rc, expected $code: $(cat "$T/err.txt")"
  grep -qiE -- "$pattern" "$T/err.txt" || fail "bda-report $*: message lacks '$pattern': $(cat "$T/err.txt")"
}
ok=(--db-socket "$BDA_DB_SOCKET" --db-user "$REPORT" --db-password-file "$T/$REPORT.password" --db-name "$DB")
expect_exit 2 "--period-start.*2022-02-30" --period-start 2022-02-30 --period-end 2022-04-30 --out-dir "$T/e" "${ok[@]}"
expect_exit 2 "--period-end.*not a date" --period-start 2022-04-01 --period-end 30/04/2022 --out-dir "$T/e" "${ok[@]}"
expect_exit 2 "--period-end 2022-04-01 is before --period-start 2022-04-30" --period-start 2022-04-30 \
  --period-end 2022-04-01 --out-dir "$T/e" "${ok[@]}"
expect_exit 2 "--period-start is required" --period-end 2022-04-30 --out-dir "$T/e" "${ok[@]}"
expect_exit 2 "--out-dir is required" --period-start 2022-04-01 --period-end 2022-04-30 "${ok[@]}"
expect_exit 2 "--db-user is required" --period-start 2022-04-01 --period-end 2022-04-30 --out-dir "$T/e"
expect_exit 2 "--db-port" --period-start 2022-04-01 --period-end 2022-04-30 --out-dir "$T/e" --db-port 0 "${ok[@]}"
expect_exit 2 "unrecognised|unknown" --period-start 2022-04-01 --period-end 2022-04-30 --out-dir "$T/e" \
  --db-password x "${ok[@]}"
expect_exit 2 "--db-password-file" --period-start 2022-04-01 --period-end 2022-04-30 --out-dir "$T/e" \
  --db-user "$REPORT" --db-password-file "$T/missing.password"
expect_exit 1 "no data for the period 2022-04-01 to 2022-04-15.*loaded periods: 2022-04-01 to 2022-04-30" \
  --period-start 2022-04-01 --period-end 2022-04-15 --out-dir "$T/e" "${ok[@]}"
expect_exit 1 "chromium.*(Debian package: chromium)" --period-start 2022-04-01 --period-end 2022-04-30 \
  --out-dir "$T/e" --chromium "$T/no-such-chromium" "${ok[@]}"
[[ -z $(find "$T/e" -type f 2>/dev/null) ]] || fail "a failed run left files: $(find "$T/e" -type f)"
expect_exit 1 "cannot connect" --period-start 2022-04-01 --period-end 2022-04-30 --out-dir "$T/e" \
  --db-socket "$BDA_DB_SOCKET" --db-user "$REPORT" --db-password-file "$T/init.err" --db-name "$DB"
expect_exit 2 "--period: .*is not a period key" --period 2022-04-01/2022-04-30 --out-dir "$T/e" "${ok[@]}"
expect_exit 2 "not both" --period 2022-04-01..2022-04-30 --period-start 2022-04-01 --period-end 2022-04-30 \
  --out-dir "$T/e" "${ok[@]}"
step "bad options exit 2; no data, no Chromium and a wrong password exit 1 and leave no file"

# --- a period that is a list of days: selected by its key, with its own D ------------------------
list=2022-04-01..2022-04-15/8002 # days 1 and 15
timeout 120 mpirun -np 2 --oversubscribe "$BIN/bda-etl" --lake "$T/lake" --date 2022-04-01 --date 2022-04-15 \
  --out "$T/etl/list.csv" --quiet --db-socket "$BDA_DB_SOCKET" --db-user "$LOADER" \
  --db-password-file "$T/$LOADER.password" --db-name "$DB" || fail "bda-etl did not load the two days"
expect_exit 1 "no data for the period 2022-04-01 to 2022-04-15.*loaded periods: 2022-04-01 to 2022-04-30, 2022-04-01 to 2022-04-15 \(2 listed days: --period $list\)" \
  --period-start 2022-04-01 --period-end 2022-04-15 --out-dir "$T/e" "${ok[@]}"
"$BIN/bda-report" --period "$list" --out-dir "$T/list" --no-pdf "${ok[@]}" 2>"$T/list.err" ||
  fail "bda-report --period $list failed: $(cat "$T/list.err")"
list_customers=$(q "SELECT COUNT(*) FROM v_customer_segment WHERE period_key = '$list'")
[[ $list_customers -gt 0 ]] || fail "the list period holds no customers"
grep -q "(2 days selected: $list)" "$T/list/report.html" || fail "report.html does not name the 2 selected days"
grep -q "(2 selected days)" "$T/list/report.html" || fail "the summary does not count 2 selected days"
python3 - "$T/list/report.xlsx" "$list_customers" <<'PY' || fail "the list report.xlsx does not match the warehouse"
import re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1])
names = book.namelist()
sheets = sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
first = book.read(sheets[0]).decode()
rows = len(re.findall(r"<row ", first)) - 1  # the Customers sheet, minus its header
assert rows == int(sys.argv[2]), (rows, sys.argv[2])
PY
q "SELECT DateCount, Activeness FROM v_customer_segment WHERE period_key = '$list'" |
  awk '!(($1 == 1 && $2 == "50.00") || ($1 == 2 && $2 == "100.00")) { bad = 1 } END { exit bad }' ||
  fail "the list period's Activeness is not DateCount / 2"
step "a list of days is its own period: bda-report --period KEY, D = 2, $list_customers customers"
echo "report_test: all checks passed" >&2
