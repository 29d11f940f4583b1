#!/usr/bin/env python3
"""Independent reference computation of LeanPulse's team_metrics.csv.

Written from shared/docs/METRICS.md (sections 1, 2, 3, 4, 5 factor interval, 6) and
docs/DESIGN.md ("The pipeline file", "Outputs") only -- NOT from the Swift sources.
Everything is driven by the pipeline file and the instrument file it names.

Usage:
    python3 reference_team_metrics.py PIPELINE.yml PERIOD [--out FILE] > team_metrics.csv

PERIOD is e.g. 2026-Q3 (a quarter), 2026-07 (a month) or 2026 (a year).

Confidentiality (METRICS.md 6) holds per unit (suppress()) and per cell: an item, factor or eNPS cell of a
shown unit is blank/absent when fewer than min_respondents people stand behind it, also by subtraction
(hidden_cells(), HiddenCells).

Pseudonymization (HMAC) does not change any metric, so respondents are deduplicated on
the raw respondent id (e.g. Qualtrics ExternalReference); no key is needed.
"""

import argparse
import calendar
import csv
import datetime as dt
import glob
import math
import os
import re
import sys
import xml.etree.ElementTree as ET

import yaml
from scipy import stats

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover
    ZoneInfo = None

COLUMNS = [
    "period", "team_id", "team_name", "parent_id", "respondents", "headcount", "response_rate",
    "engagement_index", "engagement_index_low", "engagement_index_high", "engagement_score", "enps",
    "alignment", "autonomy", "accountability", "balance_index", "balance_gap", "quadrant", "borderline",
    "ideas_submitted", "ideas_implemented", "ideas_rejected", "implementation_rate",
    "ideas_per_person_year", "cycle_time_p50", "cycle_time_p85", "cycle_time_p95", "wip", "age_p85",
    "goal_attainment", "engagement_change", "suppressed", "hidden_figures", "participation",
]

# Survey columns: blank for a suppressed unit (METRICS.md 6). Headcount is organisation data,
# not answers of people, and stays (like the idea and goal figures).
SURVEY_COLUMNS = {
    "respondents", "response_rate", "engagement_index", "engagement_index_low",
    "engagement_index_high", "engagement_score", "enps", "alignment", "autonomy", "accountability",
    "balance_index", "balance_gap", "quadrant", "borderline", "engagement_change",
}

WS = " \t\r\n\u00a0\u2007\u202f\ufeff"


def clean(s):
    return "" if s is None else str(s).strip(WS)


# ----------------------------------------------------------------------------- periods

def parse_period(p):
    p = p.strip()
    m = re.fullmatch(r"(\d{4})-Q([1-4])", p)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        start = dt.date(y, 3 * q - 2, 1)
        em = 3 * q
        return start, dt.date(y, em, calendar.monthrange(y, em)[1])
    m = re.fullmatch(r"(\d{4})-(\d{2})", p)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    m = re.fullmatch(r"(\d{4})", p)
    if m:
        y = int(m.group(1))
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    raise SystemExit(f"unsupported period: {p!r}")


def period_of(day, period_kind):
    if period_kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if period_kind == "month":
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}"


def period_kind_of(p):
    if re.fullmatch(r"\d{4}-Q[1-4]", p):
        return "quarter"
    if re.fullmatch(r"\d{4}-\d{2}", p):
        return "month"
    return "year"


def parse_date(s):
    s = clean(s)
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def parse_timestamp(s):
    """Qualtrics RecordedDate: 'YYYY-MM-DD HH:MM:SS' in UTC (ImportId timeZone UTC)."""
    s = clean(s)
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(s, fmt).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    try:
        t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None


# ----------------------------------------------------------------------------- organisation

