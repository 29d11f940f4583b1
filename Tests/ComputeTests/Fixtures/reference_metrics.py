#!/usr/bin/env python3
"""Independent reference for LeanPulse's Compute stage (METRICS.md sections 1-6).

Reads the hand-made fixtures next to this file and writes the expected values the Swift tests
compare against. Written from METRICS.md directly, one group at a time with plain loops: it shares
no code or structure with the Swift implementation (which aggregates bottom-up in flat arrays).

    python3 reference_metrics.py      # rewrites expected_*.csv in this folder

Confidentiality (METRICS.md 6: no score for fewer than min_respondents people, "not even by subtraction"):
hidden_cells(count, withheld) is the section's algorithm on one column, count = team -> subtree count of the
people behind it; the teams in `withheld` start out suppressed, then step 1 (count < min, 0 included), then
the repeat-until-stable complementary loop with "not suppressed" read as "known" (a suppressed unit with
children, nothing of its own and its count the sum over its known children adds up from published totals;
picking it descends to its smallest known child with count > 0, down to a shown unit). Units: one run on
respondent counts. Cells of a shown unit t, each column its own run with withheld = the suppressed units:
item (t, i) on the answers to i; factor (t, f) hidden iff count(t) > 0 and (t is hidden on f's respondent
counts, or an item of f with answers in t has its item cell hidden); eNPS (t) hidden iff count(t) > 0 and t is
hidden on the eNPS answers. Under person-mean only, a factor (t, f) is also hidden iff partial(t) > 0 and t is
hidden on partial counts, partial = respondents who answered some but not all items of f (each weighs by the items
they answered, so the factor against its items would give them away; DECISIONS 44).
Effects: a hidden factor cell blanks fav_/score_<factor> and what is built on it (engagement index, its interval
and score; alignment; autonomy/accountability with intervals; balance index/gap, quadrant and borderline when
either of the two is hidden); a hidden eNPS cell blanks enps; the engagement/goal correlation leaves out units
without an engagement index.
"""
import csv
import json
import math
import os
from datetime import date, timedelta

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def read_csv(name):
    with open(path(name), newline="") as f:
        return list(csv.DictReader(f))


settings = json.load(open(path("settings.json")))
instrument = json.load(open(path("instrument.json")))
org = read_csv("org.csv")
responses = read_csv("responses.csv")
ideas = read_csv("ideas.csv")
goals = read_csv("goals.csv")

MIN_N = settings["min_respondents"]
STRENGTH = settings["strength_threshold"]
INCLUSIVE = settings["cycle_time_inclusive"]
year, q = settings["period"].split("-Q")
year, q = int(year), int(q)
START = date(year, 3 * (q - 1) + 1, 1)
END = date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
DAYS = (END - START).days + 1

# ---- organisation -------------------------------------------------------------------------------
ids = [u["team_id"] for u in org]
parent = {u["team_id"]: (u["parent_id"] or None) for u in org}
headcount = {u["team_id"]: (int(u["headcount"]) if u["headcount"] else None) for u in org}
def id_key(t):
    return (0, int(t), t) if t.isdigit() else (1, 0, t)
ids.sort(key=id_key)
children = {t: sorted([c for c in ids if parent[c] == t], key=id_key) for t in ids}


def subtree(t):
    out = [t]
    for c in children[t]:
        out += subtree(c)
    return set(out)


# ---- instrument ---------------------------------------------------------------------------------
scales = {s["id"]: s for s in instrument["scales"]}
FAVORABLE = {5: {4, 5}, 7: {6, 7}, 11: {9, 10}, 4: {3, 4}, 6: {5, 6}}  # by scale length, min = 1 (0 for 11)
items = instrument["items"]
factors = instrument["factors"]


def favorable_values(scale):
    points = scale["max"] - scale["min"] + 1
    # METRICS.md 1 states the sets for scales starting at 1 (0 for the 0-10 scale); shift for others.
    base = 0 if points == 11 else 1
    return {v - base + scale["min"] for v in FAVORABLE[points]}


