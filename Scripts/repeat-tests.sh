#!/usr/bin/env bash
# Runs the suites that start processes or depend on timing N times back to back (a flaky test
# is a failing test) and prints how often each suite and each test passed and failed. Each
# round runs the suites one after another, one `swift test --filter <Suite>` each (their tests
# run in parallel inside it, as in CI); REPEAT_TOGETHER=1 runs all of them in one `swift test`
# instead, in parallel with each other. Exits 1 if anything failed.
#
# Usage:   Scripts/repeat-tests.sh [rounds] [suite...]     (default: 20 rounds of the suites below)
# Env:     LLMDEVOPS_SOAK_SECONDS  soak length per round (default here: 20, the soak's minimum)
#          REPEAT_LOG_DIR          where each run's output goes (default: .build/repeat-tests)
#          REPEAT_TOGETHER=1       one `swift test` per round with every suite
# Needs:   a finished `swift build --build-tests` (the script runs with --skip-build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rounds=${1:-20}
shift || true
suites=("$@")
if ((${#suites[@]} == 0)); then
    suites=(SidecarEndToEndTests SidecarListenerTests SidecarEmitterTests SoakTests HostileClientTests
        ShutdownDuringScrapeTests PrometheusEndToEndTests ConfigurationReloadTests ConfigurationExitTests
        LimitsTests TLSTests MetricsEndpointTests EmbeddedTests SwiftMetricsMiddlewareTests EventPipelineTests
        ProcessCollectorTests RuntimeCollectorTests)
fi
export LLMDEVOPS_SOAK_SECONDS=${LLMDEVOPS_SOAK_SECONDS:-20}
log_dir=${REPEAT_LOG_DIR:-.build/repeat-tests}
mkdir -p "$log_dir"
rm -f "$log_dir"/*.log

log() { printf '[repeat-tests] %s\n' "$*"; }

if [[ "${REPEAT_TOGETHER:-}" == "1" ]]; then
    joined=$(IFS='|'; echo "${suites[*]}")
    groups=("$joined")
else
    groups=("${suites[@]}")
fi

declare -A passed failed
failures=0
start=$(date +%s)
for round in $(seq 1 "$rounds"); do
    round_failed=0
    round_start=$(date +%s)
    for group in "${groups[@]}"; do
        name=${group//|/+}
        ((${#name} > 60)) && name="all-suites"
        output="$log_dir/round-$round-$name.log"
        if swift test --skip-build --filter "$group" >"$output" 2>&1; then status=0; else status=$?; fi
        summary=$(grep -aE 'Test run with [0-9]+ tests? in [0-9]+ suites? (passed|failed)' "$output" | tail -n 1 || true)
        if ((status != 0)) || [[ -z "$summary" ]] || [[ "$summary" == *failed* ]]; then
            failed[$name]=$((${failed[$name]:-0} + 1))
            round_failed=1
            log "round $round: $name FAILED (exit $status): ${summary:-no summary}; see $output"
            grep -aE 'recorded an issue|Time limit' "$output" | head -n 10 | cut -c1-300 | sed 's/^/    /' || true
        else
            passed[$name]=$((${passed[$name]:-0} + 1))
        fi
    done
    failures=$((failures + round_failed))
    log "round $round/$rounds $( ((round_failed)) && echo FAILED || echo passed) in $(($(date +%s) - round_start)) s"
done

log "suites over $rounds rounds (passed / failed):"
for group in "${groups[@]}"; do
    name=${group//|/+}
    ((${#name} > 60)) && name="all-suites"
    printf '  %-40s %4d / %d\n' "$name" "${passed[$name]:-0}" "${failed[$name]:-0}"
done
log "tests over $rounds rounds (passed / failed):"
cat "$log_dir"/round-*.log 2>/dev/null \
    | grep -av 'Test run with' \
    | sed -nE 's/^.*[✔✘] Test ([^ ]+).* (passed|failed) after.*$/\1 \2/p' \
    | sort | uniq -c \
    | awk '{ count = $1; result = $NF; $1 = ""; $NF = ""; sub(/^ +/, ""); sub(/ +$/, ""); tally[$0, result] += count; names[$0] = 1 }
           END { for (name in names) printf "  %-90s %4d / %d\n", name, tally[name, "passed"], tally[name, "failed"] }' \
    | sort
log "$((rounds - failures)) of $rounds rounds passed in $(($(date +%s) - start)) s"
((failures == 0))
