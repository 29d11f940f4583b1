#!/usr/bin/env python3
"""LeanPulse against its peers on ../shared/bench data, measured in one run.

    python3 Benchmarks/run_bench.py [--sizes 10k,100k,1m] [--reps 3] [--peers duckdb,polars,pandas,sqlite]
                                   [--data /tmp/benchdata] [--work /tmp/lp-bench] [--binary .build/release/leanpulse]

For each size it generates the data with shared/bench/gen.py (unless it is already there: same seed,
same bytes), lays out a run folder with shared/bench/leanpulse/{pipeline,instrument}.yml, then runs,
alternating and `--reps` times each: `leanpulse run` from an empty store (the whole run: ingest, store,
compute, render), `leanpulse run` again with unchanged inputs (the import is skipped), each peer, and the
page-writing floor: Benchmarks/floors/page_write_floor.c (built into /tmp when `cc` is there) creating as many
files with as many bytes as the report the run wrote, from two threads, without rendering anything: what the
kernel and file system alone take to hold the report here.
Each command runs under /usr/bin/time after a `sync` (not timed), so that none pays for writing back the
previous command's files; the table gives the median wall time, the median peak RSS and the ratio to each
peer, and a second table the median seconds of each stage of `leanpulse run` (from its manifest). Build first: swift build -c release --product leanpulse.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
PEERS = {
    "duckdb": ["{py}", os.path.join(SHARED, "peers", "duckdb_ref.py"), "{data}", "{out}/duckdb.csv"],
    "polars": ["{py}", os.path.join(SHARED, "peers", "polars_ref.py"), "{data}", "{out}/polars.csv"],
    "pandas": ["{py}", os.path.join(SHARED, "peers", "pandas_ref.py"), "{data}", "{out}/pandas.csv"],
    "sqlite": ["bash", os.path.join(SHARED, "peers", "sqlite_ref.sh"), "{data}", "{out}/sqlite.csv"],
}


def timed(cmd, cwd=None, env=None):
    """(wall seconds, peak RSS in MiB, exit code) of one command under /usr/bin/time, after a `sync`.

    Without the `sync`, a command would start while the kernel still writes back the previous one's files
    (a 1M run leaves about 4 GB to write), and pay for part of it."""
    subprocess.run(["sync"], check=True)
    full = ["/usr/bin/time", "-f", "@@TIME %e %M", *cmd]
    run = subprocess.run(full, cwd=cwd, env=env, capture_output=True, text=True)
    line = next((l for l in run.stderr.splitlines() if l.startswith("@@TIME")), None)
    if line is None:
        raise SystemExit(f"could not time {' '.join(cmd)}:\n{run.stderr[-2000:]}")
    _, wall, rss = line.split()
    return float(wall), int(rss) / 1024, run.returncode


# The file system's inode allocator skips inodes freed in the last half minute or more (ext4's `recently_deleted`),
# so creating thousands of pages soon after deleting thousands is several times slower (docs/DECISIONS.md 29).
# The harness deletes its run folders once, at the end, notes when, and the next harness waits until that is
# QUIET_AFTER_DELETE seconds ago before it times anything.
QUIET_AFTER_DELETE = 120


def remove_runs(folders, work_root):
    """Deletes the run folders and records when (see QUIET_AFTER_DELETE)."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(work_root, exist_ok=True)
    with open(os.path.join(work_root, "last-delete"), "w") as f:
        f.write(str(time.time()))


def wait_after_delete(work_root):
    """Sleeps until the last deletion of run folders is QUIET_AFTER_DELETE seconds old."""
    try:
        with open(os.path.join(work_root, "last-delete")) as f:
            since = time.time() - float(f.read())
    except (OSError, ValueError):
        return
    if since < QUIET_AFTER_DELETE:
        wait = QUIET_AFTER_DELETE - since
        print(f"waiting {wait:.0f} s: run folders were deleted {since:.0f} s ago, and creating files right after "
              "deleting many is slower on this file system", file=sys.stderr)
        time.sleep(wait)


def build_floor():
    """The page-writing floor's binary, or None without a C compiler."""
    source = os.path.join(ROOT, "Benchmarks", "floors", "page_write_floor.c")
    binary = "/tmp/leanpulse-page-write-floor"
    if shutil.which("cc") is None:
        print("no cc: the page-writing floor is left out", file=sys.stderr)
        return None
    subprocess.run(["cc", "-O2", "-pthread", source, "-o", binary], check=True)
    return binary


def report_summary(reports):
    """(files, bytes, {stage: seconds}) of the report a run published under `reports`, from its manifest.json, which
    lists every other file with its size and the run's stage timings (walking 93k pages to size them cost seconds)."""
    for parent, _, names in os.walk(reports):
        if "manifest.json" in names:
            path = os.path.join(parent, "manifest.json")
            with open(path) as f:
                manifest = json.load(f)
            outputs = manifest.get("outputs", [])
            stages = {t["stage"]: t["seconds"] for t in manifest.get("timings", [])}
            return len(outputs) + 1, sum(o["bytes"] for o in outputs) + os.path.getsize(path), stages
    return 0, 0, {}


