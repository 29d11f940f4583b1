#!/usr/bin/env python3
"""Independent reference for LeanPulse's survey statistics (METRICS.md section 5): rwg(j), Cronbach's
alpha, ICC(1)/ICC(2) and key drivers.

Reads the hand-made fixture in statistics/ and writes statistics/expected_{agreement,reliability,drivers}.csv,
which Tests/ComputeTests/SurveyStatisticsTests.swift compares against (1e-9). Written from METRICS.md with
pandas, numpy, scipy and pingouin, one group at a time (a group's rows are selected from the full table):
it shares no structure with the Swift code, which rolls additive sums up the tree.

    pip install pingouin
    python3 reference_statistics.py

Choices where METRICS.md is silent (the Swift code makes the same ones, see Sources/Compute/SurveyStatistics.swift):
- rwg(j): items with fewer than 2 answers in the group leave the mean variance (and J); no item left:
  undefined. Written for shown units only.
- alpha: complete cases over all responses; single-item factors get no alpha.
- ICC: person-level score = mean normalized score (0-100) of the answered items; groups are the
  respondents' own units that the report shows with the factor's cell shown and at least MIN_N scored respondents
  of their own (confidentiality: a hidden group's mean would be read back from the ICC); k = N / G.
- drivers: items outside the engagement factor except the eNPS item; groups = shown units whose subtree
  has >= 30 responses; % favorable over every answer of the item in the group; median over the
  driver items with answers (even count: mean of the two middle values); priority = strictly below the
  median, the five highest correlations (ties: instrument order).
- org-wide statistics are withheld when a root unit is suppressed.

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
Effects: no agreement row for a hidden factor cell, no driver row for a hidden item cell (the priorities are still
computed over all the unit's driver items).
"""
import csv
import json
import os

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "statistics")
MIN_N = 5
DRIVER_MIN = 30
PERIOD = "2026-Q1"


def path(name):
    return os.path.join(HERE, name)


instrument = json.load(open(path("instrument.json")))
org = pd.read_csv(path("org.csv"), dtype=str, keep_default_na=False)
raw = pd.read_csv(path("responses.csv"), dtype=str, keep_default_na=False)
scales = {s["id"]: s for s in instrument["scales"]}
items = instrument["items"]
factors = instrument["factors"]
item_ids = [it["id"] for it in items]

# ---- organisation (team ids here are all integers) ----------------------------------------------
ids = sorted(org["team_id"], key=int)
parent = dict(zip(org["team_id"], org["parent_id"]))
children = {t: sorted([c for c in ids if parent[c] == t], key=int) for t in ids}


def subtree(t):
    out = {t}
    for c in children[t]:
        out |= subtree(c)
    return out


# ---- answers: range check, then reverse scoring (METRICS.md 1) ----------------------------------
def scored(item, text):
    if text == "":
        return np.nan
    s = scales[item["scale"]]
    x = int(text)
    if not s["min"] <= x <= s["max"]:
        return np.nan
    return float(s["min"] + s["max"] - x) if item["reverse"] else float(x)


data = pd.DataFrame({it["id"]: [scored(it, v) for v in raw[it["id"]]] for it in items})
data["team"] = raw["team"]


def scale_of(item_id):
    return scales[next(it for it in items if it["id"] == item_id)["scale"]]


def favorable_set(scale):
    points = scale["max"] - scale["min"] + 1
    top = {5: 2, 7: 2, 11: 2, 4: 2, 6: 2}[points]
    return set(range(scale["max"] - top + 1, scale["max"] + 1))


def person_score(frame, factor):
    """Each respondent's mean normalized score (0-100) on the factor's answered items (NaN: none)."""
    cols = []
    for i in factor["items"]:
        s = scale_of(i)
        cols.append(100.0 * (frame[i] - s["min"]) / (s["max"] - s["min"]))
    return pd.concat(cols, axis=1).mean(axis=1, skipna=True)


