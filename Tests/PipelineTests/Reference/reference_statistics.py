#!/usr/bin/env python3
"""Independent reference for the sample's statistics exports (METRICS.md 5 and 6):
factor_scores.csv, trends.csv, correlations.csv, drivers.csv (with relative weights),
agreement.csv and reliability.csv of one period.

Written from shared/docs/METRICS.md and docs/DECISIONS.md (notes 13 and S1-S7) only -- not from
Sources/. Reading the pipeline file, the organisation, the instrument and the exports reuses
reference_team_metrics.py (itself independent of the Swift code); the statistics are computed here
one group at a time with numpy/scipy (the Swift code rolls additive sums up the tree).

Usage (from this folder):
    python3 reference_statistics.py ../../../Pipelines/quarterly.yml 2026-Q3

writes expected_<name>_<PERIOD>.csv beside this script with full precision (repr); the Swift test
(Tests/PipelineTests/StatisticsReferenceTests.swift) rounds each expected number to the CSV's 6 decimals
and compares to 1e-9, labels exactly.

Choices (DECISIONS.md): the previous period is the latest earlier period with responses; change only for
units shown in both periods (suppression recomputed on this organisation) and factors whose item texts
(the export's question row) are equal in both periods; person-level value = favorable share x100; one
Benjamini-Hochberg family over every tested cell; drivers for shown groups of >= 30 respondents, items
outside the engagement factor except eNPS; relative weights (Johnson 2000, raw, summing to R^2) from
complete cases; rwg(j) per shown unit over items with >= 2 answers; alpha on complete cases and ICC by the
respondents' own units that the report shows with the factor's cell shown and at least min_respondents of their
own, organisation-wide, only when every root is shown.

Confidentiality per cell (METRICS.md 6, "no score for fewer than min_respondents people, not even by
subtraction", applied to every item, factor and eNPS column; R.hidden_cells / R.HiddenCells): a hidden
factor cell has no factor_scores or agreement row, and a factor cell hidden in the previous period leaves
that row's change columns blank and out of the Benjamini-Hochberg family; trends blank engagement_index /
enps / balance_index of a period whose engagement / eNPS / autonomy or accountability cell is hidden;
a hidden item cell has no drivers row (priorities still ranked over all driver items); a unit with hidden
engagement is left out of the correlation.
"""
import csv
import glob
import math
import os
import sys

import numpy as np
import yaml
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_team_metrics as R  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER_MIN = 30


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, str):
        return v
    return repr(float(v))


