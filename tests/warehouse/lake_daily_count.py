#!/usr/bin/env python3
"""The per-day table (stat_date,category,sessions,total_duration,customers, as bda-etl --daily writes
it) counted from a lake's lines by a reader of SPEC.md §2 of its own: Python's json made strict
(first duplicate key wins, no NaN/Infinity, no lone surrogates, strict UTF-8), not bda-etl's parser.

  lake_daily_count.py LAKE_DIR MANIFEST.json > daily.csv

Its totals over the manifest's days must equal bda-gen's manifest (records, total_duration,
duration_by_category, contracts): the count itself is checked against the generator's ground truth.
Days of the lake that the manifest does not list (hand-made files) are counted too."""
import gzip
import json
import os
import sys
from decimal import Decimal

ORDER = ("Child", "Movie", "Sport", "TV", "Relax")  # SPEC §4 canonical order
APPS = {"TV": "CHANNEL KPLUS DSHD", "Movie": "MOVIE VOD FIMS BHD DANET FIMS_RES BHD_RES VOD_RES",
        "Child": "CHILD", "Relax": "RELAX", "Sport": "SPORT"}  # SPEC §3 default mapping
CATEGORY = {app: cat for cat, apps in APPS.items() for app in apps.split()}
ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
ASCII_SPACE = " \t\n\v\f\r"
MAX_SUM = 2**63 - 1


class Rejected(Exception):
    pass


def no_lone_surrogate(value):
    """Escaped surrogate pairs arrive joined; a surrogate left in a string is a lone one."""
    if isinstance(value, str) and any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise Rejected()
    if isinstance(value, list):
        for item in value:
            no_lone_surrogate(item)


def first_key_wins(pairs):
    obj = {}
    for key, value in pairs:
        no_lone_surrogate(key)
        no_lone_surrogate(value)
        obj.setdefault(key, value)
    return obj


def no_constant(_name):
    raise Rejected()  # NaN, Infinity, -Infinity


DECODER = json.JSONDecoder(object_pairs_hook=first_key_wins, parse_float=Decimal, parse_constant=no_constant,
                           strict=True)


def counted(line):
    """(contract, category, duration) when the line is a counted record, else None."""
    try:
        hit = DECODER.decode(line.decode("utf-8"))
    except (ValueError, Rejected):  # invalid UTF-8 and malformed JSON are ValueErrors
        return None
    source = hit.get("_source") if isinstance(hit, dict) else None
    if not isinstance(source, dict):
        return None
    contract, app, duration = source.get("Contract"), source.get("AppName"), source.get("TotalDuration")
    if not isinstance(contract, str) or contract in ("", "0") or len(contract.encode("utf-8")) > 1024:
        return None
    category = CATEGORY.get(app.strip(ASCII_SPACE).translate(ASCII_UPPER)) if isinstance(app, str) else None
    if category is None:
        return None
    if isinstance(duration, bool) or not isinstance(duration, (int, Decimal)):
        return None
    if isinstance(duration, Decimal) and (duration.adjusted() > 19 or duration != duration.to_integral_value()):
        return None
    if not 0 <= int(duration) <= MAX_SUM:
        return None
    return contract, category, int(duration)


def lines_of(data):
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    for line in lines:
        yield line[:-1] if line.endswith(b"\r") else line


def count_day(path):
    usage = {c: [0, 0, set()] for c in ("All",) + ORDER}  # sessions, duration, contracts
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    for line in lines_of(data):
        if not line.strip(b" \t\r"):
            continue  # blank: skipped, not rejected
        record = counted(line)
        if record:
            contract, category, duration = record
            for slot in (usage["All"], usage[category]):
                slot[0] += 1
                slot[1] += duration
                slot[2].add(contract)
    return usage


def main(lake, manifest_path):
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    days = {f"{n[0:4]}-{n[4:6]}-{n[6:8]}": count_day(os.path.join(lake, n)) for n in sorted(os.listdir(lake))}
    generated = [days[d] for d in manifest["days"]]
    mine = {"records": sum(u["All"][0] for u in generated),
            "total_duration": sum(u["All"][1] for u in generated),
            "contracts": len(set().union(*(u["All"][2] for u in generated))),
            "duration_by_category": {c: sum(u[c][1] for u in generated) for c in ORDER}}
    truth = {k: manifest[k] for k in mine}
    if mine != truth:
        sys.exit(f"lake_daily_count.py: the count disagrees with bda-gen's manifest: {mine} vs {truth}")
    print("stat_date,category,sessions,total_duration,customers")
    for day in sorted(days):
        for c in ("All",) + ORDER:
            sessions, duration, contracts = days[day][c]
            print(f"{day},{c},{sessions},{duration},{len(contracts)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
