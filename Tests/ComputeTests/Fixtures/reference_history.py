#!/usr/bin/env python3
"""Independent reference for LeanPulse's statistics across periods (METRICS.md 2, 4, 5, 6): every
factor's % favorable and score with the finite-population interval, the change against the previous
period (Welch, Benjamini-Hochberg across the heatmap), trends over every period after a reorganisation
(team_map), relative weights (Johnson 2000) and the goal/engagement correlation.

Reads history/ (written by make_history_fixture.py) and writes history/expected_*.csv, which
Tests/ComputeTests/PeriodHistoryTests.swift compares against (1e-9, labels exactly). Written from
METRICS.md and docs/DECISIONS.md with pandas, numpy and scipy, one group at a time (a group's rows are
selected from the full table); it shares no code or structure with Sources/Compute.

    python3 reference_history.py

Rules that are choices (docs/DECISIONS.md, "Statistics across periods"):
- earlier periods are recomputed on this period's organisation after team_map; a unit whose subtree
  gained or lost 1..min-1 respondents through team_map is withheld in that period ("remapped") before
  the complementary rule runs (an old id that is no longer a unit counts as sitting under the root);
- change: units shown in both periods, factors whose item texts are equal in both periods; person-level
  favorable shares; one BH family over every tested cell (all factors); trend break = flagged, no test.
- relative weights: complete cases of the group (every driver item answered and an engagement score).

Confidentiality (METRICS.md 6: no score for fewer than min_respondents people, "not even by subtraction"):
hidden_cells(count, withheld) is the section's algorithm on one column, count = team -> subtree count of the
people behind it; the teams in `withheld` start out suppressed, then step 1 (count < min, 0 included), then
the repeat-until-stable complementary loop with "not suppressed" read as "known" (a suppressed unit with
children, nothing of its own and its count the sum over its known children adds up from published totals;
picking it descends to its smallest known child with count > 0, down to a shown unit). Units: one run on
respondent counts. Cells of a shown unit t, each column its own run with withheld = the suppressed units:
item (t, i) on the answers to i; factor (t, f) hidden iff count(t) > 0 and (t is hidden on f's respondent
counts, or an item of f with answers in t has its item cell hidden); eNPS (t) hidden iff count(t) > 0 and t is
hidden on the eNPS answers.
Here the withheld start of the unit run is the "remapped" units. Cells are computed per period. Effects: no factor
score row for a hidden cell; change columns blank (and out of the BH family) when the previous period hides the
cell; trend points blank engagement_index / enps / balance_index when the engagement / eNPS / autonomy or
accountability cell is hidden in that period; the goal correlation leaves out units without an engagement index.
"""
import csv
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "history")
MIN_N = 5
DRIVER_MIN = 30
PERIODS = ["2025-Q4", "2026-Q1", "2026-Q2"]
CURRENT = PERIODS[-1]
QUARTER_START = {"2025-Q4": "2025-10-01", "2026-Q1": "2026-01-01", "2026-Q2": "2026-04-01", "2026-Q3": "2026-07-01"}


def path(name):
    return os.path.join(HERE, name)


inst = json.load(open(path("instrument.json")))
scales = {s["id"]: s for s in inst["scales"]}
items = {it["id"]: it for it in inst["items"]}
item_ids = [it["id"] for it in inst["items"]]
factors = inst["factors"]
role = {f["role"]: f for f in factors if f["role"]}

org = pd.read_csv(path("org.csv"), dtype=str, keep_default_na=False)
ids = sorted(org["team_id"], key=int)
parent = dict(zip(org["team_id"], org["parent_id"]))
headcount = dict(zip(org["team_id"], org["headcount"].astype(int)))
children = {t: sorted([c for c in ids if parent[c] == t], key=int) for t in ids}
team_map = dict(pd.read_csv(path("team_map.csv"), dtype=str).values)


def subtree(t):
    out = {t}
    for c in children[t]:
        out |= subtree(c)
    return out


def ancestors(t):
    out = []
    while t:
        out.append(t)
        t = parent[t]
    return out


SUB = {t: subtree(t) for t in ids}
LEAVES = [t for t in ids if not children[t]]

raw = pd.read_csv(path("responses.csv"), dtype=str, keep_default_na=False)
raw["old_team"] = raw["team"]
raw["team"] = raw["team"].map(lambda t: team_map.get(t, t))


def value(item, text):
    """Reverse-scored answer, or None when not answered (METRICS.md 1)."""
    if text == "":
        return None
    s = scales[items[item]["scale"]]
    x = int(text)
    if x < s["min"] or x > s["max"]:
        return None
    return s["min"] + s["max"] - x if items[item]["reverse"] else x


