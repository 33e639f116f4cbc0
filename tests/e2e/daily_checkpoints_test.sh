#!/usr/bin/env bash
# e2e: bda-etl --checkpoints DIR as a daily job would use it. On a dirty 5-day lake, a run over
# 04-01..04-0D with checkpoints (at a rank count that changes from day to day) writes the same CSV,
# --daily CSV and quarantine as a full run without checkpoints, parsing only day D. Then: a changed
# day file is parsed again; every kind of damaged checkpoint (truncated, a flipped byte in a block,
# in the rejected lines, in the footer and in the trailer, garbage, another format version) is
# reported on stderr, rebuilt and reused by the next run; another --mapping rebuilds every day;
# --refresh-checkpoints parses every day; a checkpoint never stands in for a deleted day file.
#   bash tests/e2e/daily_checkpoints_test.sh <bin dir> <source dir>
set -euo pipefail

bin_dir=${1:?usage: daily_checkpoints_test.sh <bin dir> <source dir>}
etl="$bin_dir/bda-etl"
gen="$bin_dir/bda-gen"
readonly FROM=2022-04-01 LINES_PER_DAY=20000 DIRTY_SHARE=0.1 CUSTOMERS=5000 SEED=20220401
readonly DAILY_RANKS=(1 2 3 4 5) # day D's run uses DAILY_RANKS[D-1] ranks
readonly MPI_TIMEOUT=60
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1} OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}

work=$(mktemp -d "${TMPDIR:-/tmp}/bda-daily-checkpoints.XXXXXX")
trap 'rm -rf "$work"' EXIT
lake="$work/lake"
ckpt="$work/ckpt"
out="$work/out"
mkdir -p "$out"

fail() { echo "daily_checkpoints_test: FAIL: $*" >&2; exit 1; }
[[ -x "$etl" ]] || fail "no bda-etl at $etl"
[[ -x "$gen" ]] || fail "no bda-gen at $gen"
command -v python3 >/dev/null || fail "python3 is needed to read the JSON summaries"
command -v mpirun >/dev/null || fail "mpirun is needed"

to_date() { printf '2022-04-%02d' "$1"; }                 # 3 -> 2022-04-03
ckpt_of() { printf '%s/202204%02d.ckpt' "$ckpt" "$1"; }   # 3 -> $ckpt/20220403.ckpt
day_file() { printf '%s/202204%02d.json' "$lake" "$1"; }

# A rank count for each checkpointed run after the daily ones: 1, 2, 3, 4, 1, 2, ...
next_np=0
np() { next_np=$((next_np % 4 + 1)); }

# run NAME NP TO [args...]: bda-etl over FROM..TO into $out/NAME.{csv,daily.csv,tsv,json,err};
# NP 0 runs it without mpirun. Fails the test when it does not exit 0.
run() {
  local name=$1 n=$2 to=$3 rc=0
  shift 3
  local launcher=()
  ((n > 0)) && launcher=(timeout -k 10 "$MPI_TIMEOUT" mpirun --oversubscribe -np "$n")
  "${launcher[@]}" "$etl" --lake "$lake" --from "$FROM" --to "$to" --max-rejects none --progress none \
    --out "$out/$name.csv" --daily "$out/$name.daily.csv" --quarantine "$out/$name.tsv" --summary "$out/$name.json" \
    "$@" 2>"$out/$name.err" || rc=$?
  [[ $rc -ne 124 ]] || fail "$name: bda-etl at $n ranks did not finish within ${MPI_TIMEOUT}s"
  if [[ $rc -ne 0 ]]; then
    cat "$out/$name.err" >&2
    fail "$name: bda-etl ($n ranks, --to $to $*) exited with $rc"
  fi
}

# full NAME TO [args...]: the reference, without checkpoints.
full() { local name=$1 to=$2; shift 2; run "$name" 0 "$to" "$@"; }
# daily NAME NP TO [args...]: with --checkpoints $ckpt.
daily() { local name=$1 n=$2 to=$3; shift 3; run "$name" "$n" "$to" --checkpoints "$ckpt" "$@"; }

# same_outputs RUN REFERENCE: byte-identical CSV, --daily CSV and quarantine; equal counts.
same_outputs() {
  local f
  for f in csv daily.csv tsv; do
    if ! cmp -s "$out/$2.$f" "$out/$1.$f"; then
      echo "first differing lines of $1.$f and $2.$f:" >&2
      diff "$out/$2.$f" "$out/$1.$f" | head -n 10 >&2 || true
      fail "$1: the $f differs from the one of the run without checkpoints ($2)"
    fi
  done
}