class Org:
    def __init__(self, path):
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        self.ids = []
        self.name = {}
        self.parent = {}
        self.own_headcount = {}
        for r in rows:
            tid = clean(r["team_id"])
            self.ids.append(tid)
            self.name[tid] = r.get("name", "")
            self.parent[tid] = clean(r.get("parent_id")) or None
            hc = clean(r.get("headcount"))
            self.own_headcount[tid] = int(float(hc)) if hc else None
        self.children = {t: [] for t in self.ids}
        for t in self.ids:
            p = self.parent[t]
            if p is not None:
                self.children[p].append(t)
        self.roots = [t for t in self.ids if self.parent[t] is None]
        if all(re.fullmatch(r"-?\d+", t) for t in self.ids):
            key = lambda t: int(t)
        else:
            key = lambda t: t
        self.sort_key = key
        self.sorted_ids = sorted(self.ids, key=key)
        for t in self.ids:
            self.children[t].sort(key=key)
        self.by_name = {}
        for t in self.ids:
            self.by_name.setdefault(self.name[t].strip().casefold(), t)
        self.subtree = {t: self._subtree(t) for t in self.ids}

    def _subtree(self, t):
        out, stack = [], [t]
        while stack:
            u = stack.pop()
            out.append(u)
            stack.extend(self.children[u])
        return set(out)

    def resolve(self, value):
        v = clean(value)
        if not v:
            return None
        if v in self.name:
            return v
        return self.by_name.get(v.casefold())

    def headcount(self, t):
        vals = [self.own_headcount[u] for u in self.subtree[t]]
        if any(v is None for v in vals):
            return None  # unknown
        return sum(vals)


# ----------------------------------------------------------------------------- instrument

class Scale:
    def __init__(self, spec):
        self.min = int(spec["min"])
        self.max = int(spec["max"])
        self.labels = {clean(k).casefold(): int(v) for k, v in (spec.get("labels") or {}).items()}
        self.not_answered = {clean(str(x)).casefold() for x in (spec.get("not_answered") or [])}
        points = self.max - self.min + 1
        values = list(range(self.min, self.max + 1))
        # METRICS.md 1: favorable = top 2 for 4, 5, 6, 7 and 11 points; an instrument may override.
        if spec.get("favorable") is not None:
            self.favorable = {int(x) for x in spec["favorable"]}
        else:
            self.favorable = set(values[-2:])
        if spec.get("unfavorable") is not None:
            self.unfavorable = {int(x) for x in spec["unfavorable"]}
        else:
            k = {5: 2, 7: 3, 11: 7}.get(points)
            self.unfavorable = set(values[:k]) if k else set()

    def value(self, text):
        """Answer text -> integer value, or None when not answered."""
        t = clean(text)
        if not t:
            return None
        key = t.casefold()
        if key in self.not_answered:
            return None
        if key in self.labels:
            v = self.labels[key]
        else:
            if not re.fullmatch(r"[+-]?\d+", t):
                return None  # non-numeric without a label
            v = int(t)
        if v < self.min or v > self.max:
            return None
        return v


class Instrument:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            spec = yaml.safe_load(f)
        self.scales = {k: Scale(v) for k, v in spec["scales"].items()}
        self.items = {}
        for iid, it in spec["items"].items():
            self.items[str(iid)] = (self.scales[it["scale"]], bool(it.get("reverse", False)))
        self.factors = {}
        self.role = {}
        for fid, f in spec["factors"].items():
            self.factors[str(fid)] = [str(i) for i in f["items"]]
            if f.get("role"):
                self.role[f["role"]] = str(fid)


# ----------------------------------------------------------------------------- survey

TRUE_SET = {"true", "1", "yes"}
PREVIEW_SET = {"survey preview", "survey test", "1", "2"}  # Qualtrics Status text or code


