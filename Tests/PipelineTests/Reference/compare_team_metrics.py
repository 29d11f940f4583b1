#!/usr/bin/env python3
"""Compare two team_metrics.csv files: numbers within a tolerance, text exactly.

Usage: python3 compare_team_metrics.py EXPECTED.csv ACTUAL.csv [--tol 1e-6]
Exit code 0 when they agree, 1 otherwise; every difference is printed as
team_id, column, expected, actual.
"""
import argparse
import csv
import math
import sys


def num(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("expected")
    ap.add_argument("actual")
    ap.add_argument("--tol", type=float, default=1e-6)
    a = ap.parse_args()
    with open(a.expected, encoding="utf-8-sig", newline="") as f:
        exp = list(csv.reader(f))
    with open(a.actual, encoding="utf-8-sig", newline="") as f:
        act = list(csv.reader(f))
    diffs = []
    if exp[0] != act[0]:
        diffs.append(("<header>", "", "|".join(exp[0]), "|".join(act[0])))
    cols = exp[0]
    ecol = {c: i for i, c in enumerate(act[0])}
    eorder = [r[1] for r in exp[1:]]
    aorder = [r[ecol.get("team_id", 1)] for r in act[1:]]
    if eorder != aorder:
        diffs.append(("<row order>", "team_id", " ".join(eorder), " ".join(aorder)))
    arows = {r[ecol.get("team_id", 1)]: r for r in act[1:]}
    for r in exp[1:]:
        tid = r[1]
        if tid not in arows:
            diffs.append((tid, "<row>", "present", "missing"))
            continue
        ar = arows[tid]
        for i, c in enumerate(cols):
            if c not in ecol:
                diffs.append((tid, c, r[i], "<column missing>"))
                continue
            ev, av = r[i], ar[ecol[c]]
            if ev == av:
                continue
            en, an = num(ev), num(av)
            if en is not None and an is not None and abs(en - an) <= a.tol:
                continue
            diffs.append((tid, c, ev, av))
    for tid in arows:
        if tid not in set(eorder):
            diffs.append((tid, "<row>", "missing", "present"))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["team_id", "column", "expected", "actual"])
    for d in diffs:
        w.writerow(d)
    print(f"# {len(diffs)} difference(s)", file=sys.stderr)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