def favorable(item, x):
    s = scales[items[item]["scale"]]
    top = (s["max"] - 1, s["max"])  # 5 points {4,5}; 0-10 {9,10}
    return x in top


def normalized(item, x):
    s = scales[items[item]["scale"]]
    return 100.0 * (x - s["min"]) / (s["max"] - s["min"])


scored = {p: [] for p in PERIODS}  # per period: list of (team, old_team, {item: value})
for _, r in raw.iterrows():
    answers = {i: value(i, r[i]) for i in item_ids}
    scored[r["period"]].append((r["team"], r["old_team"], {i: v for i, v in answers.items() if v is not None}))


def group(period, t):
    return [a for team, _, a in scored[period] if team in SUB[t]]


def hidden_cells(count, withheld=(), start="remapped"):
    """METRICS.md 6 on this period's tree for one column (team -> subtree count of the people behind it).
    The `withheld` units count as suppressed (reason `start`) from the start; then every unit with
    count < MIN_N (0 too); then until stable, ascending id: R = count(U) - sum of count(C) over U's known
    children, and 0 < R < MIN_N suppresses the known child with the fewest people (ties: smallest id).
    Known: shown, or suppressed with children, nothing of its own and its count the sum over its known
    children (it adds up from published totals); picking such a unit descends to its smallest known child
    with count > 0, down to a shown unit. Returns team -> reason."""
    reasons = {t: start for t in withheld}
    for t in ids:
        if t not in reasons and count[t] < MIN_N:
            reasons[t] = "below-minimum"

    def known(t):
        if t not in reasons:
            return True
        return bool(children[t]) and count[t] - sum(count[c] for c in children[t] if known(c)) == 0

    def least_known(t):
        got = [c for c in children[t] if known(c) and count[c] > 0]
        return min(got, key=lambda c: (count[c], int(c))) if got else None

    changed = True
    while changed:
        changed = False
        for t in ids:
            if not children[t]:
                continue
            rem = count[t] - sum(count[c] for c in children[t] if known(c))
            c = least_known(t) if 0 < rem < MIN_N else None
            while c is not None and c in reasons:
                c = least_known(c)
            if c is not None:
                reasons[c] = "complementary"
                changed = True
    return reasons


def moved(period):
    """Respondents team_map moved into / out of each unit's subtree."""
    into = {t: 0 for t in ids}
    out = {t: 0 for t in ids}
    for team, old, _ in scored[period]:
        if old not in team_map:
            continue
        now = set(ancestors(team))
        before = set(ancestors(old)) if old in parent else {ancestors(team)[-1]}
        for t in now - before:
            into[t] += 1
        for t in before - now:
            out[t] += 1
    return into, out


def period_reasons(period):
    n = {t: len(group(period, t)) for t in ids}
    reasons = hidden_cells(n)
    if period != CURRENT:
        into, out = moved(period)
        withheld = [t for t in ids if n[t] >= MIN_N and (0 < into[t] < MIN_N or 0 < out[t] < MIN_N)]
        if withheld:
            reasons = hidden_cells(n, withheld)
    return n, reasons


def period_cells(period, reasons):
    """Hidden cells of the shown units of a period (METRICS.md 6 per column): each item's answers, each
    factor's respondents (at least one answered item) and the eNPS answers get their own hidden_cells run,
    starting from the units suppressed as a whole. A factor cell is also hidden when one of its items with
    answers is hidden. Returns ({item: units}, {factor: units}, eNPS units)."""
    rows = {t: group(period, t) for t in ids}
    start = set(reasons)
    shown = [t for t in ids if t not in reasons]
    item_n = {i: {t: sum(1 for a in rows[t] if i in a) for t in ids} for i in item_ids}
    item_hidden = {}
    for i in item_ids:
        run = hidden_cells(item_n[i], start, "withheld")
        item_hidden[i] = {t for t in shown if t in run}
    factor_hidden = {}
    for f in factors:
        n = {t: sum(1 for a in rows[t] if any(i in a for i in f["items"])) for t in ids}
        run = hidden_cells(n, start, "withheld")
        factor_hidden[f["id"]] = {t for t in shown if n[t] > 0 and (
            t in run or any(item_n[i][t] > 0 and t in item_hidden[i] for i in f["items"]))}
    e = role["enps"]["items"][0]
    run = hidden_cells(item_n[e], start, "withheld")
    enps_hidden = {t for t in shown if item_n[e][t] > 0 and t in run}
    return item_hidden, factor_hidden, enps_hidden