def scored(item, raw):
    """The answer after METRICS.md 1 (range check, reverse scoring), or None if not answered."""
    if raw == "":
        return None
    x = int(raw)
    s = scales[item["scale"]]
    if x < s["min"] or x > s["max"]:
        return None
    if item["reverse"]:
        x = s["min"] + s["max"] - x
    return x


def normalized(item, x):
    s = scales[item["scale"]]
    return 100.0 * (x - s["min"]) / (s["max"] - s["min"])


def is_favorable(item, x):
    return x in favorable_values(scales[item["scale"]])


item_by_id = {it["id"]: it for it in items}
person_rows = []  # (team, {item id: scored value})
for r in responses:
    person_rows.append((r["team"], {it["id"]: scored(it, r[it["id"]]) for it in items}))


def factor_favorable(rows, factor, aggregation):
    fitems = [item_by_id[i] for i in factor["items"]]
    if aggregation == "item-mean":
        percents = []
        for it in fitems:
            answered = [p[it["id"]] for _, p in rows if p[it["id"]] is not None]
            if answered:
                percents.append(100.0 * sum(is_favorable(it, x) for x in answered) / len(answered))
        return sum(percents) / len(percents) if percents else None
    if aggregation == "pooled":
        fav = tot = 0
        for _, p in rows:
            for it in fitems:
                if p[it["id"]] is not None:
                    tot += 1
                    fav += is_favorable(it, p[it["id"]])
        return 100.0 * fav / tot if tot else None
    shares = person_shares(rows, factor)
    return sum(shares) / len(shares) if shares else None


def person_shares(rows, factor):
    fitems = [item_by_id[i] for i in factor["items"]]
    shares = []
    for _, p in rows:
        answered = [(it, p[it["id"]]) for it in fitems if p[it["id"]] is not None]
        if answered:
            shares.append(100.0 * sum(is_favorable(it, x) for it, x in answered) / len(answered))
    return shares


def factor_score(rows, factor):
    fitems = [item_by_id[i] for i in factor["items"]]
    means = []
    for _, p in rows:
        answered = [normalized(it, p[it["id"]]) for it in fitems if p[it["id"]] is not None]
        if answered:
            means.append(sum(answered) / len(answered))
    return sum(means) / len(means) if means else None


def interval(point, shares, population):
    n = len(shares)
    if point is None or n < 2:
        return None, None
    if population is not None and population <= n:
        return point, point
    s = float(np.std(shares, ddof=1))
    half = float(stats.t.ppf(0.975, n - 1)) * s / math.sqrt(n)
    if population is not None:
        half *= math.sqrt((population - n) / (population - 1))
    clip = lambda v: min(100.0, max(0.0, v))
    return clip(point - half), clip(point + half)


def factor_with_role(role):
    return next((f for f in factors if f.get("role") == role), None)


# ---- confidentiality (METRICS.md 6) ------------------------------------------------------------
def hidden_cells(count, withheld=(), log=None):
    """METRICS.md 6 on one column: `count` is team -> subtree count of the people behind the column.

    The teams in `withheld` start out suppressed; step 1 suppresses every team with count < MIN_N (0 too);
    step 2 repeats until stable, in ascending team id order: R = count(U) - sum of count(C) over U's known
    children; if 0 < R < MIN_N, suppress the known child with the fewest people (ties: smallest id).
    "Known" reads "not suppressed" as "its total can be read off published figures": a suppressed unit with
    children, nothing of its own and nothing hidden below (its count equals the sum over its known children)
    is known; when such a unit is the child to suppress, the choice descends into it, to its smallest known
    child with count > 0, until a shown unit. Returns team -> reason; `log` gets (team, reason, protects)."""
    reason = {t: "withheld" for t in withheld}
    for t in ids:
        if t not in reason and count[t] < MIN_N:
            reason[t] = "below-minimum"
            if log is not None:
                log.append((t, "below-minimum", ""))

    def known(t):
        if t not in reason:
            return True
        return bool(children[t]) and count[t] - sum(count[c] for c in children[t] if known(c)) == 0

    def smallest_known(t):
        cands = [c for c in children[t] if known(c) and count[c] > 0]
        return min(cands, key=lambda c: (count[c], id_key(c))) if cands else None

    changed = True
    while changed:
        changed = False
        for u in ids:
            if not children[u]:
                continue
            rest = count[u] - sum(count[c] for c in children[u] if known(c))
            victim = smallest_known(u) if 0 < rest < MIN_N else None
            while victim is not None and victim in reason:
                victim = smallest_known(victim)
            if victim is not None:
                reason[victim] = "complementary"
                if log is not None:
                    log.append((victim, "complementary", u))
                changed = True
    return reason