def read_survey(source, base, org, inst, tz, period_kind, include_previews=False,
                include_unfinished=False):
    """Returns {period: {respondent_key: (team, {item: value})}} after dedupe."""
    fields = source.get("fields") or {}
    items_map = {str(k): str(v) for k, v in (source.get("items") or {}).items()}
    enps_col = fields.get("enps")
    if enps_col and "enps" in inst.role:
        enps_items = inst.factors[inst.role["enps"]]
        if len(enps_items) == 1:
            items_map.setdefault(str(enps_col), enps_items[0])
    fixed_period = source.get("period")
    fmt = source.get("format", "csv")
    header_rows = 3 if fmt == "qualtrics-csv" else 1
    opts = source.get("options") or {}
    include_previews = bool(source.get("include_previews", opts.get("include_previews", include_previews)))
    include_unfinished = bool(source.get("include_unfinished", opts.get("include_unfinished", include_unfinished)))

    resp_col = fields.get("respondent")
    team_col = fields.get("team")
    sub_col = fields.get("submitted")

    files = sorted(glob.glob(os.path.join(base, source["path"])))
    if not files:
        raise SystemExit(f"no file matches {source['path']}")
    kept = {}  # (period, respondent) -> (timestamp, order, team, answers)
    anon = 0
    order = 0
    for path in files:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            # Qualtrics legacy 2-row layout: second header row followed directly by data.
            extra = []
            for _ in range(header_rows - 1):
                extra.append(next(reader, None))
            if fmt == "qualtrics-csv" and extra and extra[-1] is not None \
                    and not clean(extra[-1][0]).startswith("{"):
                # legacy layout: the "third header row" is data
                pending = [extra[-1]]
            else:
                pending = []
            ix = {clean(c): i for i, c in enumerate(header)}

            def get(row, col):
                if col is None or col not in ix or ix[col] >= len(row):
                    return ""
                return row[ix[col]]

            def rows():
                yield from pending
                yield from reader

            for row in rows():
                order += 1
                if not any(clean(c) for c in row):
                    continue
                if "Status" in ix and not include_previews:
                    if clean(get(row, "Status")).casefold() in PREVIEW_SET:
                        continue
                if "Finished" in ix and not include_unfinished:
                    if clean(get(row, "Finished")).casefold() not in TRUE_SET:
                        continue
                # team
                if team_col:
                    team = org.resolve(get(row, team_col))
                    if team is None:
                        continue  # unknown team: rejected
                else:
                    team = org.roots[0]
                # time and period
                ts = parse_timestamp(get(row, sub_col)) if sub_col else None
                if fixed_period:
                    period = str(fixed_period)
                else:
                    if ts is None:
                        continue  # no date: rejected
                    local = ts.astimezone(tz) if tz else ts
                    period = period_of(local.date(), period_kind)
                answers = {}
                for col, iid in items_map.items():
                    if iid not in inst.items:
                        continue
                    scale, rev = inst.items[iid]
                    v = scale.value(get(row, col))
                    if v is None:
                        continue
                    if rev:
                        v = scale.min + scale.max - v
                    answers[iid] = v
                rid = clean(get(row, resp_col)) if resp_col else ""
                if not rid:
                    anon += 1
                    rid = f"\x00anon{anon}"
                key = (period, rid)
                tsv = ts or dt.datetime.min.replace(tzinfo=dt.timezone.utc)
                prev = kept.get(key)
                # the latest submission counts; ties: the later row in file order
                if prev is None or (tsv, order) >= (prev[0], prev[1]):
                    kept[key] = (tsv, order, team, answers)
    out = {}
    for (period, rid), (_, _, team, answers) in kept.items():
        out.setdefault(period, {})[rid] = (team, answers)
    return out


def mean(xs):
    return sum(xs) / len(xs) if xs else None


def sample_sd(xs):
    n = len(xs)
    if n < 2:
        return None
    m = sum(xs) / n
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))


def factor_interval(point, person_values, N):
    """METRICS.md 5: point +- t(0.975,n-1) * s/sqrt(n) * sqrt((N-n)/(N-1)), clipped to [0,100]."""
    n = len(person_values)
    if point is None or n < 2:
        return None, None
    if N is not None and N > 0 and N <= n:
        return clip(point), clip(point)
    s = sample_sd(person_values)
    half = stats.t.ppf(0.975, n - 1) * s / math.sqrt(n)
    if N is not None and N > n:
        half *= math.sqrt((N - n) / (N - 1))
    return clip(point - half), clip(point + half)


def clip(x):
    return min(100.0, max(0.0, x))