# ---- suppression (METRICS.md 6) ---------------------------------------------------------------
def hidden_cells(count, withheld=()):
    """METRICS.md 6 on one column (team -> subtree count of the people behind it): the `withheld` teams start
    suppressed, then every team with count < MIN_N (0 too), then until stable, ascending team id: R = count(U)
    minus the counts of U's known children; 0 < R < MIN_N suppresses the known child with the fewest people
    (ties: smallest id). A suppressed unit is still "known" when its count is the sum over its known children
    (nothing of its own); choosing such a unit descends to its smallest known child with count > 0, down to a
    shown unit. Returns team -> reason."""
    reason = {t: "withheld" for t in withheld}
    for t in ids:
        if t not in reason and count[t] < MIN_N:
            reason[t] = "below-minimum"

    def known(t):
        if t not in reason:
            return True
        return bool(children[t]) and count[t] == sum(count[c] for c in children[t] if known(c))

    def smallest(t):
        kids = [c for c in children[t] if known(c) and count[c] > 0]
        return min(kids, key=lambda c: (count[c], int(c))) if kids else None

    changed = True
    while changed:
        changed = False
        for u in ids:
            if not children[u]:
                continue
            rest = count[u] - sum(count[c] for c in children[u] if known(c))
            pick = smallest(u) if 0 < rest < MIN_N else None
            while pick is not None and pick in reason:
                pick = smallest(pick)
            if pick is not None:
                reason[pick] = "complementary"
                changed = True
    return reason


def column(mask):
    """team -> number of rows in the subtree where `mask` (a boolean Series over `data`) holds."""
    return {t: int((data["team"].isin(subtree(t)) & mask).sum()) for t in ids}


n_of = column(pd.Series(True, index=data.index))
status = {t: None for t in ids}
status.update(hidden_cells(n_of))
shown_units = [t for t in ids if status[t] is None]
withheld = {t for t in ids if status[t]}

# Cells: the rule once per item and per factor's respondents, starting from the suppressed units.
item_n = {i: column(data[i].notna()) for i in item_ids}
item_hidden = {i: {t for t in shown_units if t in hidden_cells(item_n[i], withheld)} for i in item_ids}
factor_hidden = {}
for fa in factors:
    cnt = column(data[fa["items"]].notna().any(axis=1))
    run = hidden_cells(cnt, withheld)
    factor_hidden[fa["id"]] = {t for t in shown_units if cnt[t] > 0 and (
        t in run or any(item_n[i][t] > 0 and t in item_hidden[i] for i in fa["items"]))}
enps_id = next(f for f in factors if f["role"] == "enps")["items"][0]
enps_run = hidden_cells(item_n[enps_id], withheld)
enps_hidden = {t for t in shown_units if item_n[enps_id][t] > 0 and t in enps_run}
print("hidden cells of shown units: item", sum(len(v) for v in item_hidden.values()),
      "factor", sum(len(v) for v in factor_hidden.values()), "enps", len(enps_hidden))
print("  items:", sorted((t, i) for i, v in item_hidden.items() for t in v),
      "factors:", sorted((t, f) for f, v in factor_hidden.items() for t in v))


