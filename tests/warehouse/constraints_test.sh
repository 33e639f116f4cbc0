#!/usr/bin/env bash
# warehouse: what customer_behavior, daily_usage and etl_run accept and refuse.
#  - Contract is bytes: 'abc', 'ABC' and 'abc ' are three customers; a 4-byte emoji, backslash,
#    quotes, \N, NULL, NUL, comma, CR/LF and a 1024-byte Contract round-trip through LOAD DATA LOCAL
#    (hex-encoded, UNHEX(@hex) in the column mapping), also as text through v_customer_segment;
#  - in strict mode an invalid Taste / MostWatch, a negative duration, an out-of-range Activeness or
#    DateCount, a MostWatch or Taste that disagrees with the durations are refused;
#  - LOAD DATA LOCAL skips such rows, or truncates a too long Contract, with a warning instead (it
#    implies IGNORE), so the loader must check the warnings; a staging table plus INSERT ... SELECT
#    fails the whole statement;
#  - Segment derives from DateCount at the SPEC section 5 edges 6/7, 13/14, 20/21;
#  - a period is its key: a day list and the range of the same span are two periods; a key must
#    start with the row's first..last; a writer that names no key writes the range.
#   bash tests/warehouse/constraints_test.sh <bin dir> <source dir> <db dir>
set -euo pipefail
source "$(dirname "$0")/wh_lib.sh"
wh_setup "$@" constraints

[[ $(wh_q "SELECT @@sql_mode") == *STRICT_TRANS_TABLES* ]] || wh_fail "the server is not in strict mode"

cols="period_start, period_end, Contract, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, MostWatch, Taste, DateCount, Activeness, run_id"
april="'2022-04-01', '2022-04-30'"
count() { wh_q "SELECT COUNT(*) FROM customer_behavior"; }

# --- byte-exact Contract: case and trailing spaces matter
wh_sql -e "INSERT INTO customer_behavior ($cols) VALUES
  ($april, 'abc', 0, 0, 0, 10, 0, 'TV', 'TV', 1, 3.33, 1),
  ($april, 'ABC', 0, 0, 0, 20, 0, 'TV', 'TV', 2, 6.67, 1),
  ($april, 'abc ', 0, 0, 0, 30, 0, 'TV', 'TV', 3, 10.00, 1)"
wh_eq "three distinct contracts" "$(wh_q "SELECT HEX(Contract), TVDuration FROM customer_behavior ORDER BY Contract")" \
  "414243	20
616263	10
61626320	30"
wh_eq "WHERE Contract = 'abc'" "$(wh_q "SELECT TVDuration FROM customer_behavior WHERE Contract = 'abc'")" "10"
wh_eq "WHERE Contract = 'abc '" "$(wh_q "SELECT TVDuration FROM customer_behavior WHERE Contract = 'abc '")" "30"
wh_must_fail "a second 'abc' in the period" "INSERT INTO customer_behavior ($cols) VALUES
  ($april, 'abc', 0, 0, 0, 5, 0, 'TV', 'TV', 1, 3.33, 1)"
# Another period, loaded by another run (each run loads one period: the key is run_id, Contract).
wh_sql -e "INSERT INTO customer_behavior ($cols) VALUES
  ('2022-05-01', '2022-05-31', 'abc', 0, 0, 0, 5, 0, 'TV', 'TV', 1, 3.23, 6)"

# --- round trip through LOAD DATA LOCAL: the loader's way of writing any bytes
python3 - "$WH_WORK" <<'PY'
import sys
contracts = [
    "\U0001F600",                 # 4-byte UTF-8
    "a\\b\"c'd",                  # backslash and both quotes
    "\\N",                        # LOAD DATA's NULL marker, as text
    "NULL",
    "x\x00y",                     # NUL
    "comma,and\r\nCRLF\ttab",
    "  lead and trail  ",
    "Ünïcödé ½",
    "x" * 1024,                   # the longest accepted
]
with open(f"{sys.argv[1]}/contracts.tsv", "w") as f:
    for c in contracts:
        f.write(c.encode().hex() + "\t0\t0\t7\t0\t0\tSport\tSport\t1\t3.33\n")