def survey_metrics(responses, inst, aggregation, threshold, N):
    """responses: list of {item: value (reverse-scored)}."""
    res = {}

    def fav(iid, v):
        return v in inst.items[iid][0].favorable

    def norm(iid, v):
        sc = inst.items[iid][0]
        return 100.0 * (v - sc.min) / (sc.max - sc.min)

    def item_pct(iid):
        vals = [r[iid] for r in responses if iid in r]
        if not vals:
            return None
        return 100.0 * sum(1 for v in vals if fav(iid, v)) / len(vals)

    def person_fav_values(fid):
        out = []
        for r in responses:
            ans = [(i, r[i]) for i in inst.factors[fid] if i in r]
            if ans:
                out.append(100.0 * sum(1 for i, v in ans if fav(i, v)) / len(ans))
        return out

    def factor_pct(fid):
        its = inst.factors[fid]
        if aggregation == "item-mean":
            vals = [p for p in (item_pct(i) for i in its) if p is not None]
            return mean(vals)
        if aggregation == "pooled":
            tot = favn = 0
            for r in responses:
                for i in its:
                    if i in r:
                        tot += 1
                        favn += fav(i, r[i])
            return 100.0 * favn / tot if tot else None
        if aggregation == "person-mean":
            return mean(person_fav_values(fid))
        raise SystemExit(f"unknown favorable_aggregation {aggregation!r}")

    def factor_score(fid):
        per = []
        for r in responses:
            ans = [norm(i, r[i]) for i in inst.factors[fid] if i in r]
            if ans:
                per.append(sum(ans) / len(ans))
        return mean(per)

    role = inst.role
    eng = role.get("engagement")
    if eng:
        res["engagement_index"] = factor_pct(eng)
        lo, hi = factor_interval(res["engagement_index"], person_fav_values(eng), N)
        res["engagement_index_low"], res["engagement_index_high"] = lo, hi
        res["engagement_score"] = factor_score(eng)
    if "enps" in role:
        iid = inst.factors[role["enps"]][0]
        sc = inst.items[iid][0]
        vals = [r[iid] for r in responses if iid in r]
        if vals:
            pro = sum(1 for v in vals if v in sc.favorable)
            det = sum(1 for v in vals if v in sc.unfavorable)
            res["enps"] = 100.0 * pro / len(vals) - 100.0 * det / len(vals)
    if "alignment" in role:
        res["alignment"] = factor_pct(role["alignment"])
    A = factor_pct(role["autonomy"]) if "autonomy" in role else None
    C = factor_pct(role["accountability"]) if "accountability" in role else None
    res["autonomy"], res["accountability"] = A, C
    if A is not None and C is not None:
        res["balance_index"] = math.sqrt(A * C)
        res["balance_gap"] = A - C
        s = threshold
        if A >= s:
            res["quadrant"] = "shared-responsibility" if C >= s else "drifting"
        else:
            res["quadrant"] = "command-and-control" if C >= s else "disengaged"
        border = None
        for fid, point in ((role["autonomy"], A), (role["accountability"], C)):
            lo, hi = factor_interval(point, person_fav_values(fid), N)
            if lo is None:
                continue
            border = bool(border) or (lo <= s <= hi)
        if border is not None:
            res["borderline"] = "true" if border else "false"
    return res


# ----------------------------------------------------------------------------- suppression

def suppress(org, n, k, withheld=()):
    """METRICS.md 6, with "not suppressed" read as "known" (DECISIONS 35): a suppressed unit whose total is the sum of
    its known children (nothing of its own, nothing hidden below) can be added up from published totals, so it counts
    as shown; when it is the child to suppress, the choice goes on inside it down to a shown unit.
    n: team -> subtree respondents. The teams in `withheld` start out suppressed ("complementary") before step 1.
    Returns team -> reason. Written plainly (known recomputed in full each time)."""
    reason = {t: "complementary" for t in withheld}
    for t in org.sorted_ids:
        if n[t] < k and t not in reason:
            reason[t] = "below-minimum"

    def known(t):
        if t not in reason:
            return True
        kids = org.children[t]
        return bool(kids) and n[t] - sum(n[c] for c in kids if known(c)) == 0

    def smallest_known(t):
        cands = [c for c in org.children[t] if known(c) and n[c] > 0]
        return min(cands, key=lambda c: (n[c], org.sort_key(c))) if cands else None

    changed = True
    while changed:
        changed = False
        for u in org.sorted_ids:
            kids = org.children[u]
            if not kids:
                continue
            R = n[u] - sum(n[c] for c in kids if known(c))
            victim = smallest_known(u) if 0 < R < k else None
            while victim is not None and victim in reason:
                victim = smallest_known(victim)
            if victim is not None:
                reason[victim] = "complementary"
                changed = True
    return reason


