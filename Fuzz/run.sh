#!/bin/sh
# Runs one libFuzzer harness for a given time: ./run.sh FuzzCSV|FuzzXML|FuzzPipelineFile SECONDS
# The corpus grows in Fuzz/Corpus/TARGET (not committed), starting from the seeds in Fuzz/Seeds/TARGET.
# Crashes are written to Fuzz/Crashes/TARGET; each one becomes a regression test in Tests/.
set -eu
target=${1:?usage: run.sh TARGET SECONDS}
seconds=${2:?usage: run.sh TARGET SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
# SwiftPM passes the two sanitizers to swiftc as separate -sanitize= flags, and swiftc then keeps only the last one:
# the Swift code would get ASan but no coverage counters, and libFuzzer would fuzz blind ("Is the code instrumented
# for coverage?"). The explicit -sanitize-coverage puts the counters back (DECISIONS 23).
flags="-c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp"
scratch=${FUZZ_SCRATCH:-$here/.build}
# The LeanPulse package is a path dependency here, and SwiftPM keeps its build plan (the file list of each target)
# until its own manifest changes: a source file added to LeanPulse would be missing. Planning again costs seconds.
rm -f "$scratch/release.yaml" "$scratch/release/description.json"
swift build $flags --scratch-path "$scratch" --product "$target"
bin=$(swift build $flags --scratch-path "$scratch" --show-bin-path)/$target
# Refuse to fuzz blind: the readers' Swift code must carry coverage counters.
counters=$(objdump -h "$bin" | awk '/__sancov_cntrs/ {print $3}')
if [ -z "$counters" ] || [ "$(printf '%d' "0x$counters")" -lt 20000 ]; then
    echo "run.sh: $bin has ${counters:-no} coverage counters; the Swift code is not instrumented" >&2
    exit 2
fi
mkdir -p "Corpus/$target" "Crashes/$target"
# Swift's own backtracer would fight libFuzzer's crash handling. Leaks are not what these harnesses look for: -detect_leaks=0
# stops libFuzzer's checks, ASAN_OPTIONS the exit-time one (Foundation's Data(contentsOf:) leaks 4 KiB on an empty file).
status=0
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$bin" "Corpus/$target" "Seeds/$target" \
    -max_total_time="$seconds" -detect_leaks=0 -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="Crashes/$target/" -print_final_stats=1 || status=$?
echo "corpus Corpus/$target: $(ls "Corpus/$target" | wc -l) files; crashes: $(ls "Crashes/$target" | wc -l); exit $status"
exit $status