with open(f"{sys.argv[1]}/expected_hex.txt", "w") as f:
    f.write("\n".join(sorted(c.encode().hex().upper() for c in contracts)) + "\n")
with open(f"{sys.argv[1]}/too_long.tsv", "w") as f:
    f.write(("y" * 1025).encode().hex() + "\t0\t0\t7\t0\t0\tSport\tSport\t1\t3.33\n")
PY
load_hex() { # load_hex FILE PERIOD_START PERIOD_END: the hex-mapped LOAD DATA LOCAL
  printf '%s' "LOAD DATA LOCAL INFILE '$1' INTO TABLE customer_behavior
    FIELDS TERMINATED BY '\t' LINES TERMINATED BY '\n'
    (@contract_hex, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration,
     @most_watch, Taste, DateCount, Activeness)
    SET period_start = '$2', period_end = '$3', Contract = UNHEX(@contract_hex),
        MostWatch = NULLIF(@most_watch, ''), run_id = 2"
}
wh_load_local contracts.tsv "$(load_hex "$WH_WORK/contracts.tsv" 2022-06-01 2022-06-30)"
wh_eq "contracts after LOAD DATA LOCAL (hex, byte order)" \
  "$(wh_q "SELECT HEX(Contract) FROM customer_behavior WHERE period_start = '2022-06-01' ORDER BY Contract")" \
  "$(cat "$WH_WORK/expected_hex.txt")"
# The view shows the rows of the run loaded_period names for the period, as after a load.
wh_sql -e "CALL summarise_period('2022-06-01..2022-06-30', 2)"
wh_eq "contracts as text through v_customer_segment" \
  "$(wh_q "SELECT HEX(Contract) FROM v_customer_segment WHERE period_start = '2022-06-01' ORDER BY contract_bytes")" \
  "$(cat "$WH_WORK/expected_hex.txt")"
wh_eq "the emoji, looked up by value" "$(wh_q "SELECT LENGTH(Contract), CHAR_LENGTH(CONVERT(Contract USING utf8mb4))
    FROM customer_behavior WHERE Contract = UNHEX('F09F9880')")" "4	1"
before=$(count)
wh_must_fail "a 1025-byte Contract (strict INSERT)" "INSERT INTO customer_behavior ($cols) VALUES
  ($april, REPEAT('y', 1025), 0, 0, 7, 0, 0, 'Sport', 'Sport', 1, 3.33, 1)"
# LOAD DATA LOCAL implies IGNORE: the same value is truncated to 1024 bytes with a warning and the
# row lands. Hence the loader must treat any warning of its LOAD DATA LOCAL as a failed load.
warnings=$(wh_sql -N -B -e "$(load_hex "$WH_WORK/too_long.tsv" 2022-06-01 2022-06-30); SHOW WARNINGS")
[[ $warnings == *"'Contract'"* ]] || wh_fail "a 1025-byte Contract loaded without a warning: $warnings"
wh_eq "LOAD DATA LOCAL truncated it (with the warning above)" "$(count)" "$((before + 1))"
wh_sql -e "DELETE FROM customer_behavior WHERE Contract LIKE 'yyy%'"
wh_eq "rows after the refused Contracts" "$(count)" "$before"