def hidden_cells(org, count, k, withheld):
    """METRICS.md 6 applied to ONE column (an item, a factor or eNPS) instead of the unit total: "no score
    for fewer than `k` people, not even by subtraction" holds per cell. suppress() on count: team -> subtree count
    of the people behind this column, with the units suppressed as a whole in this period withheld from the start.
    Returns the set of teams whose cell is hidden."""
    return set(suppress(org, count, k, withheld))


class HiddenCells:
    """The cell rule (METRICS.md 6 per cell) for one period. groups: team -> list of {item: value} of the
    subtree; withheld: the period's unit-suppressed teams. Each column gets its own hidden_cells() run:
    - item (t, i): count = answers to i; hidden iff t in hidden_cells(item counts);
    - factor (t, f): count = respondents with at least one answered item of f; hidden iff count > 0 and
      (t in hidden_cells(factor counts) or some item i of f with answers in t has its item cell hidden);
    - eNPS (t): count = answers to the eNPS item; hidden iff count > 0 and t in hidden_cells(eNPS counts);
    - under person-mean only, factor (t, f) also when partial = respondents who answered some but not all items
      of f is > 0 and t in hidden_cells(partial counts): each weighs by the items they answered, so the factor's %
      against its items' % would give their favourable answers back.
    Only meaningful for shown units (a withheld unit is blank anyway)."""

    def __init__(self, org, inst, groups, k, withheld, aggregation="item-mean"):
        withheld = set(withheld)
        self.answered = {i: {t: sum(1 for a in groups[t] if i in a) for t in org.ids} for i in inst.items}
        self._item = {i: hidden_cells(org, c, k, withheld) for i, c in self.answered.items()}
        self._factor = {}
        for fid, its in inst.factors.items():
            cnt = {t: sum(1 for a in groups[t] if any(i in a for i in its)) for t in org.ids}
            hid = hidden_cells(org, cnt, k, withheld)
            self._factor[fid] = {t for t in org.ids if cnt[t] > 0 and (
                t in hid or any(self.answered[i][t] > 0 and t in self._item[i] for i in its))}
            if aggregation == "person-mean":
                part = {t: sum(1 for a in groups[t] if 0 < sum(1 for i in its if i in a) < len(its)) for t in org.ids}
                hid_part = hidden_cells(org, part, k, withheld)
                self._factor[fid] |= {t for t in org.ids if cnt[t] > 0 and part[t] > 0 and t in hid_part}
        self._enps = set()
        if "enps" in inst.role:
            i = inst.factors[inst.role["enps"]][0]
            hid = hidden_cells(org, self.answered[i], k, withheld)
            self._enps = {t for t in org.ids if self.answered[i][t] > 0 and t in hid}

    def item(self, t, iid):
        return t in self._item[iid]

    def factor(self, t, fid):
        return fid is not None and t in self._factor[fid]

    def enps(self, t):
        return t in self._enps


def period_cells(org, inst, rows, k, aggregation="item-mean"):
    """rows: {respondent: (team, answers)} of one period -> (n, unit reasons, HiddenCells)."""
    groups = {t: [a for team, a in rows.values() if team in org.subtree[t]] for t in org.ids}
    n = {t: len(groups[t]) for t in org.ids}
    reasons = suppress(org, n, k)
    return n, reasons, HiddenCells(org, inst, groups, k, reasons, aggregation)


# ----------------------------------------------------------------------------- ideas

def xml_records(root, record_path):
    parts = [p for p in record_path.strip().split("/") if p]
    if not parts or parts[0] != root.tag:
        # relative path from the root
        return root.findall("/".join(parts)) if parts else []
    rest = parts[1:]
    return root.findall("/".join(rest)) if rest else [root]


def xml_field(rec, path):
    if path is None:
        return None
    path = str(path)
    if path.startswith("@"):
        v = rec.get(path[1:])
    elif "/@" in path:
        el_path, attr = path.split("/@", 1)
        el = rec.find(el_path)
        v = el.get(attr) if el is not None else None
    else:
        el = rec.find(path)
        v = "".join(el.itertext()) if el is not None else None
    v = clean(v)
    return v or None