def person_values(rows, fitems, kind):
    out = []
    for a in rows:
        got = [(i, a[i]) for i in fitems if i in a]
        if not got:
            continue
        if kind == "share":
            out.append(100.0 * sum(favorable(i, x) for i, x in got) / len(got))
        else:
            out.append(sum(normalized(i, x) for i, x in got) / len(got))
    return out


def factor_favorable(rows, fitems):
    pcts = []
    for i in fitems:
        vals = [a[i] for a in rows if i in a]
        if vals:
            pcts.append(100.0 * sum(favorable(i, x) for x in vals) / len(vals))
    return sum(pcts) / len(pcts) if pcts else None


def interval(point, values, N):
    n = len(values)
    if point is None or n < 2:
        return None, None
    if N <= n:
        return min(100, max(0, point)), min(100, max(0, point))
    half = stats.t.ppf(0.975, n - 1) * np.std(values, ddof=1) / math.sqrt(n) * math.sqrt((N - n) / (N - 1))
    return min(100.0, max(0.0, point - half)), min(100.0, max(0.0, point + half))


def subtree_headcount(t):
    return sum(headcount[u] for u in SUB[t])


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, str):
        return v
    return repr(float(v))


def write(name, header, rows):
    with open(path(name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(v) for v in r])


texts = pd.read_csv(path("item_text.csv"), dtype=str)
text = {(p, i): t for p, i, t in texts.values}


def same_items(fitems, p, q):
    return all(text.get((p, i)) == text.get((q, i)) for i in fitems)


# ---- ideas (team ids mapped too) ------------------------------------------------------------------
ideas = pd.read_csv(path("ideas.csv"), dtype=str, keep_default_na=False)
ideas["team"] = ideas["team"].map(lambda t: team_map.get(t, t))


def implemented(period, t):
    start = QUARTER_START[period]
    end = QUARTER_START[PERIODS[PERIODS.index(period) + 1] if period != PERIODS[-1] else "2026-Q3"]
    sel = ideas[(ideas["team"].isin(SUB[t])) & (ideas["implemented"] >= start) & (ideas["implemented"] < end)
                & (ideas["implemented"] != "")]
    return len(sel)


# ---- trends ---------------------------------------------------------------------------------------
eng = role["engagement"]["items"]
aut = role["autonomy"]["items"]
acc = role["accountability"]["items"]
enps_item = role["enps"]["items"][0]
trend_rows = []
info = {p: period_reasons(p) for p in PERIODS}
cells_of = {p: period_cells(p, info[p][1]) for p in PERIODS}
for p in PERIODS:
    ih, fh, eh = cells_of[p]
    print(p, "hidden cells of shown units: item", sum(len(v) for v in ih.values()),
          "factor", sum(len(v) for v in fh.values()), "enps", len(eh))
    print("   items:", sorted((t, i) for i, v in ih.items() for t in v), "factors:",
          sorted((t, f) for f, v in fh.items() for t in v), "enps:", sorted(eh))
for t in ids:
    for k, p in enumerate(PERIODS):
        n, reasons = info[p]
        _, hidden_f, hidden_enps = cells_of[p]
        rows = group(p, t)
        brk = k > 0 and not same_items(eng, PERIODS[k - 1], p)
        if t in reasons:
            trend_rows.append([p, t, None, None, None, None, implemented(p, t), brk, reasons[t]])
            continue
        e = factor_favorable(rows, eng)
        answered = [a[enps_item] for a in rows if enps_item in a]
        enps = (100.0 * (sum(x >= 9 for x in answered) - sum(x <= 6 for x in answered)) / len(answered)) if answered else None
        A, C = factor_favorable(rows, aut), factor_favorable(rows, acc)
        bal = math.sqrt(A * C) if A is not None and C is not None else None
        if t in hidden_f[role["engagement"]["id"]]:
            e = None
        if t in hidden_enps:
            enps = None
        if t in hidden_f[role["autonomy"]["id"]] or t in hidden_f[role["accountability"]["id"]]:
            bal = None
        trend_rows.append([p, t, n[t], e, enps, bal, implemented(p, t), brk, None])
write("expected_trends.csv", ["period", "team_id", "respondents", "engagement_index", "enps", "balance_index",
                              "ideas_implemented", "engagement_trend_break", "suppressed"], trend_rows)