# --- refused in strict mode (each row is otherwise valid)
refuse() { # refuse WHAT VALUES...: the INSERT must fail and leave the table as it was
  local n
  n=$(count)
  wh_must_fail "$1" "INSERT INTO customer_behavior ($cols) VALUES ($april, 'bad', $2, 1)"
  wh_eq "$1: rows" "$(count)" "$n"
}
wh_sql -e "INSERT INTO customer_behavior ($cols) VALUES ($april, 'good', 0, 0, 0, 1, 0, 'TV', 'TV', 1, 3.33, 1)"
wh_sql -e "DELETE FROM customer_behavior WHERE Contract = 'good'" # the template row itself is valid
refuse "an unknown Taste" "0, 0, 0, 1, 0, 'TV', 'Kids', 1, 3.33"
refuse "a Taste out of canonical order" "0, 5, 0, 1, 0, 'Movie', 'TV-Movie', 1, 3.33"
refuse "a Taste with a trailing space" "0, 0, 0, 1, 0, 'TV', 'TV ', 1, 3.33"
refuse "a Taste in lower case" "0, 0, 0, 1, 0, 'TV', 'tv', 1, 3.33"
refuse "a Taste that disagrees with the durations" "0, 0, 0, 1, 0, 'TV', 'Movie-TV', 1, 3.33"
refuse "an empty Taste with a duration" "0, 0, 0, 1, 0, 'TV', '', 1, 3.33"
refuse "an unknown MostWatch" "0, 0, 0, 1, 0, 'Kids', 'TV', 1, 3.33"
refuse "a MostWatch in lower case" "0, 0, 0, 1, 0, 'tv', 'TV', 1, 3.33"
refuse "a MostWatch that is not the largest" "0, 9, 0, 1, 0, 'TV', 'Movie-TV', 1, 3.33"
refuse "a tie not given to the earlier category" "4, 4, 0, 0, 0, 'Movie', 'Child-Movie', 1, 3.33"
refuse "MostWatch NULL although a duration is > 0" "0, 0, 0, 1, 0, NULL, 'TV', 1, 3.33"
refuse "MostWatch set although all durations are 0" "0, 0, 0, 0, 0, 'Child', '', 1, 3.33"
refuse "MostWatch empty string" "0, 0, 0, 0, 0, '', '', 1, 3.33"
refuse "a negative duration" "0, 0, 0, -1, 0, NULL, '', 1, 3.33"
refuse "a negative duration elsewhere" "-5, 0, 0, 10, 0, 'TV', 'TV', 1, 3.33"
refuse "Activeness above 100" "0, 0, 0, 1, 0, 'TV', 'TV', 1, 100.01"
refuse "negative Activeness" "0, 0, 0, 1, 0, 'TV', 'TV', 1, -0.01"
refuse "DateCount 0" "0, 0, 0, 1, 0, 'TV', 'TV', 0, 0"
refuse "DateCount beyond the period's days" "0, 0, 0, 1, 0, 'TV', 'TV', 31, 100"
refuse "a non-numeric DateCount" "0, 0, 0, 1, 0, 'TV', 'TV', 'x', 3.33"
wh_must_fail "an empty Contract" "INSERT INTO customer_behavior ($cols) VALUES ($april, '', 0, 0, 0, 1, 0, 'TV', 'TV', 1, 3.33, 1)"
wh_must_fail "Contract \"0\"" "INSERT INTO customer_behavior ($cols) VALUES ($april, '0', 0, 0, 0, 1, 0, 'TV', 'TV', 1, 3.33, 1)"
wh_must_fail "a NULL Contract" "INSERT INTO customer_behavior ($cols) VALUES ($april, NULL, 0, 0, 0, 1, 0, 'TV', 'TV', 1, 3.33, 1)"
wh_must_fail "a period that ends before it starts" "INSERT INTO customer_behavior ($cols) VALUES
  ('2022-04-30', '2022-04-01', 'x', 0, 0, 0, 1, 0, 'TV', 'TV', 1, 3.33, 1)"
wh_must_fail "writing Segment" "INSERT INTO customer_behavior ($cols, Segment) VALUES
  ($april, 'x', 0, 0, 0, 1, 0, 'TV', 'TV', 1, 3.33, 1, 'Loyal Customer')"
# Accepted edge values: 64-bit maximum, the tie rule, all zero, Activeness 100.
wh_sql -e "INSERT INTO customer_behavior ($cols) VALUES
  ($april, 'max', 9223372036854775807, 9223372036854775807, 9223372036854775807, 9223372036854775807, 9223372036854775807,
   'Child', 'Child-Movie-Sport-TV-Relax', 30, 100.00, 1),
  ($april, 'tie', 0, 0, 3, 3, 3, 'Sport', 'Sport-TV-Relax', 2, 6.67, 1),
  ($april, 'zero', 0, 0, 0, 0, 0, NULL, '', 1, 3.33, 1)"
