#!/usr/bin/env python3
"""Writes the hand-shaped multi-period fixture in history/ (run once; its output is committed):
three quarters, a reorganisation (old teams 8 and 9 mapped by team_map.csv onto 4 and 6), a changed
item text (eng3 between 2025-Q4 and 2026-Q1, aut2 between 2026-Q1 and 2026-Q2), ideas and goals.
Seeded: the same bytes every time."""
import csv
import json
import os
import random

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "history")
rng = random.Random(20261125)
inst = json.load(open(os.path.join(HERE, "instrument.json")))
items = [it["id"] for it in inst["items"]]
scale = {s["id"]: s for s in inst["scales"]}

org = [("1", "", "Company", 10), ("2", "1", "Operations", 4), ("3", "1", "Sales", 3), ("4", "2", "Ops North", 40),
       ("5", "2", "Ops South", 30), ("6", "3", "Sales East", 12), ("7", "3", "Sales West", 9)]
with open(os.path.join(HERE, "org.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["team_id", "parent_id", "name", "headcount"])
    w.writerows(org)
with open(os.path.join(HERE, "team_map.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["old_id", "new_id"])
    w.writerows([("8", "4"), ("9", "6")])

periods = ["2025-Q4", "2026-Q1", "2026-Q2"]
# (period, team) -> (respondents, mood shift); old ids 8 and 9 only before the reorganisation.
sizes = {
    "2025-Q4": {"1": 6, "2": 3, "3": 2, "4": 22, "5": 25, "6": 8, "7": 7, "8": 12, "9": 3},
    "2026-Q1": {"1": 7, "2": 2, "3": 3, "4": 20, "5": 24, "6": 7, "7": 4, "8": 13, "9": 3},
    "2026-Q2": {"1": 8, "2": 0, "3": 0, "4": 33, "5": 26, "6": 11, "7": 6},
}
mood = {"1": 0.2, "2": 0.0, "3": -0.2, "4": 0.4, "5": -0.3, "6": 0.1, "7": -0.5, "8": -0.6, "9": 0.3}
trend = {"2025-Q4": -0.3, "2026-Q1": 0.0, "2026-Q2": 1.0}

with open(os.path.join(HERE, "responses.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["period", "team"] + items)
    for p in periods:
        for team, n in sizes[p].items():
            for _ in range(n):
                person = rng.gauss(mood[team] + trend[p], 0.8)
                if p == "2026-Q2" and team == "4":
                    person -= 2.5  # one team gets worse: a `down`
                row = [p, team]
                for it in inst["items"]:
                    s = scale[it["scale"]]
                    if rng.random() < 0.06:
                        row.append("")
                        continue
                    lo, hi = s["min"], s["max"]
                    centre = (lo + hi) / 2 + person * (hi - lo) / 2.5 + rng.gauss(0, (hi - lo) / 5)
                    v = max(lo, min(hi, round(centre)))
                    if it["reverse"]:
                        v = lo + hi - v  # stored raw: the reverse item is answered the other way round
                    row.append(v)
                w.writerow(row)

texts = {it: f"Text of {it}" for it in items}
with open(os.path.join(HERE, "item_text.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["period", "item_id", "text"])
    for p in periods:
        for it in items:
            t = texts[it]
            if it == "eng3" and p != "2025-Q4":
                t += " (reworded in 2026-Q1)"
            if it == "aut2" and p == "2026-Q2":
                t += " (reworded in 2026-Q2)"
            w.writerow([p, it, t])

days = {"2025-Q4": ("2025-10-01", 92), "2026-Q1": ("2026-01-01", 90), "2026-Q2": ("2026-04-01", 91)}
import datetime as dt
with open(os.path.join(HERE, "ideas.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["team", "submitted", "implemented"])
    for p in periods:
        start = dt.date.fromisoformat(days[p][0])
        for team in sizes[p]:
            for _ in range(rng.randint(0, 6)):
                s = start + dt.timedelta(days=rng.randint(0, days[p][1] - 1))
                impl = s + dt.timedelta(days=rng.randint(1, 80)) if rng.random() < 0.7 else None
                w.writerow([team, s.isoformat(), impl.isoformat() if impl else ""])

with open(os.path.join(HERE, "goals.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["team", "attainment"])
    for team in ["4", "5", "6", "7", "1", "2"]:
        for _ in range(2):
            w.writerow([team, round(rng.uniform(0.4, 1.0), 4)])