def read_ideas(source, base, org):
    ideas = []
    for path in sorted(glob.glob(os.path.join(base, source["path"]))):
        root = ET.parse(path).getroot()
        fields = source.get("fields") or {}
        for rec in xml_records(root, source.get("record", "")):
            team = org.resolve(xml_field(rec, fields.get("team")))
            if team is None:
                continue
            sub = parse_date(xml_field(rec, fields.get("submitted")))
            if sub is None:
                continue
            imp_s = xml_field(rec, fields.get("implemented"))
            rej_s = xml_field(rec, fields.get("rejected"))
            imp = parse_date(imp_s)
            rej = parse_date(rej_s)
            if (imp_s and imp is None) or (rej_s and rej is None):
                continue  # unreadable date
            if (imp and imp < sub) or (rej and rej < sub):
                continue  # dates out of order
            # The submitter as written: distinct ids are distinct pseudonyms.
            ideas.append((team, sub, imp, rej, xml_field(rec, fields.get("submitter"))))
    return ideas


def nearest_rank(values, p):
    if not values:
        return None
    v = sorted(values)
    r = -(-p * len(v) // 100)  # ceil(p/100 * m) in exact integer arithmetic
    return v[max(1, r) - 1]


def idea_metrics(ideas, start, end, headcount, inclusive, any_submitter=False):
    days = (end - start).days + 1
    submitted = [i for i in ideas if start <= i[1] <= end]
    implemented = [i for i in ideas if i[2] and start <= i[2] <= end]
    rejected = [i for i in ideas if i[3] and start <= i[3] <= end]
    res = {
        "ideas_submitted": len(submitted),
        "ideas_implemented": len(implemented),
        "ideas_rejected": len(rejected),
    }
    if implemented or rejected:
        res["implementation_rate"] = 100.0 * len(implemented) / (len(implemented) + len(rejected))
    if headcount:
        res["ideas_per_person_year"] = len(submitted) / headcount * 365.0 / days
        # METRICS.md 3: distinct submitters (of the period's ideas) / headcount, when the log has submitters at all.
        if any_submitter:
            res["participation"] = 100.0 * len({i[4] for i in submitted if i[4]}) / headcount
    plus = 1 if inclusive else 0
    cts = [(i[2] - i[1]).days + plus for i in implemented]
    for p in (50, 85, 95):
        res[f"cycle_time_p{p}"] = nearest_rank(cts, p)
    wip = [i for i in ideas if i[1] <= end and not (i[2] and i[2] <= end) and not (i[3] and i[3] <= end)]
    res["wip"] = len(wip)
    res["age_p85"] = nearest_rank([(end - i[1]).days + 1 for i in wip], 85)
    return res


# ----------------------------------------------------------------------------- goals

def read_goals(source, base, org):
    f = source.get("fields") or {}
    goals = []
    for path in sorted(glob.glob(os.path.join(base, source["path"]))):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                team = org.resolve(r.get(f.get("team", "team_id")))
                if team is None:
                    continue
                period = clean(r.get(f.get("period", "period")))
                score = clean(r.get(f.get("score", "score")))
                target = clean(r.get(f.get("target", "target")))
                actual = clean(r.get(f.get("actual", "actual")))
                value = None
                if score:
                    value = float(score)
                elif target and actual and float(target) != 0:
                    value = min(float(actual) / float(target), 1.0)
                if value is None:
                    continue
                goals.append((team, period, value))
    return goals


# ----------------------------------------------------------------------------- output

# Counts are integers; every other number (including the day-valued percentiles cycle_time_p*
# and age_p85, which are measures, not counts) is written with 6 decimals (METRICS.md 7).
INT_COLUMNS = {"respondents", "headcount", "ideas_submitted", "ideas_implemented", "ideas_rejected",
               "wip"}


def fmt(col, v):
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if col in INT_COLUMNS:
        return str(int(v))
    return f"{v:.6f}"


def engagement_person_values(group, inst, factor=None):
    """Each respondent's share of favorable answers (x100) on a factor's answered items (default: engagement)."""
    items = inst.factors[factor or inst.role["engagement"]]
    out = []
    for answers in group:
        ans = [(i, answers[i]) for i in items if i in answers]
        if ans:
            out.append(100.0 * sum(1 for i, v in ans if v in inst.items[i][0].favorable) / len(ans))
    return out


def engagement_changes(org, inst, k, responses, all_periods, period, aggregation="item-mean"):
    """METRICS.md 5: Welch t-test on person-level values against the latest earlier period with responses,
    Benjamini-Hochberg across all cells of the heatmap (every unit shown in both periods x every factor),
    `up`/`down` when adjusted p < 0.05; the engagement factor's cells are engagement_change. Only units
    shown (not suppressed) in both periods get a label, and only cells (unit, factor) whose factor cell is
    hidden in neither period (METRICS.md 6 per cell, HiddenCells) are tested and enter the family. (The sample's item texts never change between
    periods, so there is no trend break to model here.)"""
    from scipy import stats
    earlier = sorted(p for p in all_periods if period_key(p) < period_key(period))
    if not earlier or not responses:
        return {}
    before = all_periods[earlier[-1]]
    _, reasons_now, cells_now = period_cells(org, inst, responses, k, aggregation)
    _, reasons_before, cells_before = period_cells(org, inst, before, k, aggregation)
    hidden = set(reasons_now) | set(reasons_before)
    cells = []
    constant = {}  # engagement cells where everyone gave the same value in both periods
    for t in org.sorted_ids:
        if t in hidden:
            continue
        for fid in inst.factors:
            if cells_now.factor(t, fid) or cells_before.factor(t, fid):
                continue
            a = engagement_person_values([ans for team, ans in responses.values() if team in org.subtree[t]], inst, fid)
            b = engagement_person_values([ans for team, ans in before.values() if team in org.subtree[t]], inst, fid)
            if len(a) >= 2 and len(b) >= 2 and stats.tvar(a) == 0 and stats.tvar(b) == 0 and a[0] == b[0]:
                if fid == inst.role["engagement"]:
                    constant[t] = "no clear change"  # the same value from everyone in both periods: nothing to test
                continue
            if len(a) < 2 or len(b) < 2 or (stats.tvar(a) == 0 and stats.tvar(b) == 0):
                continue
            res = stats.ttest_ind(a, b, equal_var=False)
            cells.append((t, fid, float(res.pvalue), float(res.statistic)))
    if not cells:
        return constant
    adjusted = stats.false_discovery_control([c[2] for c in cells], method="bh")
    return constant | {t: ("up" if stat > 0 else "down") if q < 0.05 else "no clear change"
                       for (t, fid, _, stat), q in zip(cells, adjusted) if fid == inst.role["engagement"]}


def wilson(x, n, z=1.959963984540054):
    """METRICS.md 5: (p + z^2/2n +- z*sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)."""
    p = x / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - half) / (1 + z * z / n)), min(1.0, (centre + half) / (1 + z * z / n))