wh_sql -e "CALL summarise_period('2022-04-01..2022-04-30', 1)"
wh_eq "five 64-bit maxima add up in the view" "$(wh_q "SELECT TotalDuration FROM v_customer_segment WHERE Contract = 'max'")" \
  "$(python3 -c 'print(5 * (2**63 - 1))')"

# --- daily_usage and etl_run
wh_must_fail "more customers than sessions" "INSERT INTO daily_usage VALUES ('2022-04-01', 'All', 1, 5, 2, 1)"
wh_must_fail "an unknown category" "INSERT INTO daily_usage VALUES ('2022-04-01', 'Kids', 1, 5, 1, 1)"
wh_must_fail "negative sessions" "INSERT INTO daily_usage VALUES ('2022-04-01', 'TV', -1, 5, 0, 1)"
wh_must_fail "a NULL category" "INSERT INTO daily_usage VALUES ('2022-04-01', NULL, 1, 5, 1, 1)"
wh_sql -e "INSERT INTO daily_usage VALUES ('2022-04-01', 'All', 2, 18446744073709551615, 2, 1)"
wh_must_fail "a second All row for the day" "INSERT INTO daily_usage VALUES ('2022-04-01', 'All', 1, 5, 1, 1)"
wh_must_fail "an unknown run status" "INSERT INTO etl_run (status) VALUES ('done')"
wh_must_fail "an ok run without finished_at" "INSERT INTO etl_run (status, period_start, period_end) VALUES ('ok', '2022-04-01', '2022-04-30')"
wh_must_fail "rejects that are not JSON" "INSERT INTO etl_run (rejects) VALUES ('{malformed')"
wh_sql -e "INSERT INTO etl_run (period_start, period_end, selected_days, ranks, rejects)
  VALUES ('2022-04-01', '2022-04-30', 30, 2, '{\"malformed_json\": 3, \"unknown_app\": 1}')"
wh_eq "a new run starts as running" "$(wh_q "SELECT status, started_at IS NOT NULL, JSON_VALUE(rejects, '$.malformed_json') FROM etl_run")" "running	1	3"

# --- LOAD DATA LOCAL implies IGNORE: a bad row is skipped with a warning, not refused
printf '%s\t0\t0\t7\t0\t0\tSport\tSport\t1\t3.33\n%s\t0\t0\t7\t0\t0\tSport\tKids\t1\t3.33\n' \
  "$(printf 'ok1' | od -An -tx1 | tr -d ' \n')" "$(printf 'bad1' | od -An -tx1 | tr -d ' \n')" >"$WH_WORK/one_bad.tsv"
warnings=$(wh_sql -N -B -e "$(load_hex "$WH_WORK/one_bad.tsv" 2022-07-01 2022-07-31); SHOW WARNINGS")
[[ $warnings == *ck_cb_taste* ]] || wh_fail "LOAD DATA LOCAL of a bad Taste did not warn: $warnings"
wh_eq "LOAD DATA LOCAL kept the good row and skipped the bad one" \
  "$(wh_q "SELECT Contract FROM customer_behavior WHERE period_start = '2022-07-01'")" "ok1"
# The strict alternative: stage into a TEMPORARY table, then INSERT ... SELECT, which fails whole.
wh_sql -e "DELETE FROM customer_behavior WHERE period_start = '2022-07-01'"
if wh_sql -e "CREATE TEMPORARY TABLE stage (contract_hex VARCHAR(1024), child BIGINT, movie BIGINT, sport BIGINT,
      tv BIGINT, relax BIGINT, most_watch VARCHAR(8), taste VARCHAR(64), date_count INT, activeness DECIMAL(6,2));
    LOAD DATA LOCAL INFILE '$WH_WORK/one_bad.tsv' INTO TABLE stage FIELDS TERMINATED BY '\t';
    INSERT INTO customer_behavior ($cols)
      SELECT '2022-07-01', '2022-07-31', UNHEX(contract_hex), child, movie, sport, tv, relax,
             NULLIF(most_watch, ''), taste, date_count, activeness, 3 FROM stage" 2>"$WH_WORK/stage.err"; then
  wh_fail "INSERT ... SELECT from a staging table accepted a bad Taste"
