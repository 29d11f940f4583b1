#!/usr/bin/env python3
"""Ingest figures: read + parse + normalize per file, one core, no store (issue 3's speed targets).

    python3 Benchmarks/ingest_bench.py [--sizes 100k,1m] [--repeats 3] [--xml-size 100k]
                                      [--data /tmp/benchdata] [--work /tmp/lp-ingest-bench]
                                      [--binary .build/release/leanpulse]

For each size it reuses (or generates with shared/bench/gen.py, seed 42) the bench data, lays out the bench
pipeline (shared/bench/leanpulse/{pipeline,instrument}.yml) plus an XML variant over survey.xml, and runs the
hidden `leanpulse bench-ingest` command under /usr/bin/time: survey.csv and ideas.csv at every size, survey.xml
where the data folder has it (`--xml-size` generates the XML too for that size). `bench-ingest` keeps the fastest
of `--repeats` passes per file and reports wall time, MB/s, CPU seconds of the reading thread and MB per CPU
second (on a shared machine the CPU figure is the steadier one); the process's peak RSS comes from /usr/bin/time.
Build first: swift build -c release --product leanpulse.

Where a data folder has survey.xml, the same run also times the C floor of shared/bench/floors/xml_sax_floor.c
(libxml2's SAX2 push parser with empty callbacks, built into /tmp when `cc` and `xml2-config` are there), best of
`--repeats` as well: the machine's speed swings by up to 2x from hour to hour, and the floor in the same run says
how fast this machine is right now (results-2026-11-25.md measured it at 261 MB/s at 1M).
"""
import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
ITEMS = ", ".join(f"\"answer[@item='q{i:02d}']\": q{i:02d}" for i in range(1, 41))
XML_PIPELINE = f"""# survey.xml variant of the bench pipeline (written by Benchmarks/ingest_bench.py)
pipeline: bench-xml
title: "Benchmark organisation (XML)"
period: 2026-Q4
timezone: UTC
store: out-xml/store.sqlite
organization:
  teams: data/teams.csv
instrument: instrument.yml
sources:
  - id: survey-xml
    kind: survey
    format: xml
    record: /responses/response
    path: data/survey.xml
    period: 2026-Q4
    fields: {{ respondent: "@employee", team: "@team", submitted: "@submitted", enps: enps, comment: comment }}
    items: {{ {ITEMS} }}
confidentiality: {{ min_respondents: 5, pseudonym_key_env: LEANPULSE_KEY }}
metrics: {{ favorable_aggregation: pooled }}
reports: {{ dir: out-xml/reports/{{period}}, html: true, csv: true }}
"""


def prepare(size, data_root, work_root, want_xml):
    data = os.path.join(data_root, "e" + size)
    has_data = os.path.exists(os.path.join(data, "manifest.json"))
    if not has_data or (want_xml and not os.path.exists(os.path.join(data, "survey.xml"))):
        print(f"generating {data} ...", file=sys.stderr)
        args = [sys.executable, os.path.join(SHARED, "gen.py"), "--employees", str(SIZES[size]), "--seed", "42", "--out", data]
        if not want_xml:
            args.append("--no-xml")
        subprocess.run(args, check=True)
    work = os.path.join(work_root, "e" + size)
    os.makedirs(work, exist_ok=True)
    for name in ("pipeline.yml", "instrument.yml"):
        shutil.copy(os.path.join(SHARED, "leanpulse", name), os.path.join(work, name))
        os.chmod(os.path.join(work, name), 0o644)
    with open(os.path.join(work, "pipeline-xml.yml"), "w") as f:
        f.write(XML_PIPELINE)
    link = os.path.join(work, "data")
    if os.path.islink(link) or os.path.exists(link):
        os.remove(link)
    os.symlink(data, link)
    return data, work


def bench(binary, pipeline, work, repeats):
    env = dict(os.environ, LEANPULSE_KEY=os.environ.get("LEANPULSE_KEY", "benchmark-key"))
    cmd = ["/usr/bin/time", "-f", "@@TIME %e %M", binary, "bench-ingest", pipeline, "--repeats", str(repeats)]
    run = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"bench-ingest failed:\n{run.stdout}\n{run.stderr[-2000:]}")
    rss = next(int(l.split()[2]) / 1024 for l in run.stderr.splitlines() if l.startswith("@@TIME"))
    rows = [l for l in run.stdout.splitlines() if l.startswith("| ") and not l.startswith("| source")]
    return rows, rss


def xml_floor():
    """The path of the built C floor, or None when it cannot be built here."""
    binary = "/tmp/xml_sax_floor"
    if os.path.exists(binary):
        return binary
    if not shutil.which("cc") or not shutil.which("xml2-config"):
        return None
    flags = subprocess.run(["xml2-config", "--cflags"], capture_output=True, text=True).stdout.split()
    libs = subprocess.run(["xml2-config", "--libs"], capture_output=True, text=True).stdout.split()
    source = os.path.join(SHARED, "floors", "xml_sax_floor.c")
    built = subprocess.run(["cc", "-O2", *flags, source, *libs, "-o", binary], capture_output=True, text=True)
    return binary if built.returncode == 0 else None


def floor_row(size, data, repeats):
    """A table row for the C floor on survey.xml (best of `repeats`), or None."""
    binary = xml_floor()
    xml = os.path.join(data, "survey.xml")
    if binary is None or not os.path.exists(xml):
        return None
    best = None
    for _ in range(max(repeats, 1)):
        run = subprocess.run(["/usr/bin/time", "-f", "@@TIME %e %U %S %M", binary, xml], capture_output=True, text=True)
        line = next(l for l in run.stderr.splitlines() if l.startswith("@@TIME"))
        _, wall, user, system, rss = line.split()
        if best is None or float(wall) < best[0]:
            best = (float(wall), float(user) + float(system), int(rss) / 1024)
    mb = os.path.getsize(xml) / 1e6
    wall, cpu, rss = best
    return (f"| {size} | floor: libxml2 SAX2 from C | survey.xml | {mb:.1f} | | {wall:.2f} | {mb / wall:.0f} | {cpu:.2f} "
            f"| {mb / cpu:.0f} | {rss:.0f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100k,1m")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--xml-size", default="", help="also generate survey.xml for this size (the 1M file is about 930 MB)")
    ap.add_argument("--data", default="/tmp/benchdata")
    ap.add_argument("--work", default="/tmp/lp-ingest-bench")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "leanpulse"))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    print("| size | source | file | MB | records | wall s | MB/s | CPU s | MB/s per CPU s | peak RSS MiB |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes.split(","):
        data, work = prepare(size, args.data, args.work, size == args.xml_size)
        pipelines = ["pipeline.yml"] + (["pipeline-xml.yml"] if os.path.exists(os.path.join(data, "survey.xml")) else [])
        for pipeline in pipelines:
            rows, rss = bench(binary, pipeline, work, args.repeats)
            for row in rows:
                print(f"| {size} {row} {rss:.0f} |")
            sys.stdout.flush()
            if pipeline == "pipeline-xml.yml":
                row = floor_row(size, data, args.repeats)
                if row:
                    print(row)
                    sys.stdout.flush()


if __name__ == "__main__":
    main()
