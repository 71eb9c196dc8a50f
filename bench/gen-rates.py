#!/usr/bin/env python3
"""Measure the rates of a region made by `inbeeld gen`, to compare them with the published
figures that docs/generator.md gives as the model's targets.

    inbeeld gen --youths 200000 --seed 7 --as-of 2026-11-23 --out /tmp/region
    bench/gen-rates.py /tmp/region

Reads the files as docs/feeds.md defines them (standard library only). The vsv count follows
docs/definitions.md: enrolled on 1 October of t, under 23, not enrolled on 1 October of t+1,
no startkwalificatie by 31 December of t+1; young people who died or left the region are
left out, as a region's own count would.
"""
import collections
import csv
import datetime as dt
import glob
import os
import sys

SK = {"havo", "vwo", "mbo-2", "mbo-3", "mbo-4"}


def day(s):
    return dt.date.fromisoformat(s) if s else None


def age(birth, on):
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def rows(d, name):
    with open(os.path.join(d, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter=";"))


def enrolled(snapshot, on):
    return {r["bsn"]: r for r in snapshot
            if day(r["start_date"]) <= on and (not r["end_date"] or day(r["end_date"]) >= on)}


def active(r, lo, hi):
    return day(r["start_date"]) <= hi and (not r["end_date"] or day(r["end_date"]) >= lo)


def pct(part, whole):
    return "%.2f%%" % (100.0 * part / whole) if whole else "n/a"


def main(d):
    manifest = rows(d, "manifest.csv")
    as_of = day(manifest[0]["as_of"])
    residence = rows(d, "residence.csv")
    birth = {r["bsn"]: day(r["birth_date"]) for r in residence}
    last = {}
    for r in residence:
        last[r["bsn"]] = r
    gone = {k for k, r in last.items() if r["moved_out"] or r["died"]}
    snaps = {}
    for path in sorted(glob.glob(os.path.join(d, "enrolments_*.csv"))):
        snaps[day(os.path.basename(path)[11:21])] = rows(d, os.path.basename(path))
    first_sk = {}
    for r in rows(d, "diplomas.csv"):
        if r["qualification"] in SK:
            when = day(r["diploma_date"])
            first_sk[r["bsn"]] = min(when, first_sk.get(r["bsn"], when))

    print("young people %d, as of %s" % (len(birth), as_of))
    dates = sorted(snaps)
    for t, t1 in zip(dates, dates[1:]):
        now, then = enrolled(snaps[t], t), enrolled(snaps[t1], t1)
        deadline = dt.date(t1.year, 12, 31)
        line = []
        for kind in ("VO", "VSO", "PrO", "mbo"):
            pop = [k for k, r in now.items() if r["school_type"] == kind and age(birth[k], t) < 23]
            vsv = [k for k in pop if k not in then and k not in gone
                   and not (k in first_sk and first_sk[k] <= deadline)]
            line.append("%s %s of %d" % (kind, pct(len(vsv), len(pop)), len(pop)))
        print("vsv %d-%d: %s" % (t.year, t1.year, ", ".join(line)))

    on = dates[-1]
    now = enrolled(snaps[on], on)
    types = collections.Counter(r["school_type"] for k, r in now.items() if 12 <= age(birth[k], on) <= 17)
    total = sum(types.values())
    print("aged 12-17 on %s by school type: %s" % (on, ", ".join(
        "%s %s" % (k, pct(v, total)) for k, v in sorted(types.items()))))

    year = as_of.year - 1
    lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
    care = rows(d, "care.csv")
    jw = {r["bsn"] for r in care if r["law"] == "jeugdwet" and active(r, lo, hi)}
    wmo = {r["bsn"] for r in care if r["law"] == "wmo" and active(r, lo, hi)}
    under23 = [k for k, b in birth.items() if age(b, lo) < 23]
    adults = [k for k, b in birth.items() if 18 <= age(b, hi) <= 27]
    print("%d: youth care (jeugdwet) %s of those under 23; Wmo %s of those 18-27" % (
        year, pct(sum(k in jw for k in under23), len(under23)),
        pct(sum(k in wmo for k in adults), len(adults))))

    sy_lo, sy_hi = dt.date(year - 1, 8, 1), dt.date(year, 7, 31)
    leerplichtig = [k for k, b in birth.items() if 5 <= age(b, dt.date(year - 1, 10, 1)) < 18]
    thuis, relatief = set(), set()
    for r in rows(d, "absence.csv"):
        if r["status"] != "Geregistreerd" or not sy_lo <= day(r["reported_on"]) <= sy_hi:
            continue
        if r["kind"] == "absoluut":
            thuis.add(r["bsn"])
        elif r["kind"] == "relatief":
            relatief.add(r["bsn"])
            if (day(r["period_to"]) - day(r["period_from"])).days >= 27 and int(r["hours_lost"]) >= 88:
                thuis.add(r["bsn"])
    pupils = enrolled(snaps[dt.date(year - 1, 10, 1)], dt.date(year - 1, 10, 1)) \
        if dt.date(year - 1, 10, 1) in snaps else now
    print("school year %d-%d: thuiszitters %.1f per 1000 aged 5-17; relatief reports for %s of pupils" % (
        year - 1, year, 1000.0 * len(thuis) / len(leerplichtig), pct(len(relatief), len(pupils))))

    work = rows(d, "work.csv")
    adults_now = {k for k, b in birth.items() if 18 <= age(b, as_of) <= 27}
    kinds = collections.defaultdict(set)
    for r in work:
        if r["bsn"] in adults_now and active(r, as_of, as_of):
            kinds[r["kind"]].add(r["bsn"])
    print("on %s, of those 18-27: %s" % (as_of, ", ".join(
        "%s %s" % (k, pct(len(v), len(adults_now))) for k, v in sorted(kinds.items()))))
    died = sum(1 for r in last.values() if r["died"])
    left = sum(1 for r in last.values() if r["moved_out"])
    print("died %d, moved out of the region %d, residence rows per person %.2f" % (
        died, left, len(residence) / len(birth)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench/gen-rates.py DIR")
    main(sys.argv[1])
