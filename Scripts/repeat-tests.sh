#!/usr/bin/env bash
# Runs the tests that start processes or depend on timing N times back to back (a flaky test is
# a failing test), one `swift test` per round with the suites running in parallel as in CI, and
# prints how often each test passed and failed. Exits 1 if any round failed.
#
# Usage:   Scripts/repeat-tests.sh [rounds] [swift test --filter regex]
#          (default: 20 rounds of the process-based and timing-dependent suites)
# Env:     LLMDEVOPS_SOAK_SECONDS  soak length per round (default here: 20, the soak's minimum)
#          REPEAT_LOG_DIR          where each round's output goes (default: .build/repeat-tests)
# Needs:   a finished `swift build --build-tests` (the script runs with --skip-build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rounds=${1:-20}
default_filter='SidecarEndToEndTests|SidecarListenerTests|SidecarEmitterTests|SoakTests|HostileClientTests'
default_filter+='|ShutdownDuringScrapeTests|PrometheusEndToEndTests|ConfigurationReloadTests|ConfigurationExitTests'
default_filter+='|LimitsTests|TLSTests|EventPipelineTests|MetricsEndpointTests|EmbeddedTests'
default_filter+='|SwiftMetricsMiddlewareTests|ProcessCollectorTests|RuntimeCollectorTests'
filter=${2:-$default_filter}
export LLMDEVOPS_SOAK_SECONDS=${LLMDEVOPS_SOAK_SECONDS:-20}
log_dir=${REPEAT_LOG_DIR:-.build/repeat-tests}
mkdir -p "$log_dir"
rm -f "$log_dir"/round-*.log

log() { printf '[repeat-tests] %s\n' "$*"; }

failed_rounds=0
start=$(date +%s)
for round in $(seq 1 "$rounds"); do
    output="$log_dir/round-$round.log"
    round_start=$(date +%s)
    if swift test --skip-build --filter "$filter" >"$output" 2>&1; then status=0; else status=$?; fi
    summary=$(grep -E 'Test run with [0-9]+ tests? in [0-9]+ suites? (passed|failed)' "$output" | tail -n 1 || true)
    if ((status != 0)) || [[ -z "$summary" ]]; then
        failed_rounds=$((failed_rounds + 1))
        log "round $round/$rounds FAILED (exit $status, $(($(date +%s) - round_start)) s): ${summary:-no summary}; see $output"
        grep -E '✘|recorded an issue' "$output" | head -n 20 | sed 's/^/    /' || true
    else
        log "round $round/$rounds passed ($(($(date +%s) - round_start)) s): $summary"
    fi
done

# Per-test counts over every round: "passed" and "failed" lines of Swift Testing.
log "per-test results over $rounds rounds (passed/failed):"
cat "$log_dir"/round-*.log 2>/dev/null \
    | sed -nE 's/^.*[✔✘] Test ([^ ]+).* (passed|failed) after.*$/\1 \2/p' \
    | sort | uniq -c \
    | awk '{ count = $1; result = $NF; $1 = ""; $NF = ""; sub(/^ +/, ""); sub(/ +$/, ""); tally[$0, result] += count; names[$0] = 1 }
           END { for (name in names) printf "  %-90s %4d / %d\n", name, tally[name, "passed"], tally[name, "failed"] }' \
    | sort
log "$((rounds - failed_rounds)) of $rounds rounds passed in $(($(date +%s) - start)) s"
((failed_rounds == 0))
