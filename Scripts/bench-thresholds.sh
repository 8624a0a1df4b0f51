#!/usr/bin/env bash
# Malloc-count regression check for our benchmarks (Tests/Benchmarks, package-benchmark static
# thresholds). Builds the benchmark package in release, runs the benchmarks named "... / ours"
# measuring mallocCountTotal only, and compares each p90 with Tests/Benchmarks/Thresholds/
# (tolerances: the `thresholds:` of Benchmark.defaultConfiguration). Time is never measured or
# asserted here: it depends on the machine; malloc counts do not.
# Exit status: 0 when no benchmark allocates more than its threshold (fewer is reported, not a
# failure: update the thresholds to lock the gain in), non-zero on a regression or error.
# Update the thresholds after an intended change: Scripts/bench-thresholds.sh --update (then commit Tests/Benchmarks/Thresholds/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../Tests/Benchmarks"
log() { printf '[bench-thresholds] %s\n' "$*" >&2; }

# Our W1-W8 contenders only: swift-prometheus's counts are not ours to hold, and the collector
# path (two producers racing for the direct path) allocates a scheduling-dependent number of
# times (about 160-170 per 200,000 events), so it is measured by bench.sh but not thresholded.
filter=${BENCH_THRESHOLDS_FILTER:-'W.* / ours'}  # whole-name regex
started=$(date +%s)
case "${1:-check}" in
--update)
    log "updating Thresholds/ (mallocCountTotal p90) for benchmarks matching '$filter'"
    swift package --allow-writing-to-package-directory benchmark thresholds update \
        --metric mallocCountTotal --filter "$filter" --no-progress
    ;;
check)
    # package-benchmark 1.38.1 writes Thresholds/<target>.<name>.p90.json with '/' and ' ' in the
    # name turned into '_', but its check reads the file under the raw name, where our names'
    # " / " becomes a subfolder. Until that is fixed upstream, lay the committed files out under
    # the raw names (from `benchmark list`) in a temporary folder and check against that.
    raw=$(mktemp -d)
    trap 'rm -rf "$raw"' EXIT
    swift package benchmark list --no-progress 2>/dev/null >"$raw/list.txt"
    python3 - "$raw" <<'PY'
import os, re, shutil, sys
raw = sys.argv[1]
target = None
laid = 0
for line in open(os.path.join(raw, "list.txt")):
    line = line.rstrip("\n")
    header = re.match(r"Target '(.+)' available benchmarks:", line)
    if header:
        target = header.group(1)
        continue
    if not target or not line.strip():
        continue
    committed = os.path.join("Thresholds", f"{target}.{line}.p90.json".replace("/", "_").replace(" ", "_"))
    if os.path.exists(committed):
        destination = os.path.join(raw, f"{target}.{line}.p90.json")
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copyfile(committed, destination)
        laid += 1
if laid == 0:
    sys.exit("no committed thresholds match the benchmark list")
print(f"[bench-thresholds] {laid} threshold files", file=sys.stderr)
PY
    log "checking mallocCountTotal against Thresholds/ for benchmarks matching '$filter'"
    status=0
    swift package benchmark thresholds check --metric mallocCountTotal --filter "$filter" --no-progress \
        --path "$raw" 2>&1 | tee "$raw/check.txt" || status=${PIPESTATUS[0]}
    # package-benchmark 1.38.1 exits 1, not 4, when every deviation is an improvement; tell it
    # from a regression by what it printed.
    if ((status == 1)) && grep -aq 'benchmarkThresholdImprovement' "$raw/check.txt" \
        && ! grep -aq 'Deviations worse than threshold' "$raw/check.txt"; then
        status=4
    fi
    case $status in
    0) log "malloc counts equal the thresholds" ;;
    4) log "malloc counts are below the thresholds (an improvement): run Scripts/bench-thresholds.sh --update and commit Thresholds/" ;;
    *)
        log "error: malloc count regression (or the check failed), exit status $status"
        exit "$status"
        ;;
    esac
    ;;
*)
    log "usage: Scripts/bench-thresholds.sh [check | --update]"
    exit 2
    ;;
esac
log "took $(($(date +%s) - started)) s"