# check RUN REFERENCE REUSED PARSED [DATE=reused | DATE=parsed:REGEX]...: the run's summary counts
# equal the reference's, its checkpoints block says REUSED of them reused and PARSED parsed, each
# listed day has that action (and a reason matching REGEX from its start), and every day not
# listed was reused. Also the closing stderr line. Then same_outputs.
check() {
  local name=$1 ref=$2 reused=$3 parsed=$4
  shift 4
  python3 - "$out/$name.json" "$out/$ref.json" "$ckpt" "$reused" "$parsed" "$@" <<'EOF' ||
import json, re, sys
run_path, ref_path, ckpt_dir, reused, parsed = sys.argv[1:6]
specs = dict(a.split('=', 1) for a in sys.argv[6:])
run, ref = json.load(open(run_path)), json.load(open(ref_path))
errors = []
def expect(what, got, want):
    if got != want:
        errors.append(f"{what}: got {got!r}, expected {want!r}")
expect("status", run.get("status"), "ok")
for key in ("read", "blank", "records", "rejected", "rejects"):
    expect(f"lines.{key}", run["lines"][key], ref["lines"][key])
expect("contracts", run["contracts"], ref["contracts"])
expect("period.days", run["period"]["days"], ref["period"]["days"])
expect("input.files", run["input"]["files"], ref["input"]["files"])
c = run.get("checkpoints")
if c is None:
    errors.append("the summary has no checkpoints block")
else:
    expect("checkpoints.directory", c["directory"], ckpt_dir)
    expect("checkpoints.reused", c["reused"], int(reused))
    expect("checkpoints.parsed", c["parsed"], int(parsed))
    expect("checkpoints.days (dates)", [d["date"] for d in c["days"]], [f["date"] for f in ref["input"]["day_files"]])
    for d in c["days"]:
        want = specs.pop(d["date"], "reused")
        action, _, reason = want.partition(":")
        expect(f"checkpoints.days {d['date']} action", d["action"], action)
        if action == "reused":
            expect(f"checkpoints.days {d['date']} reason", d["reason"], None)
        elif not isinstance(d["reason"], str) or not re.match(reason, d["reason"]):
            errors.append(f"checkpoints.days {d['date']} reason: got {d['reason']!r}, expected one matching {reason!r}")
    for date in specs:
        errors.append(f"checkpoints.days has no entry for {date}")
for e in errors:
    print(f"  {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
    fail "$name: the summary is wrong (see above; $out/$name.json vs $out/$ref.json)"
  local total last
  total=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["input"]["day_files"]))' "$out/$ref.json")
  last=$(tail -n 1 "$out/$name.err")
  [[ "$last" == *"; $reused of $total days from checkpoints" ]] ||
    fail "$name: the closing stderr line does not end in '; $reused of $total days from checkpoints': '$last'"
  same_outputs "$name" "$ref"
}

# no_warning RUN: nothing about damaged checkpoints on stderr.
no_warning() {
  if grep -q 'warning' "$out/$1.err"; then cat "$out/$1.err" >&2; fail "$1: unexpected warning on stderr"; fi
}

# only_checkpoints: the directory holds one YYYYMMDD.ckpt per day built so far and nothing else
# (no temporary left behind).
only_checkpoints() {
  local stray
  stray=$(find "$ckpt" -mindepth 1 ! -name '202204[0-9][0-9].ckpt' -print)
  [[ -z "$stray" ]] || fail "$1: stray files in the checkpoint directory: $stray"
}

# --- the lake: 5 dirty days
"$gen" --out "$lake" --from "$FROM" --to "$(to_date 5)" --lines-per-day "$LINES_PER_DAY" --dirty-share "$DIRTY_SHARE" \
  --customers "$CUSTOMERS" --seed "$SEED" --quiet || fail "bda-gen failed"
for d in 1 2 3 4 5; do [[ -s "$(day_file "$d")" ]] || fail "bda-gen wrote no $(day_file "$d")"; done

# --- day by day: each run parses only the new day and writes what a full run writes
for d in 1 2 3 4 5; do
  n=${DAILY_RANKS[d - 1]}
  full "full$d" "$(to_date "$d")"
  daily "daily$d" "$n" "$(to_date "$d")"
  check "daily$d" "full$d" $((d - 1)) 1 "$(to_date "$d")=parsed:no checkpoint$"
  no_warning "daily$d"
  [[ -s "$(ckpt_of "$d")" ]] || fail "daily$d: no checkpoint $(ckpt_of "$d") written"
  only_checkpoints "daily$d"