fi
wh_eq "staged load: nothing landed" "$(wh_q "SELECT COUNT(*) FROM customer_behavior WHERE period_start = '2022-07-01'")" "0"

# --- Segment from DateCount (SPEC section 5)
wh_sql -e "DELETE FROM customer_behavior"
for dc in 1 6 7 13 14 20 21 31; do
  wh_sql -e "INSERT INTO customer_behavior ($cols) VALUES
    ('2022-03-01', '2022-03-31', 'dc$dc', 0, 0, 0, 1, 0, 'TV', 'TV', $dc, ROUND($dc * 100 / 31, 2), 1)"
done
wh_eq "Segment at the edges" "$(wh_q "SELECT DateCount, Segment FROM customer_behavior ORDER BY DateCount")" \
  "1	At Risk Customer
6	At Risk Customer
7	Need Attention Customer
13	Need Attention Customer
14	Valuable Customer
20	Valuable Customer
21	Loyal Customer
31	Loyal Customer"
wh_sql -e "UPDATE customer_behavior SET DateCount = 14 WHERE Contract = 'dc13'"
wh_eq "Segment follows an UPDATE" "$(wh_q "SELECT Segment FROM customer_behavior WHERE Contract = 'dc13'")" "Valuable Customer"
wh_must_fail "updating Segment" "UPDATE customer_behavior SET Segment = 'Loyal Customer' WHERE Contract = 'dc1'"

# --- the period key: a list of days and the range with the same first and last day are two periods
kcols="period_start, period_end, period_key, Contract, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, MostWatch, Taste, DateCount, Activeness, run_id"
wh_sql -e "INSERT INTO customer_behavior ($kcols) VALUES
  ('2022-08-01', '2022-08-15', '2022-08-01..2022-08-15', 'key', 0, 0, 0, 9, 0, 'TV', 'TV', 2, 13.33, 3),
  ('2022-08-01', '2022-08-15', '2022-08-01..2022-08-15/8002', 'key', 0, 0, 0, 9, 0, 'TV', 'TV', 2, 100.00, 4)"
wh_eq "one Contract in a range and in a list of the same span" "$(wh_q "SELECT period_key, Activeness FROM customer_behavior
    WHERE Contract = 'key' ORDER BY period_key")" "2022-08-01..2022-08-15	13.33
2022-08-01..2022-08-15/8002	100.00"
wh_sql -e "INSERT INTO customer_behavior ($cols) VALUES
  ('2022-09-01', '2022-09-02', 'nokey', 0, 0, 0, 9, 0, 'TV', 'TV', 1, 50.00, 3)"
wh_eq "a writer naming no key writes the range" "$(wh_q "SELECT period_key FROM customer_behavior WHERE Contract = 'nokey'")" \
  "2022-09-01..2022-09-02"
wh_must_fail "a key that is not the row's first..last" "INSERT INTO customer_behavior ($kcols) VALUES
  ('2022-08-01', '2022-08-15', '2022-08-01..2022-08-16', 'key2', 0, 0, 0, 9, 0, 'TV', 'TV', 2, 13.33, 3)"
wh_must_fail "a run whose key is not its first..last" "INSERT INTO etl_run (period_start, period_end, period_key)
  VALUES ('2022-08-01', '2022-08-15', '2022-08-02..2022-08-15')"
wh_sql -e "INSERT INTO customer_behavior ($cols) VALUES
  ('2022-09-01', '2022-09-02', REPEAT('k', 1024), 0, 0, 0, 9, 0, 'TV', 'TV', 1, 50.00, 3)"
wh_eq "a 1024-byte Contract by strict INSERT" "$(wh_q "SELECT LENGTH(Contract) FROM customer_behavior WHERE Contract LIKE 'kkk%'")" "1024"

echo "ok: byte-exact contracts, strict refusals, LOAD DATA LOCAL warnings, segments, period keys"