def blank_cells(row, t, inst, cells):
    """METRICS.md 6 per cell: blank the team_metrics columns whose cell is hidden for shown unit t.
    (engagement_change is blanked by engagement_changes(), which skips cells hidden in either period.)"""
    role = inst.role
    if cells.factor(t, role.get("engagement")):
        for c in ("engagement_index", "engagement_index_low", "engagement_index_high", "engagement_score",
                  "engagement_change"):
            row[c] = None
    if cells.factor(t, role.get("alignment")):
        row["alignment"] = None
    a_hidden = cells.factor(t, role.get("autonomy"))
    c_hidden = cells.factor(t, role.get("accountability"))
    if a_hidden:
        row["autonomy"] = None
    if c_hidden:
        row["accountability"] = None
    if a_hidden or c_hidden:
        for c in ("balance_index", "balance_gap", "quadrant", "borderline"):
            row[c] = None
    if "enps" in role and cells.enps(t):
        row["enps"] = None


def write_item_scores(path, org, inst, responses, reasons, cells, period):
    """One row per shown unit and answered item whose item cell is not hidden (METRICS.md 6 per cell),
    items in instrument order, first factor naming the item."""
    factor_of = {}
    for fid, items in inst.factors.items():
        for i in items:
            factor_of.setdefault(i, fid)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["period", "team_id", "factor_id", "item_id", "answered", "favorable_pct",
                    "favorable_pct_low", "favorable_pct_high"])
        for t in org.sorted_ids:
            if t in reasons:
                continue
            group = [a for team, a in responses.values() if team in org.subtree[t]]
            for iid in inst.items:
                vals = [a[iid] for a in group if iid in a]
                if not vals or cells.item(t, iid):
                    continue
                x = sum(1 for v in vals if v in inst.items[iid][0].favorable)
                lo, hi = wilson(x, len(vals))
                w.writerow([period, t, factor_of.get(iid, ""), iid, len(vals), "%.6f" % (100.0 * x / len(vals)),
                            "%.6f" % (100 * lo), "%.6f" % (100 * hi)])