done
# The same period again, at another rank count: every day from its checkpoint.
daily again 3 "$(to_date 5)"
check again full5 5 0
no_warning again

# --- damaged checkpoints: reported, rebuilt (the outputs stay those of a full run), reused again
flip_byte() { # flip_byte FILE OFFSET (negative: from the end)
  python3 - "$1" "$2" <<'EOF'
import sys
path, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(path, 'rb').read())
b[at] ^= 0x5A
open(path, 'wb').write(bytes(b))
EOF
}
footer_field() { # footer_field FILE PYTHON-EXPR-OF-f: prints a value of the checkpoint's footer JSON
  python3 - "$1" "$2" <<'EOF'
import json, struct, sys
b = open(sys.argv[1], 'rb').read()
n, = struct.unpack('<Q', b[-20:-12])
f = json.loads(b[-20 - n:-20])
print(eval(sys.argv[2]))
EOF
}
set_version() { # set_version FILE VERSION: rewrites the footer's version with a valid CRC and length
  python3 - "$1" "$2" <<'EOF'
import json, struct, sys, zlib
path, version = sys.argv[1], int(sys.argv[2])
b = open(path, 'rb').read()
assert b[-8:] == b'BDACKEND', 'not a checkpoint'
n, crc = struct.unpack('<QI', b[-20:-8])
footer = b[-20 - n:-20]
assert zlib.crc32(footer) == crc, 'footer checksum'
f = json.loads(footer)
f['version'] = version
new = json.dumps(f, separators=(',', ':')).encode()
open(path, 'wb').write(b[:-20 - n] + new + struct.pack('<QI', len(new), zlib.crc32(new)) + b'BDACKEND')
EOF
}

# damage KIND DAY REASON-REGEX: damages day DAY's checkpoint, runs, checks, runs again.
damage() {
  local kind=$1 d=$2 regex=$3 file size
  file=$(ckpt_of "$d")
  size=$(stat -c %s "$file")
  case $kind in
    truncated) truncate -s $((size / 2)) "$file" ;;
    middle) flip_byte "$file" $((size / 2)) ;;
    block) flip_byte "$file" "$(footer_field "$file" 'f["blocks"][-1][0] + 12 + f["blocks"][-1][1] // 2')" ;;
    footer) flip_byte "$file" -30 ;;   # in the footer JSON (the last 40 bytes)
    trailer) flip_byte "$file" -10 ;;  # in the footer's CRC
    garbage) python3 -c 'import random, sys; random.seed(7); open(sys.argv[1], "wb").write(bytes(random.randrange(256) for _ in range(int(sys.argv[2]))))' "$file" "$size" ;;
    version) set_version "$file" 999 ;;
    *) fail "unknown damage $kind" ;;
  esac
  local name="damaged-$kind"
  np
  daily "$name" "$next_np" "$(to_date 5)"
  grep -qF "bda-etl: warning: $file: " "$out/$name.err" || {
    cat "$out/$name.err" >&2
    fail "$name: stderr does not name the damaged checkpoint $file"
  }
  grep -F "bda-etl: warning: $file: " "$out/$name.err" | grep -q 'parsing .* again' ||
    fail "$name: the warning about $file does not say the day is parsed again"
  check "$name" full5 4 1 "$(to_date "$d")=parsed:$regex"
  np
  daily "$name-after" "$next_np" "$(to_date 5)"
  check "$name-after" full5 5 0
  no_warning "$name-after"
  only_checkpoints "$name-after"
}
damage truncated 2 'checkpoint unusable: truncated'
# The middle of a day's checkpoint lies in its rejected lines here (a tenth of the lines are dirty),
# which a run with --quarantine checks (on rank 0) before it uses the day.
damage middle 3 'checkpoint (unusable|damaged): .*checksum'
damage block 4 'checkpoint damaged: block [0-9]+ checksum mismatch'
damage footer 5 'checkpoint unusable: (footer checksum mismatch|corrupt footer)'
damage trailer 1 'checkpoint unusable: footer checksum mismatch'
damage garbage 2 'checkpoint unusable: not a checkpoint file'
damage version 3 'checkpoint unusable: format version 999'

# --- a corrected day file is parsed again
"$gen" --out "$lake" --date "$(to_date 3)" --lines-per-day "$LINES_PER_DAY" --dirty-share "$DIRTY_SHARE" \
  --customers "$CUSTOMERS" --seed $((SEED + 1)) --quiet || fail "bda-gen (the corrected day) failed"
