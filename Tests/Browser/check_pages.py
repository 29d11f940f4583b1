#!/usr/bin/env python3
"""Opens report pages in headless Chromium and fails on any console message (a script error, a
Content-Security-Policy violation: any resource the page tried to load), or any reference in a page
that points outside the report folder (http:, https:, //host, ...). Saves a screenshot of each page
into --screenshots DIR (without it, into a temporary folder removed at the end).
Chromium's own background traffic is kept on the machine: every host name resolves to nothing and
the proxy is a closed loopback port.

    python3 Tests/Browser/check_pages.py REPORT_DIR [--screenshots DIR] [--max-team-pages N] [--no-phone]

REPORT_DIR is a published report folder (index.html, methods.html, data.html, teams/*.html). Each page is
opened at laptop width (1280 px); index.html and the first team page also at phone width (390 px,
screenshots *_phone.png). Prints one line per page and a closing "N passed, N failed" line; exits 1 when
any page failed, 2 when Chromium is missing.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CONSOLE = re.compile(r'CONSOLE[:(]\d+\)?\] "(.*)", source: (.*)')
BAD_LOG = re.compile(r"Content Security Policy|Refused to|net::ERR_", re.I)


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


REFERENCE = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""", re.I)


def external_references(page):
    """Every reference in the page that a browser could fetch from outside the report folder: anything
    that is not relative, not a fragment and not a data: URI. (Requests the page makes are also caught
    as console messages: its Content-Security-Policy blocks and reports them.)"""
    with open(page, encoding="utf-8") as f:
        html = f.read()
    found = []
    for m in REFERENCE.finditer(html):
        ref = next(g for g in m.groups() if g)
        if ref.startswith(("#", "data:")) or not re.match(r"^[a-z][a-z0-9+.-]*:|^//", ref, re.I):
            continue
        found.append(ref)
    return found


def check(browser, page, screenshot, workdir, size="1280,1800"):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
           "--no-pings", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
           "--enable-logging=stderr", "--v=0", f"--window-size={size}",
           f"--user-data-dir={os.path.join(workdir, 'profile')}", f"--screenshot={screenshot}",
           "file://" + os.path.abspath(page)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    problems = []
    for line in run.stderr.splitlines():
        m = CONSOLE.search(line)
        if m:
            problems.append("console: " + m.group(1))
        elif BAD_LOG.search(line) and "dbus" not in line.lower():
            problems.append("log: " + line.strip()[:200])
    for ref in external_references(page):
        problems.append("external reference: " + ref)
    if not os.path.exists(screenshot):
        problems.append("no screenshot written (exit %d)" % run.returncode)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report_dir")
    ap.add_argument("--screenshots", default=None)
    ap.add_argument("--max-team-pages", type=int, default=5)
    ap.add_argument("--no-phone", action="store_true", help="skip the phone-width screenshots")
    args = ap.parse_args()

    browser = chromium_binary()
    if not browser:
        print("browser check: no chromium on PATH (apt-get install chromium)")
        return 2
    pages = [os.path.join(args.report_dir, name) for name in ("index.html", "methods.html", "data.html")]
    teams = sorted(glob.glob(os.path.join(args.report_dir, "teams", "*.html")))[: args.max_team_pages]
    pages += teams
    phone = set() if args.no_phone else {pages[0]} | set(teams[:1])
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="leanpulse-browser-") as workdir:
        shots = args.screenshots or os.path.join(workdir, "screenshots")
        os.makedirs(shots, exist_ok=True)
        for page in pages:
            if not os.path.exists(page):
                print(f"FAIL {page}: missing")
                failed += 1
                continue
            name = os.path.relpath(page, args.report_dir).replace(os.sep, "_").replace(".html", ".png")
            problems = check(browser, page, os.path.join(shots, name), workdir)
            if page in phone:
                name = name.replace(".png", "_phone.png")
                problems += check(browser, page, os.path.join(shots, name), workdir, size="390,2400")
            if problems:
                failed += 1
                print(f"FAIL {page}")
                for p in problems:
                    print("     " + p)
            else:
                passed += 1
                print(f"ok   {page}" + (f" -> {os.path.join(shots, name)}" if args.screenshots else ""))
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