def prepare(size, data_root, work_root):
    data = os.path.join(data_root, "e" + size)
    if not os.path.exists(os.path.join(data, "manifest.json")):
        print(f"generating {data} ...", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(SHARED, "gen.py"), "--employees", str(SIZES[size]),
                        "--seed", "42", "--no-xml", "--out", data], check=True)
    work = os.path.join(work_root, "e" + size)
    os.makedirs(work, exist_ok=True)
    for name in ("pipeline.yml", "instrument.yml"):
        shutil.copy(os.path.join(SHARED, "leanpulse", name), os.path.join(work, name))
    link = os.path.join(work, "data")
    if os.path.islink(link) or os.path.exists(link):
        os.remove(link)
    os.symlink(data, link)
    return data, work


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--peers", default="duckdb,pandas")
    ap.add_argument("--data", default="/tmp/benchdata")
    ap.add_argument("--work", default="/tmp/lp-bench")
    ap.add_argument("--python", default="/tmp/benchvenv/bin/python", help="the venv with duckdb, polars, pandas")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "leanpulse"))
    ap.add_argument("--json", help="also write the raw measurements here")
    args = ap.parse_args()

    env = dict(os.environ, LEANPULSE_KEY="benchmark-key")
    peers = [p for p in args.peers.split(",") if p]
    results = []
    sizes = args.sizes.split(",")
    # Folders left by an interrupted run: deleted now, then the quiet period before any timing.
    left = [os.path.join(args.work, "e" + size, "runs") for size in SIZES if os.path.isdir(os.path.join(args.work, "e" + size, "runs"))]
    if left:
        remove_runs(left, args.work)
    wait_after_delete(args.work)
    floor = build_floor()
    stages = {}
    for size in sizes:
        data, work = prepare(size, args.data, args.work)
        out = os.path.join(work, "peers")
        os.makedirs(out, exist_ok=True)
        samples = {}
        runs = os.path.join(work, "runs")
        for rep in range(args.reps):
            # Alternate: a cold leanpulse run (a new store and report folder: deleting the previous run's
            # thousands of pages right before would time the file system's inode reuse, not LeanPulse),
            # the unchanged re-run, then each peer.
            folder = os.path.join(runs, str(rep))
            lp = [args.binary, "run", "pipeline.yml", "--quiet", "--store", folder + "/store.sqlite",
                  "--out", folder + "/reports/{period}"]
            samples.setdefault("leanpulse run", []).append(timed(lp, cwd=work, env=env))
            files, size_bytes, run_stages = report_summary(os.path.join(folder, "reports"))
            stages.setdefault(size, []).append(run_stages)
            samples.setdefault("leanpulse re-run (unchanged)", []).append(timed(lp, cwd=work, env=env))
            for peer in peers:
                cmd = [c.format(py=args.python, data=data, out=out) for c in PEERS[peer]]
                samples.setdefault("peer: " + peer, []).append(timed(cmd))
            if floor and files:
                name = f"floor: write the report's {files:,} files, {size_bytes / 1e6:,.0f} MB (C)"
                samples.setdefault(name, []).append(timed([floor, os.path.join(folder, "floor"), str(files), str(size_bytes)]))
        for name, runs in samples.items():
            bad = [r for r in runs if r[2] not in (0, 3)]
            results.append({"size": size, "command": name, "wall": statistics.median(r[0] for r in runs),
                            "wall_min": min(r[0] for r in runs), "rss_mb": statistics.median(r[1] for r in runs),
                            "failed_runs": len(bad)})
    remove_runs([os.path.join(args.work, "e" + size, "runs") for size in sizes], args.work)
    print("| data | command | wall median (s) | wall min (s) | peak RSS (MiB) | leanpulse / this |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        lp = next(x for x in results if x["size"] == r["size"] and x["command"] == "leanpulse run")
        ratio = lp["wall"] / r["wall"] if r["wall"] > 0 else float("nan")
        flag = f" ({r['failed_runs']} failed)" if r["failed_runs"] else ""
        print(f"| e{r['size']} | {r['command']}{flag} | {r['wall']:.2f} | {r['wall_min']:.2f} | {r['rss_mb']:.0f} | {ratio:.2f} |")
    # Where a run's time goes: the stages its manifest records (median over the repetitions).
    names = []
    for runs in stages.values():
        for run in runs:
            names += [n for n in run if n not in names]
    if names:
        print()
        print("| data | " + " | ".join(f"{n} (s)" for n in names) + " |")
        print("|---|" + "---:|" * len(names))
        for size, runs in stages.items():
            cells = [statistics.median(r[n] for r in runs if n in r) if any(n in r for r in runs) else float("nan") for n in names]
            print(f"| e{size} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"commands": results, "stages": stages}, f, indent=2)


if __name__ == "__main__":
    main()