def period_key(p):
    year, q = p.split("-Q")
    return (int(year), int(q))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pipeline")
    ap.add_argument("period")
    ap.add_argument("--out", help="write here instead of stdout")
    ap.add_argument("--items-out", help="also write item_scores.csv (item %% favorable, Wilson 95%% interval) here")
    args = ap.parse_args()

    base = os.path.dirname(os.path.abspath(args.pipeline))
    with open(args.pipeline, encoding="utf-8") as f:
        pipe = yaml.safe_load(f)
    period = args.period
    start, end = parse_period(period)
    kind = period_kind_of(period)
    tzname = pipe.get("timezone", "UTC")
    tz = ZoneInfo(tzname) if (ZoneInfo and tzname and tzname != "UTC") else dt.timezone.utc

    org = Org(os.path.join(base, pipe["organization"]["teams"]))
    inst = Instrument(os.path.join(base, pipe["instrument"]))
    conf = pipe.get("confidentiality") or {}
    k = int(conf.get("min_respondents", 5))
    metrics_cfg = pipe.get("metrics") or {}
    aggregation = metrics_cfg.get("favorable_aggregation", "item-mean")
    threshold = float(metrics_cfg.get("strength_threshold", 65))
    inclusive = bool(metrics_cfg.get("cycle_time_inclusive", True))

    responses = {}  # respondent -> (team, answers) in this period
    all_periods = {}  # period -> {respondent: (team, answers)}, for the change against the previous period
    ideas, goals = [], []
    for src in pipe.get("sources") or []:
        kindsrc = src.get("kind")
        if kindsrc == "survey":
            per = read_survey(src, base, org, inst, tz, kind)
            for rid, val in (per.get(period) or {}).items():
                responses[(src.get("id"), rid)] = val
            for p, rows in per.items():
                for rid, val in rows.items():
                    all_periods.setdefault(p, {})[(src.get("id"), rid)] = val
        elif kindsrc == "ideas":
            ideas.extend(read_ideas(src, base, org))
        elif kindsrc == "goals":
            goals.extend(read_goals(src, base, org))

    n = {t: sum(1 for team, _ in responses.values() if team in org.subtree[t]) for t in org.ids}
    _, reasons, cells = period_cells(org, inst, responses, k, aggregation)
    changes = engagement_changes(org, inst, k, responses, all_periods, period, aggregation)

    if args.items_out:
        write_item_scores(args.items_out, org, inst, responses, reasons, cells, period)

    w = csv.writer(open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout,
                   lineterminator="\n")
    w.writerow(COLUMNS)
    for t in org.sorted_ids:
        sub = org.subtree[t]
        N = org.headcount(t)
        row = {"period": period, "team_id": t, "team_name": org.name[t],
               "parent_id": org.parent[t] or "", "respondents": n[t], "headcount": N}
        if N:
            row["response_rate"] = 100.0 * n[t] / N
        group = [a for team, a in responses.values() if team in sub]
        row.update(survey_metrics(group, inst, aggregation, threshold, N))
        row.update(idea_metrics([i for i in ideas if i[0] in sub], start, end, N, inclusive,
                                any_submitter=any(i[4] for i in ideas)))
        g = [v for team, p, v in goals if team in sub and p == period]
        row["goal_attainment"] = mean(g)
        row["engagement_change"] = changes.get(t)
        row["suppressed"] = reasons.get(t, "")
        blank_cells(row, t, inst, cells)
        if t not in reasons:
            # The figures withheld on their own people: factor ids in instrument order, then enps (once).
            hidden = [fid for fid in inst.factors if cells.factor(t, fid)]
            if "enps" in inst.role and cells.enps(t) and "enps" not in hidden:
                hidden.append("enps")
            row["hidden_figures"] = ";".join(hidden) or None
        if t in reasons:
            for c in SURVEY_COLUMNS:
                row[c] = None
        w.writerow([fmt(c, row.get(c)) for c in COLUMNS])


if __name__ == "__main__":
    main()