# Units suppressed as a whole: the rule on respondent counts.
n_of = {t: sum(1 for team, _ in person_rows if team in subtree(t)) for t in ids}
log = []
status = {t: None for t in ids}
status.update(hidden_cells(n_of, log=log))
WITHHELD = {t for t in ids if status[t]}

# Cells (METRICS.md 6, "not even by subtraction", applied per column): each item, each factor's
# respondents and the eNPS answers get their own run of the rule, starting from the suppressed units.
def column_count(has):
    return {t: sum(1 for team, p in person_rows if team in subtree(t) and has(p)) for t in ids}


item_count = {it["id"]: column_count(lambda p, i=it["id"]: p[i] is not None) for it in items}
item_hidden = {i: set(hidden_cells(item_count[i], WITHHELD)) for i in item_count}
factor_hidden = {}  # factor id -> set of shown units whose factor cell is hidden
for f in factors:
    cnt = column_count(lambda p, f=f: any(p[i] is not None for i in f["items"]))
    run = hidden_cells(cnt, WITHHELD)
    factor_hidden[f["id"]] = {t for t in ids if status[t] is None and cnt[t] > 0 and (
        t in run or any(item_count[i][t] > 0 and t in item_hidden[i] for i in f["items"]))}
# person-mean: the respondents who answered only part of a factor are a column of their own.
partial_hidden = {}  # factor id -> shown units whose factor cell the partial answerers hide (person-mean)
for f in factors:
    cnt = column_count(lambda p, f=f: 0 < sum(p[i] is not None for i in f["items"]) < len(f["items"]))
    run = hidden_cells(cnt, WITHHELD)
    partial_hidden[f["id"]] = {t for t in ids if status[t] is None and cnt[t] > 0 and t in run}


def hidden_factor(t, fid, aggregation):
    return t in factor_hidden[fid] or (aggregation == "person-mean" and t in partial_hidden[fid])


ENPS_ITEM = next(f for f in factors if f.get("role") == "enps")["items"][0]
enps_run = hidden_cells(item_count[ENPS_ITEM], WITHHELD)
enps_hidden = {t for t in ids if status[t] is None and item_count[ENPS_ITEM][t] > 0 and t in enps_run}


# ---- ideas --------------------------------------------------------------------------------------
def day(text):
    return date.fromisoformat(text) if text else None


idea_rows = [dict(team=i["team"], s=day(i["submitted"]), i=day(i["implemented"]), r=day(i["rejected"]),
                  who=i["submitter"] or None) for i in ideas]
has_submitters = any(i["who"] is not None for i in idea_rows)