def write(name, period, header, rows):
    with open(os.path.join(HERE, f"expected_{name}_{period}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(v) for v in r])


def main():
    pipeline_path, period = sys.argv[1], sys.argv[2]
    base = os.path.dirname(os.path.abspath(pipeline_path))
    pipe = yaml.safe_load(open(pipeline_path, encoding="utf-8"))
    org = R.Org(os.path.join(base, pipe["organization"]["teams"]))
    inst = R.Instrument(os.path.join(base, pipe["instrument"]))
    k_min = int((pipe.get("confidentiality") or {}).get("min_respondents", 5))
    mcfg = pipe.get("metrics") or {}
    aggregation = mcfg.get("favorable_aggregation", "item-mean")
    inclusive = bool(mcfg.get("cycle_time_inclusive", True))
    want_rw = bool(mcfg.get("relative_weights", False))

    periods = {}  # period -> {respondent: (team, answers)}
    texts = {}  # period -> {item: set of question texts}
    ideas, goals = [], []
    for src in pipe.get("sources") or []:
        if src.get("kind") == "survey":
            for p, rows in R.read_survey(src, base, org, inst, R.dt.timezone.utc, "quarter").items():
                for rid, val in rows.items():
                    periods.setdefault(p, {})[(src["id"], rid)] = val
            enps_role = inst.role.get("enps")
            item_texts(src, base, texts, inst.factors[enps_role][0] if enps_role and len(inst.factors[enps_role]) == 1 else None)
        elif src.get("kind") == "ideas":
            ideas.extend(R.read_ideas(src, base, org))
        elif src.get("kind") == "goals":
            goals.extend(R.read_goals(src, base, org))
    stored = sorted(periods, key=R.period_key)

    items = list(inst.items)
    factors = list(inst.factors)
    fav = lambda i, v: v in inst.items[i][0].favorable
    scale = lambda i: inst.items[i][0]
    norm = lambda i, v: 100.0 * (v - scale(i).min) / (scale(i).max - scale(i).min)

    def group(p, t):
        return [a for team, a in periods.get(p, {}).values() if team in org.subtree[t]]

    def reasons_of(p):
        """(n, unit suppression reasons, hidden cells) of period p."""
        return R.period_cells(org, inst, periods.get(p, {}), k_min, aggregation)

    def shares(rows, fid):
        out = []
        for a in rows:
            got = [i for i in inst.factors[fid] if i in a]
            if got:
                out.append(100.0 * sum(fav(i, a[i]) for i in got) / len(got))
        return out

    def scores(rows, fid):
        out = []
        for a in rows:
            got = [norm(i, a[i]) for i in inst.factors[fid] if i in a]
            if got:
                out.append(sum(got) / len(got))
        return out

    def item_pct(rows, i):
        vals = [a[i] for a in rows if i in a]
        return 100.0 * sum(fav(i, v) for v in vals) / len(vals) if vals else None

    def factor_pct(rows, fid):
        if aggregation == "item-mean":
            return R.mean([x for x in (item_pct(rows, i) for i in inst.factors[fid]) if x is not None])
        if aggregation == "person-mean":
            return R.mean(shares(rows, fid))
        tot = [fav(i, a[i]) for a in rows for i in inst.factors[fid] if i in a]
        return 100.0 * sum(tot) / len(tot) if tot else None

    def same_texts(fid, p, q):
        return all(texts.get(p, {}).get(i) and texts.get(p, {}).get(i) == texts.get(q, {}).get(i)
                   for i in inst.factors[fid])

    n_now, now_reasons, now_cells = reasons_of(period)
    shown = [t for t in org.sorted_ids if t not in now_reasons]

    # ---- factor scores and changes -------------------------------------------------------------
    earlier = [p for p in stored if R.period_key(p) < R.period_key(period)]
    prev = earlier[-1] if earlier else None
    prev_reasons, prev_cells = reasons_of(prev)[1:] if prev else ({}, None)
    out, cells = [], []
    for t in shown:
        rows, N = group(period, t), org.headcount(t)
        before = group(prev, t) if prev else []
        for fid in factors:
            if now_cells.factor(t, fid):
                continue  # hidden factor cell: no row
            sh, sc = shares(rows, fid), scores(rows, fid)
            f = factor_pct(rows, fid)
            s = R.mean(sc)
            flo, fhi = R.factor_interval(f, sh, N)
            slo, shi = R.factor_interval(s, sc, N)
            row = dict(team_id=t, factor_id=fid, respondents=len(sh), favorable=f, favorable_low=flo,
                       favorable_high=fhi, score=s, score_low=slo, score_high=shi, previous_period=None,
                       change=None, difference=None, t=None, df=None, p_value=None, p_adjusted=None,
                       trend_break=None)
            if prev and t not in prev_reasons and not prev_cells.factor(t, fid):
                row["previous_period"] = prev
                row["trend_break"] = not same_texts(fid, prev, period)
                b = shares(before, fid)
                if not row["trend_break"]:
                    if sh and b:
                        row["difference"] = float(np.mean(sh) - np.mean(b))
                    if len(sh) >= 2 and len(b) >= 2 and not (np.var(sh) == 0 and np.var(b) == 0):
                        res = stats.ttest_ind(sh, b, equal_var=False)
                        va, vb = np.var(sh, ddof=1) / len(sh), np.var(b, ddof=1) / len(b)
                        row["t"] = float(res.statistic)
                        row["df"] = (va + vb) ** 2 / (va ** 2 / (len(sh) - 1) + vb ** 2 / (len(b) - 1))
                        row["p_value"] = float(res.pvalue)
                        cells.append(row)
                    elif len(sh) >= 2 and len(b) >= 2 and np.var(sh) == 0 and np.var(b) == 0 and sh[0] == b[0]:
                        row["change"] = "no clear change"  # the same value from everyone in both periods: nothing to test
            out.append(row)
    if cells:
        for c, q in zip(cells, stats.false_discovery_control([c["p_value"] for c in cells], method="bh")):
            c["p_adjusted"] = float(q)
            c["change"] = ("up" if c["t"] > 0 else "down") if q < 0.05 else "no clear change"
    cols = ["team_id", "factor_id", "respondents", "favorable", "favorable_low", "favorable_high", "score",
            "score_low", "score_high", "previous_period", "change", "difference", "t", "df", "p_value",
            "p_adjusted", "trend_break"]
    write("factor_scores", period, ["period"] + cols, [[period] + [r[c] for c in cols] for r in out])

    # ---- trends: every unit x every stored period up to this one, on this organisation -----------
    eng, enps_f = inst.role.get("engagement"), inst.role.get("enps")
    aut, acc = inst.role.get("autonomy"), inst.role.get("accountability")
    upto = [p for p in stored if R.period_key(p) <= R.period_key(period)]
    info = {p: reasons_of(p) for p in upto}
    trend = []
    for t in org.sorted_ids:
        for k, p in enumerate(upto):
            n, reasons, hid = info[p]
            start, end = R.parse_period(p)
            impl = R.idea_metrics([i for i in ideas if i[0] in org.subtree[t]], start, end, None,
                                  inclusive)["ideas_implemented"]
            brk = k > 0 and not same_texts(eng, upto[k - 1], p)
            if t in reasons:
                trend.append([p, t, None, None, None, None, impl, brk, reasons[t]])
                continue
            rows = group(p, t)
            e = factor_pct(rows, eng)
            enps = None
            if enps_f:
                i = inst.factors[enps_f][0]
                vals = [a[i] for a in rows if i in a]
                if vals:
                    enps = 100.0 * (sum(v in scale(i).favorable for v in vals)
                                    - sum(v in scale(i).unfavorable for v in vals)) / len(vals)
            A, C = factor_pct(rows, aut), factor_pct(rows, acc)
            bal = math.sqrt(A * C) if A is not None and C is not None else None
            if hid.factor(t, eng):
                e = None
            if hid.enps(t):
                enps = None
            if hid.factor(t, aut) or hid.factor(t, acc):
                bal = None
            trend.append([p, t, n[t], e, enps, bal, impl, brk, None])
    write("trends", period, ["period", "team_id", "respondents", "engagement_index", "enps", "balance_index",
                             "ideas_implemented", "engagement_trend_break", "suppressed"], trend)

    # ---- goal attainment x engagement index over shown leaf units ----------------------------------
    x, y = [], []
    for t in shown:
        if org.children[t]:
            continue
        g = [v for team, p, v in goals if team in org.subtree[t] and p == period]
        e = None if now_cells.factor(t, eng) else factor_pct(group(period, t), eng)
        if g and e is not None:
            x.append(e)
            y.append(sum(g) / len(g))
    r = float(stats.pearsonr(x, y)[0]) if len(x) >= 3 and np.std(x) > 0 and np.std(y) > 0 else None
    write("correlations", period, ["period", "x", "y", "scope", "r", "n"],
          [[period, "engagement_index", "goal_attainment", "leaf-units", r, len(x)]])

    # ---- rwg(j) per shown unit and factor ---------------------------------------------------------
    agree = []
    for t in shown:
        rows = group(period, t)
        for fid in factors:
            if now_cells.factor(t, fid):
                continue  # hidden factor cell: no row
            points = {scale(i).max - scale(i).min + 1 for i in inst.factors[fid]}
            variances = []
            for i in inst.factors[fid]:
                v = [a[i] for a in rows if i in a]
                if len(v) >= 2:
                    variances.append(float(np.var(v, ddof=1)))
            rwg = None
            if len(points) == 1 and variances:
                a_pts = points.pop()
                null = (a_pts * a_pts - 1) / 12.0
                s2, j = float(np.mean(variances)), len(variances)
                rwg = 0.0 if s2 > null else j * (1 - s2 / null) / (j * (1 - s2 / null) + s2 / null)
            answered = sum(1 for a in rows if any(i in a for i in inst.factors[fid]))
            agree.append([period, t, fid, rwg, answered, None if rwg is None else rwg < 0.70])
    write("agreement", period, ["period", "team_id", "factor_id", "rwg_j", "respondents", "low_agreement"], agree)

    # ---- Cronbach's alpha, ICC(1), ICC(2), organisation-wide ---------------------------------------
    rel = []
    everyone = list(periods.get(period, {}).values())
    if all(t not in now_reasons for t in org.roots):
        for fid in factors:
            its = inst.factors[fid]
            if len(its) >= 2:
                m = np.array([[a[i] for i in its] for _, a in everyone if all(i in a for i in its)], dtype=float)
                alpha = None
                if len(m) >= 2 and np.var(m.sum(axis=1), ddof=1) > 0:
                    alpha = len(its) / (len(its) - 1) * (1 - m.var(axis=0, ddof=1).sum()
                                                         / np.var(m.sum(axis=1), ddof=1))
                rel.append([period, fid, "organisation", "cronbach_alpha", alpha, len(m),
                            "low" if alpha is not None and alpha < 0.70 else None])
            by_team = {}
            for team, a in everyone:
                got = [norm(i, a[i]) for i in its if i in a]
                if got:
                    by_team.setdefault(team, []).append(sum(got) / len(got))
            # Confidentiality: only groups the report shows (own unit not suppressed, the factor's cell shown) with
            # at least min_respondents scored respondents of their own; a hidden group's mean would be read back.
            by_team = {t: vs for t, vs in by_team.items()
                       if len(vs) >= k_min and t not in now_reasons and not now_cells.factor(t, fid)}
            allv = [v for vs in by_team.values() for v in vs]
            N, G = len(allv), len(by_team)
            icc1 = icc2 = None
            if G >= 2 and N > G:
                grand = np.mean(allv)
                ssb = sum(len(vs) * (np.mean(vs) - grand) ** 2 for vs in by_team.values())
                ssw = sum(((np.array(vs) - np.mean(vs)) ** 2).sum() for vs in by_team.values())
                msb, msw = ssb / (G - 1), ssw / (N - G)
                kk = N / G
                icc1 = (msb - msw) / (msb + (kk - 1) * msw)
                icc2 = (msb - msw) / msb
            rel.append([period, fid, "organisation", "icc1", icc1, N, None])
            rel.append([period, fid, "organisation", "icc2", icc2, N, None])
    write("reliability", period, ["period", "factor_id", "scope", "statistic", "value", "n", "flag"], rel)

    # ---- key drivers and relative weights -----------------------------------------------------------
    enps_item = inst.factors[enps_f][0] if enps_f else None
    drivers = [i for i in items if i not in inst.factors[eng] and i != enps_item]
    first = {}
    for fid in factors:
        for i in inst.factors[fid]:
            first.setdefault(i, fid)
    drv = []
    for t in shown:
        rows = group(period, t)
        # Confidentiality: no drivers where the engagement cell is hidden; a correlation needs min_respondents pairs,
        # relative weights that many complete cases.
        if n_now[t] < DRIVER_MIN or now_cells.factor(t, eng):
            continue
        esc = []
        for a in rows:
            got = [norm(i, a[i]) for i in inst.factors[eng] if i in a]
            esc.append(sum(got) / len(got) if got else None)
        table = []
        for i in drivers:
            pairs = [(a[i], e) for a, e in zip(rows, esc) if i in a and e is not None]
            r = None
            if len(pairs) >= max(2, k_min) and np.std([p[0] for p in pairs]) > 0 and np.std([p[1] for p in pairs]) > 0:
                r = float(stats.pearsonr([p[0] for p in pairs], [p[1] for p in pairs])[0])
            table.append(dict(item=i, pairs=len(pairs), r=r, fav=item_pct(rows, i), rw=None))
        median = float(np.median([d["fav"] for d in table if d["fav"] is not None]))
        below = sorted([d for d in table if d["fav"] is not None and d["fav"] < median and d["r"] is not None],
                       key=lambda d: -d["r"])
        top = {d["item"] for d in below[:5]}
        if want_rw:
            cases = [(a, e) for a, e in zip(rows, esc) if e is not None and all(i in a for i in drivers)]
            X = np.array([[a[i] for i in drivers] for a, _ in cases], dtype=float)
            yv = np.array([e for _, e in cases], dtype=float)
            w = None
            if len(cases) >= max(3, k_min) and X.std(axis=0).min() > 0 and yv.std() > 0:
                w = johnson(X, yv)
            if w is not None:
                for d, wk in zip(table, w):
                    d["rw"] = float(wk)
        for d in table:
            if now_cells.item(t, d["item"]) or d["pairs"] < k_min:
                continue  # hidden item cell, or fewer pairs than the minimum: no row (the ranking above still saw it)
            drv.append([period, t, d["item"], first.get(d["item"]), d["pairs"], d["r"], d["fav"], d["item"] in top,
                        d["rw"]])
    write("drivers", period, ["period", "team_id", "item_id", "factor_id", "respondents_pairs", "correlation",
                              "favorable_pct", "priority", "relative_weight"], drv)


def johnson(X, y):
    """Johnson (2000) raw relative weights: Lambda = R_xx^(1/2); beta = Lambda^-1 r_xy; w = Lambda^2 beta^2."""
    Rm = np.corrcoef(np.column_stack([X, y]), rowvar=False)
    p = X.shape[1]
    rxx, rxy = Rm[:p, :p], Rm[:p, p]
    lam, Q = np.linalg.eigh(rxx)
    if lam.min() <= 1e-10:
        return None
    L = Q @ np.diag(np.sqrt(lam)) @ Q.T
    beta = np.linalg.solve(L, rxy)
    return (L ** 2) @ (beta ** 2)


def item_texts(src, base, texts, enps_item):
    """The question text of each mapped item per period: row 2 of a Qualtrics export, for the periods of its rows."""
    if src.get("format") != "qualtrics-csv":
        return
    items_map = {str(k): str(v) for k, v in (src.get("items") or {}).items()}
    enps_col = (src.get("fields") or {}).get("enps")
    if enps_col and enps_item:
        items_map.setdefault(str(enps_col), enps_item)  # the eNPS question is mapped under fields:
    sub_col = (src.get("fields") or {}).get("submitted")
    for path in sorted(glob.glob(os.path.join(base, src["path"]))):
        with open(path, encoding="utf-8-sig", newline="") as f:
            rd = csv.reader(f)
            header, question = next(rd), next(rd)
            next(rd)
            ix = {R.clean(c): i for i, c in enumerate(header)}
            found = set()
            for row in rd:
                ts = R.parse_timestamp(row[ix[sub_col]]) if sub_col in ix and ix[sub_col] < len(row) else None
                if ts:
                    found.add(R.period_of(ts.date(), "quarter"))
        for p in found:
            for col, iid in items_map.items():
                if col in ix:
                    texts.setdefault(p, {}).setdefault(iid, question[ix[col]])


if __name__ == "__main__":
    main()