def fmt(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return repr(float(v))


def write(name, header, rows):
    with open(path(name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(v) if not isinstance(v, str) else v for v in r])


# ---- rwg(j) per shown unit and factor -----------------------------------------------------------
def rwg_j(frame, factor):
    points = {scale_of(i)["max"] - scale_of(i)["min"] + 1 for i in factor["items"]}
    if len(points) != 1:
        return None
    a = points.pop()
    null = (a * a - 1) / 12.0
    variances = [float(np.var(frame[i].dropna().to_numpy(), ddof=1))
                 for i in factor["items"] if frame[i].notna().sum() >= 2]
    if not variances:
        return None
    s2 = float(np.mean(variances))
    if s2 > null:
        return 0.0
    j = len(variances)
    return j * (1 - s2 / null) / (j * (1 - s2 / null) + s2 / null)


rows = []
for t in shown_units:
    group = data[data["team"].isin(subtree(t))]
    for fa in factors:
        if t in factor_hidden[fa["id"]]:
            continue  # hidden cell: no row
        r = rwg_j(group, fa)
        answered = int(group[fa["items"]].notna().any(axis=1).sum())
        rows.append([PERIOD, t, fa["id"], r, answered, None if r is None else bool(r < 0.70)])
write("expected_agreement.csv", ["period", "team_id", "factor_id", "rwg_j", "respondents", "low_agreement"], rows)

# ---- reliability, organisation-wide --------------------------------------------------------------
rows = []
roots = [t for t in ids if parent[t] == ""]
if all(status[t] is None for t in roots):
    for fa in factors:
        if len(fa["items"]) >= 2:
            complete = data[fa["items"]].dropna()
            alpha = float(pg.cronbach_alpha(data=complete)[0]) if len(complete) >= 2 else None
            rows.append([PERIOD, fa["id"], "organisation", "cronbach_alpha", alpha, len(complete),
                         "low" if alpha is not None and alpha < 0.70 else ""])
        scores = pd.DataFrame({"score": person_score(data, fa), "team": data["team"]}).dropna()
        # Only groups the report shows: own units not suppressed, the factor's cell shown, and at least MIN_N scored
        # respondents of their own (a group mean of hidden people would be read back from the ICC).
        sizes = scores["team"].value_counts()
        keep = [t for t in sizes.index if sizes[t] >= MIN_N and status[t] is None and t not in factor_hidden[fa["id"]]]
        scores = scores[scores["team"].isin(keep)]
        if scores["team"].nunique() < 2 or len(scores) <= scores["team"].nunique():
            rows.append([PERIOD, fa["id"], "organisation", "icc1", None, len(scores), ""])
            rows.append([PERIOD, fa["id"], "organisation", "icc2", None, len(scores), ""])
            continue
        aov = pg.anova(data=scores, dv="score", between="team", detailed=True)
        msb, msw = float(aov["MS"][0]), float(aov["MS"][1])
        k = len(scores) / scores["team"].nunique()
        icc1 = (msb - msw) / (msb + (k - 1) * msw)
        icc2 = (msb - msw) / msb
        rows.append([PERIOD, fa["id"], "organisation", "icc1", icc1, len(scores), ""])
        rows.append([PERIOD, fa["id"], "organisation", "icc2", icc2, len(scores), ""])
write("expected_reliability.csv", ["period", "factor_id", "scope", "statistic", "value", "n", "flag"], rows)

# ---- key drivers ---------------------------------------------------------------------------------
engagement = next(f for f in factors if f["role"] == "engagement")
enps_item = next(f for f in factors if f["role"] == "enps")["items"][0]
drivers = [i for i in item_ids if i not in engagement["items"] and i != enps_item]
first_factor = {}
for fa in factors:
    for i in fa["items"]:
        first_factor.setdefault(i, fa["id"])
rows = []
for t in shown_units:
    group = data[data["team"].isin(subtree(t))]
    # Confidentiality: no drivers where the engagement cell is hidden; a correlation needs MIN_N pairs.
    if len(group) < DRIVER_MIN or t in factor_hidden[engagement["id"]]:
        continue
    eng = person_score(group, engagement)
    table = []
    for i in drivers:
        both = pd.DataFrame({"x": group[i], "y": eng}).dropna()
        r = float(stats.pearsonr(both["x"], both["y"])[0]) if len(both) >= max(2, MIN_N) else None
        answered = group[i].dropna()
        fav = 100.0 * float(answered.isin(favorable_set(scale_of(i))).mean()) if len(answered) else None
        table.append(dict(item=i, pairs=len(both), r=r, fav=fav))
    median = float(np.median([d["fav"] for d in table if d["fav"] is not None]))
    below = [d for d in table if d["fav"] is not None and d["fav"] < median and d["r"] is not None]
    below.sort(key=lambda d: -d["r"])  # stable: ties keep instrument order
    top = {d["item"] for d in below[:5]}
    for d in table:
        if t in item_hidden[d["item"]] or d["pairs"] < MIN_N:
            continue  # hidden cell, or fewer pairs than the minimum: no row (the priorities above still ran over every driver item)
        rows.append([PERIOD, t, d["item"], first_factor[d["item"]], d["pairs"], d["r"], d["fav"], d["item"] in top])
write("expected_drivers.csv", ["period", "team_id", "item_id", "factor_id", "respondents_pairs", "correlation",
                               "favorable_pct", "priority"], rows)
print("shown:", shown_units, "status:", {t: s for t, s in status.items() if s})