def nearest_rank(values, p):
    if not values:
        return None
    v = sorted(values)
    position = -(-p * len(v) // 100)  # ceil(p * m / 100) in integers
    return float(v[position - 1])


def in_period(d):
    return d is not None and START <= d <= END


# ---- goals --------------------------------------------------------------------------------------
def attainment(g):
    if g["score"]:
        return float(g["score"])
    return min(float(g["actual"]) / float(g["target"]), 1.0)


goal_rows = [(g["team"], attainment(g)) for g in goals]


# ---- per unit -----------------------------------------------------------------------------------
def fmt(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, str):
        return v
    return repr(float(v))


def quadrant(a, c):
    if a >= STRENGTH:
        return "shared-responsibility" if c >= STRENGTH else "drifting"
    return "command-and-control" if c >= STRENGTH else "disengaged"


def contains(low, high):
    if low is None:
        return None
    return bool(low <= STRENGTH <= high)


def unit_row(t, aggregation):
    members = subtree(t)
    rows = [(team, p) for team, p in person_rows if team in members]
    # METRICS.md 1: the sum over the subtree, unknown when any unit of it states no headcount.
    own = [headcount[m] for m in members]
    N = None if any(h is None for h in own) else sum(own)
    n = len(rows)
    out = dict(aggregation=aggregation, team_id=t, respondents=n, headcount=N, suppressed=status[t] or "")
    survey = status[t] is None
    out["response_rate"] = 100.0 * n / N if survey and N else None

    def estimate(role):
        f = factor_with_role(role)
        point = factor_favorable(rows, f, aggregation)
        low, high = interval(point, person_shares(rows, f), N)
        return point, low, high

    if survey:
        e, el, eh = estimate("engagement")
        a, al, ah = estimate("autonomy")
        c, cl, ch = estimate("accountability")
        out.update(engagement_index=e, engagement_index_low=el, engagement_index_high=eh,
                   engagement_score=factor_score(rows, factor_with_role("engagement")),
                   alignment=factor_favorable(rows, factor_with_role("alignment"), aggregation),
                   autonomy=a, autonomy_low=al, autonomy_high=ah,
                   accountability=c, accountability_low=cl, accountability_high=ch)
        enps_item = factor_with_role("enps")["items"][0]
        answers = [p[enps_item] for _, p in rows if p[enps_item] is not None]
        out["enps"] = (100.0 * sum(x >= 9 for x in answers) / len(answers)
                       - 100.0 * sum(x <= 6 for x in answers) / len(answers)) if answers else None
        # Hidden cells (METRICS.md 6 per column): a hidden factor blanks everything built on it.
        hidden = lambda role: hidden_factor(t, factor_with_role(role)["id"], aggregation)
        if hidden("engagement"):
            for k in ("engagement_index", "engagement_index_low", "engagement_index_high", "engagement_score"):
                out[k] = None
        if hidden("alignment"):
            out["alignment"] = None
        for role in ("autonomy", "accountability"):
            if hidden(role):
                out[role] = out[role + "_low"] = out[role + "_high"] = None
        if t in enps_hidden:
            out["enps"] = None
        if a is not None and c is not None and not hidden("autonomy") and not hidden("accountability"):
            out["balance_index"] = math.sqrt(a * c)
            out["balance_gap"] = a - c
            out["quadrant"] = quadrant(a, c)
            ca, cc = contains(al, ah), contains(cl, ch)
            out["borderline"] = True if (ca or cc) else (False if (ca is False and cc is False) else None)
        for f in factors:
            if hidden_factor(t, f["id"], aggregation):
                continue
            out["fav_" + f["id"]] = factor_favorable(rows, f, aggregation)
            out["score_" + f["id"]] = factor_score(rows, f)

    mine = [i for i in idea_rows if i["team"] in members]
    sub = [i for i in mine if in_period(i["s"])]
    imp = [i for i in mine if in_period(i["i"])]
    rej = [i for i in mine if in_period(i["r"])]
    out.update(ideas_submitted=len(sub), ideas_implemented=len(imp), ideas_rejected=len(rej))
    out["implementation_rate"] = 100.0 * len(imp) / (len(imp) + len(rej)) if imp or rej else None
    out["ideas_per_person_year"] = len(sub) / N * 365 / DAYS if N else None
    out["participation"] = (100.0 * len({i["who"] for i in sub if i["who"] is not None}) / N
                            if N and has_submitters else None)
    cycle = [(i["i"] - i["s"]).days + (1 if INCLUSIVE else 0) for i in imp]
    out["cycle_time_p50"] = nearest_rank(cycle, 50)
    out["cycle_time_p85"] = nearest_rank(cycle, 85)
    out["cycle_time_p95"] = nearest_rank(cycle, 95)
    wip = [i for i in mine if i["s"] <= END and not (i["i"] and i["i"] <= END) and not (i["r"] and i["r"] <= END)]
    out["wip"] = len(wip)
    out["age_p85"] = nearest_rank([(END - i["s"]).days + 1 for i in wip], 85)
    mine_goals = [g for team, g in goal_rows if team in members]
    out["goal_attainment"] = sum(mine_goals) / len(mine_goals) if mine_goals else None
    out["goal_count"] = len(mine_goals)
    return out


COLUMNS = (["aggregation", "team_id", "respondents", "headcount", "response_rate", "suppressed",
            "engagement_index", "engagement_index_low", "engagement_index_high", "engagement_score", "enps",
            "alignment", "autonomy", "autonomy_low", "autonomy_high", "accountability", "accountability_low",
            "accountability_high", "balance_index", "balance_gap", "quadrant", "borderline"]
           + ["fav_" + f["id"] for f in factors] + ["score_" + f["id"] for f in factors]
           + ["ideas_submitted", "ideas_implemented", "ideas_rejected", "implementation_rate",
              "ideas_per_person_year", "participation", "cycle_time_p50", "cycle_time_p85", "cycle_time_p95",
              "wip", "age_p85", "goal_attainment", "goal_count"])

shown = [t for t in ids if status[t] is None]
print("hidden cells of shown units: item", sum(len(item_hidden[i] & set(shown)) for i in item_hidden),
      "factor", sum(len(v) for v in factor_hidden.values()), "enps", len(enps_hidden))
print("  items:", sorted((t, i) for i in item_hidden for t in item_hidden[i] if t in shown))
print("  factors:", sorted((t, f) for f in factor_hidden for t in factor_hidden[f]), "enps:", sorted(enps_hidden))
print("  person-mean adds:", sorted((t, f) for f in partial_hidden for t in partial_hidden[f] - factor_hidden[f]))

summary = []
with open(path("expected_metrics.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(COLUMNS)
    for aggregation in ["item-mean", "pooled", "person-mean"]:
        units = [unit_row(t, aggregation) for t in ids]
        for u in units:
            w.writerow([fmt(u.get(c)) for c in COLUMNS])
        # Correlation across leaf units that are shown and have both values.
        pairs = [(u["engagement_index"], u["goal_attainment"]) for u in units
                 if not children[u["team_id"]] and not u["suppressed"]
                 and u.get("engagement_index") is not None and u["goal_attainment"] is not None]
        if len(pairs) >= 3:
            r = float(np.corrcoef([p[0] for p in pairs], [p[1] for p in pairs])[0, 1])
            summary.append((aggregation, r, len(pairs)))
        else:
            summary.append((aggregation, None, len(pairs)))

with open(path("expected_summary.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["aggregation", "correlation_r", "correlation_n"])
    for a, r, n in summary:
        w.writerow([a, fmt(r), n])

with open(path("expected_suppressions.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["team_id", "reason", "protects"])
    for row in log:
        w.writerow(row)

with open(path("expected_weekly.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["team_id", "iso_year", "iso_week", "implemented"])
    for t in ids:
        members = subtree(t)
        weeks = {}
        for i in idea_rows:
            if i["team"] in members and in_period(i["i"]):
                y, wk, _ = i["i"].isocalendar()
                weeks[(y, wk)] = weeks.get((y, wk), 0) + 1
        for (y, wk), count in sorted(weeks.items()):
            w.writerow([t, y, wk, count])