# ---- factor scores and changes --------------------------------------------------------------------
PREV = PERIODS[-2]
_, now_reasons = info[CURRENT]
_, prev_reasons = info[PREV]
cells = []
out = []
for t in ids:
    if t in now_reasons:
        continue
    rows = group(CURRENT, t)
    before = group(PREV, t)
    N = subtree_headcount(t)
    for f in factors:
        if t in cells_of[CURRENT][1][f["id"]]:
            continue  # hidden cell: no row
        fi = f["items"]
        share = person_values(rows, fi, "share")
        score = person_values(rows, fi, "score")
        fav = factor_favorable(rows, fi)
        sc = sum(score) / len(score) if score else None
        flo, fhi = interval(fav, share, N)
        slo, shi = interval(sc, score, N)
        row = {"team_id": t, "factor_id": f["id"], "respondents": len(share), "favorable": fav, "favorable_low": flo,
               "favorable_high": fhi, "score": sc, "score_low": slo, "score_high": shi, "change": None,
               "difference": None, "t": None, "df": None, "p_value": None, "p_adjusted": None, "trend_break": None}
        if t not in prev_reasons and t not in cells_of[PREV][1][f["id"]]:
            if not same_items(fi, PREV, CURRENT):
                row["trend_break"] = True
            else:
                row["trend_break"] = False
                b = person_values(before, fi, "share")
                if share and b:
                    row["difference"] = np.mean(share) - np.mean(b)
                if len(share) >= 2 and len(b) >= 2 and not (np.var(share) == 0 and np.var(b) == 0):
                    res = stats.ttest_ind(share, b, equal_var=False)
                    va, vb = np.var(share, ddof=1) / len(share), np.var(b, ddof=1) / len(b)
                    row["t"] = float(res.statistic)
                    row["df"] = (va + vb) ** 2 / (va ** 2 / (len(share) - 1) + vb ** 2 / (len(b) - 1))
                    row["p_value"] = float(res.pvalue)
                    cells.append(row)
                elif len(share) >= 2 and len(b) >= 2 and np.var(share) == 0 and np.var(b) == 0 and share[0] == b[0]:
                    row["change"] = "no clear change"  # the same value from everyone in both periods: nothing to test
        out.append(row)
adjusted = stats.false_discovery_control([c["p_value"] for c in cells], method="bh")
for c, q in zip(cells, adjusted):
    c["p_adjusted"] = float(q)
    c["change"] = ("up" if c["t"] > 0 else "down") if q < 0.05 else "no clear change"
cols = ["team_id", "factor_id", "respondents", "favorable", "favorable_low", "favorable_high", "score", "score_low",
        "score_high", "change", "difference", "t", "df", "p_value", "p_adjusted", "trend_break"]
write("expected_factor_scores.csv", cols, [[r[c] for c in cols] for r in out])

# ---- relative weights (Johnson 2000) --------------------------------------------------------------
engagement_items = set(eng)
drivers = [i for i in item_ids if i not in engagement_items and i != enps_item]


def johnson(X, y):
    R = np.corrcoef(np.column_stack([X, y]), rowvar=False)
    p = X.shape[1]
    rxx, rxy = R[:p, :p], R[:p, p]
    lam, Q = np.linalg.eigh(rxx)
    if lam.min() <= 1e-10:
        return None
    L = Q @ np.diag(np.sqrt(lam)) @ Q.T
    beta = np.linalg.solve(L, rxy)
    return (L ** 2) @ (beta ** 2)


rw_rows = []
for t in ids:
    rows = group(CURRENT, t)
    if t in now_reasons or len(rows) < DRIVER_MIN:
        continue
    X, y = [], []
    for a in rows:
        e = [normalized(i, a[i]) for i in eng if i in a]
        if e and all(i in a for i in drivers):
            X.append([a[i] for i in drivers])
            y.append(sum(e) / len(e))
    X, y = np.array(X, dtype=float), np.array(y)
    w = johnson(X, y) if len(y) >= 3 and X.std(axis=0).min() > 0 and y.std() > 0 else None
    for k, i in enumerate(drivers):
        rw_rows.append([t, i, len(y), None if w is None else float(w[k])])
write("expected_relative_weights.csv", ["team_id", "item_id", "cases", "relative_weight"], rw_rows)

# ---- goal attainment x engagement index across shown leaf units ------------------------------------
goals = pd.read_csv(path("goals.csv"), dtype={"team": str})
x, y = [], []
for t in LEAVES:
    g = goals[goals["team"].isin(SUB[t])]["attainment"]
    if t in now_reasons or t in cells_of[CURRENT][1][role["engagement"]["id"]] or g.empty:
        continue
    e = factor_favorable(group(CURRENT, t), eng)
    if e is None:
        continue
    x.append(e)
    y.append(float(g.mean()))
r = float(stats.pearsonr(x, y)[0]) if len(x) >= 3 else None
write("expected_correlations.csv", ["x", "y", "scope", "r", "n"], [["engagement_index", "goal_attainment", "leaf-units", r, len(x)]])