full full5b "$(to_date 5)"
cmp -s "$out/full5.csv" "$out/full5b.csv" && fail "the corrected day 3 changes nothing in the CSV; pick another seed"
np
daily corrected "$next_np" "$(to_date 5)"
check corrected full5b 4 1 "$(to_date 3)=parsed:day file changed: "
np
daily corrected-after "$next_np" "$(to_date 5)"
check corrected-after full5b 5 0
# Only touched: the modification time is enough to parse it again.
touch -d '2022-04-06 00:00:00' "$(day_file 4)"
np
daily touched "$next_np" "$(to_date 5)"
check touched full5b 4 1 "$(to_date 4)=parsed:day file changed: modification time"
no_warning touched

# --- another mapping: the default one plus one AppName (YOUTUBE, an unknown_app in the export)
cat >"$work/mapping.json" <<'EOF'
{"TV": ["CHANNEL", "KPLUS", "DSHD"],
 "Movie": ["MOVIE", "VOD", "FIMS", "BHD", "DANET", "FIMS_RES", "BHD_RES", "VOD_RES"],
 "Child": ["CHILD"], "Relax": ["RELAX", "YOUTUBE"], "Sport": ["SPORT"]}
EOF
full full-mapping "$(to_date 5)" --mapping "$work/mapping.json"
cmp -s "$out/full5b.csv" "$out/full-mapping.csv" && fail "the extra AppName changes nothing in the CSV"
# all_parsed REGEX: sets specs to "every day parsed for a reason matching REGEX".
all_parsed() { local d; specs=(); for d in 1 2 3 4 5; do specs+=("$(to_date "$d")=parsed:$1"); done; }
np
daily mapping "$next_np" "$(to_date 5)" --mapping "$work/mapping.json"
all_parsed 'settings changed'
check mapping full-mapping 0 5 "${specs[@]}"
np
daily mapping-after "$next_np" "$(to_date 5)" --mapping "$work/mapping.json"
check mapping-after full-mapping 5 0
# Back to the default mapping: the checkpoints are of the other one now.
np
daily mapping-back "$next_np" "$(to_date 5)"
all_parsed 'settings changed'
check mapping-back full5b 0 5 "${specs[@]}"
no_warning mapping-back

# --- --refresh-checkpoints parses every day, and the checkpoints it writes are used next time
np
daily refresh "$next_np" "$(to_date 5)" --refresh-checkpoints
all_parsed '--refresh-checkpoints$'
check refresh full5b 0 5 "${specs[@]}"
np
daily refresh-after "$next_np" "$(to_date 5)"
check refresh-after full5b 5 0

# --- a day file deleted (one in the middle): its checkpoint does not stand in for it
rm "$(day_file 3)"
[[ -s "$(ckpt_of 3)" ]] || fail "the checkpoint of day 3 is gone before its day file"
rc=0
timeout -k 10 "$MPI_TIMEOUT" mpirun --oversubscribe -np 2 "$etl" --lake "$lake" --from "$FROM" --to "$(to_date 5)" \
  --max-rejects none --progress none --checkpoints "$ckpt" --out "$out/deleted.csv" 2>"$out/deleted.err" || rc=$?
[[ $rc -ne 124 ]] || fail "deleted: bda-etl did not finish within ${MPI_TIMEOUT}s"
[[ $rc -ne 0 ]] || fail "deleted: bda-etl succeeded although the day file of $(to_date 3) is gone (its checkpoint stood in)"
grep -q "no day file for $(to_date 3)" "$out/deleted.err" ||
  { cat "$out/deleted.err" >&2; fail "deleted: the error does not name the missing day $(to_date 3)"; }
[[ ! -e "$out/deleted.csv" ]] || fail "deleted: a CSV was written by the failed run"
full full-missing "$(to_date 5)" --allow-missing-days
np
daily missing "$next_np" "$(to_date 5)" --allow-missing-days
check missing full-missing 4 0
python3 - "$out/missing.json" <<'EOF' || fail "missing: the summary does not list $(to_date 3) as missing"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["period"]["missing_days"] == ["2022-04-03"], s["period"]["missing_days"]
assert s["period"]["days"] == 5, s["period"]["days"]
EOF

echo "PASS: daily checkpoints: runs over 1..5 days at ${DAILY_RANKS[*]} ranks match full runs; changed day files," \
  "damaged checkpoints (truncated, middle, block, footer, trailer, garbage, version), another mapping," \
  "--refresh-checkpoints and a deleted day file all handled"
