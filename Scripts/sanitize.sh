#!/usr/bin/env bash
# Runs the test suites under ThreadSanitizer and/or AddressSanitizer and fails on any report.
#
# Usage:   Scripts/sanitize.sh [thread|address]...        (no argument: thread, then address)
#   thread   builds the package and its tests with ThreadSanitizer (and LLMDEVOPS_SANITIZER=thread,
#            so `Lock` is a mutex TSan sees), then runs the concurrency suites (TSAN_SUITES below)
#   address  builds them with AddressSanitizer, then runs the whole suite (LeakSanitizer included)
# Scope:   SANITIZE_SCOPE=package (default) instruments every target of this package, sources,
#            tests and the executables the tests start, and compiles the dependencies as a normal
#            debug build does, in the normal build directory (.build): the sanitizer build
#            recompiles only our targets and reuses the dependencies' objects (~100 s instead of
#            ~850 s on 2 cores). Races and memory errors inside a dependency's own code are not
#            seen; ours are, including our code's accesses to memory a dependency hands us.
#          SANITIZE_SCOPE=all  `swift build --sanitize=<name>` into .build-tsan / .build-asan:
#            every dependency instrumented too (a full build of everything).
#          Either way the interceptors (pthread, malloc, free) cover the whole process.
# Canary:  before the suites, a planted fault (SanitizerCanaryTests: a race for thread, a read
#          after free for address) runs alone; the run fails unless the sanitizer stops it with a
#          report naming that file, so a build that lost its instrumentation cannot pass.
# Env:     SANITIZE_FILTER   replaces the suite list (suite names separated by |)
#          SANITIZE_SKIP     suites to leave out of the list (names separated by |)
#          LLMDEVOPS_TIME_LIMIT_FACTOR  multiplies the tests' time limits and hang bounds
#                            (default 10 for thread, 3 for address)
#          SANITIZE_JOBS     `swift build --jobs` (default: swift's)
#          LLMDEVOPS_TEST_WIDTH  tests at once, as in Scripts/test.sh (default 8)
# Every process the tests start (the service binary, the sidecar load generator) is built with
# the same sanitizer and inherits its options. Reports from all of them go to files under
# <build directory>/sanitizer-reports/<run>/ (`log_path`), which are scanned afterwards: the
# run fails if any report exists, even when the tests passed. Suppressions are in
# Scripts/sanitizers/*.supp, each with the third-party frame it silences and why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[sanitize.sh] %s\n' "$*"; }
error() { printf '[sanitize.sh] error: %s\n' "$*" >&2; }

# The suites that exercise concurrency: registry and family concurrency, pipeline exactness
# and the direct record path, the sidecar listener (in process and as the service binary) and
# emitter, the HTTP handler under concurrent scrapes, cardinality floods, the exposition cache,
# the series table, label probes and counters.
TSAN_SUITES='ConcurrencyTests|MetricFamilyTests|CounterMetricTests|SeriesTableTests|LabelProbeTests'
TSAN_SUITES+='|CardinalityTests|CardinalityFloodTests|ExpositionCacheTests|RejectionLogTests'
TSAN_SUITES+='|PipelineExactnessTests|EventPipelineTests|SidecarEmitterTests|RegistryMetricsFactoryTests'
TSAN_SUITES+='|SidecarListenerTests|SidecarProtocolTests|MetricsEndpointTests|HostileClientTests|LimitsTests'

now() { date +%s; }

# Prints the report files of a run, returns 1 if there is any.
scan_reports() {
    local directory=$1 kind=$2 count=0 file
    shopt -s nullglob
    for file in "$directory"/*; do
        [[ -f "$file" ]] || continue  # the canary's reports are in their own directory
        [[ "$file" == */swift-test*.log ]] && continue
        # A report, not only LeakSanitizer's table of suppressions used.
        grep -qE 'WARNING: ThreadSanitizer|ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$file" || continue
        count=$((count + 1))
        error "$kind report in $file:"
        sed -n '1,80p' "$file" >&2
    done
    shopt -u nullglob
    if ((count > 0)); then
        error "$count $kind report file(s)"
        return 1
    fi
    log "$kind reports: 0"
}

# Checks that every object file of our library modules calls into the sanitizer's runtime
# (the canary below shows it for the test target).
check_instrumented() {
    local scratch=$1 sanitizer=$2 module symbol objects instrumented file
    case "$sanitizer" in thread) symbol=__tsan_ ;; address) symbol=__asan_ ;; esac
    for module in LLMDevOpsMetrics LLMDevOpsCollectors LLMDevOpsMetricsServer LLMDevOpsMetricsTesting LLMDevOpsSidecarEmitter; do
        objects=0 instrumented=0
        for file in "$scratch"/debug/"$module".build/*.swift.o; do
            [[ -f "$file" ]] || continue
            objects=$((objects + 1))
            if [[ "$(nm -u "$file")" == *"$symbol"* ]]; then instrumented=$((instrumented + 1)); fi
        done
        if ((objects == 0 || instrumented < objects)); then
            error "$module: $instrumented of $objects object files call $symbol"
            return 1
        fi
    done
    log "$sanitizer: every object file of the five library modules calls $symbol"
}

# Runs the planted fault for a sanitizer alone and checks that the sanitizer stopped it with a
# report from SanitizerCanaryTests.swift. Its reports go to their own directory, which the scan
# of the suites' reports does not read.
run_canary() {
    local sanitizer=$1 directory=$2
    shift 2
    local canary expected status
    case "$sanitizer" in
        thread) canary=race expected='WARNING: ThreadSanitizer: (data race|Swift access race)' ;;
        address) canary=use-after-free expected='ERROR: AddressSanitizer: heap-use-after-free' ;;
    esac
    mkdir -p "$directory"
    log "== $sanitizer canary: LLMDEVOPS_SANITIZER_CANARY=$canary swift test $* --filter SanitizerCanaryTests"
    # Stop at the first report: reaching the end of the canary fails it.
    if TSAN_OPTIONS="log_path=$directory/tsan halt_on_error=1 exitcode=66" ASAN_OPTIONS="log_path=$directory/asan halt_on_error=1 detect_leaks=0" \
        LLMDEVOPS_SANITIZER_CANARY=$canary swift test "$@" --filter 'SanitizerCanaryTests' >"$directory/swift-test.log" 2>&1; then
        status=0
    else
        status=$?
    fi
    if ((status != 0)) && grep -Eq "$expected" "$directory"/*san* 2>/dev/null \
        && grep -q 'SanitizerCanaryTests.swift' "$directory"/*san* 2>/dev/null; then
        log "$sanitizer canary: reported (\"$expected\" in SanitizerCanaryTests.swift, exit $status)"
        return 0
    fi
    error "$sanitizer canary: no \"$expected\" report naming SanitizerCanaryTests.swift (exit $status); the build is not instrumented"
    tail -n 20 "$directory/swift-test.log" >&2 || true
    return 1
}

run_sanitizer() {
    local sanitizer=$1 scratch filter options_var options start status build_args=()
    local scope=${SANITIZE_SCOPE:-package} sanitize_flags=()
    case "$scope" in
        package) export LLMDEVOPS_SANITIZE_SCOPE=package ;;
        all) sanitize_flags=(--sanitize="$sanitizer") ;;
        *)
            error "unknown SANITIZE_SCOPE '$scope' (package or all)"
            return 2
            ;;
    esac
    case "$sanitizer" in
        thread)
            scratch=.build-tsan
            filter=${SANITIZE_FILTER:-$TSAN_SUITES}
            export LLMDEVOPS_SANITIZER=thread
            # ThreadSanitizer runs the same work 5-15 times slower: scale the tests' hang guards.
            export LLMDEVOPS_TIME_LIMIT_FACTOR=${LLMDEVOPS_TIME_LIMIT_FACTOR:-10}
            ;;
        address)
            scratch=.build-asan
            filter=${SANITIZE_FILTER:-}
            export LLMDEVOPS_SANITIZER=address
            export LLMDEVOPS_TIME_LIMIT_FACTOR=${LLMDEVOPS_TIME_LIMIT_FACTOR:-3}
            ;;
        *)
            error "unknown sanitizer '$sanitizer' (thread or address)"
            return 2
            ;;
    esac
    [[ "$scope" == package ]] && scratch=.build
    [[ -n "${SANITIZE_JOBS:-}" ]] && build_args+=(--jobs "$SANITIZE_JOBS")

    start=$(now)
    log "== $sanitizer ($scope): swift build --build-tests ${sanitize_flags[*]} --scratch-path $scratch"
    if ! swift build --build-tests "${sanitize_flags[@]}" --scratch-path "$scratch" "${build_args[@]}"; then
        error "$sanitizer build failed"
        return 1
    fi
    log "$sanitizer build took $(($(now) - start)) s"
    check_instrumented "$scratch" "$sanitizer" || return 1

    local reports
    reports="$(pwd)/$scratch/sanitizer-reports/$(date +%Y%m%d-%H%M%S)"
    mkdir -p "$reports"
    local supp
    supp="$(pwd)/Scripts/sanitizers"
    case "$sanitizer" in
        thread)
            export TSAN_OPTIONS="log_path=$reports/tsan halt_on_error=0 exitcode=66 second_deadlock_stack=1 history_size=4 suppressions=$supp/tsan.supp"
            ;;
        address)
            # quarantine_size_mb: ASan keeps freed memory resident in a quarantine (256 MB by
            # default) to catch uses after free; CardinalityFloodTests bounds the resident growth of
            # a million offered label sets at 128 MiB, which that quarantine alone would exceed.
            export ASAN_OPTIONS="log_path=$reports/asan halt_on_error=1 detect_leaks=1 detect_stack_use_after_return=0 check_initialization_order=1 strict_init_order=1 quarantine_size_mb=32"
            export LSAN_OPTIONS="suppressions=$supp/lsan.supp print_suppressions=1"
            ;;
    esac

    local test_args=(--skip-build "${sanitize_flags[@]}" --scratch-path "$scratch")
    # As Scripts/test.sh: at most LLMDEVOPS_TEST_WIDTH tests at once (the whole-suite run).
    local width=${LLMDEVOPS_TEST_WIDTH:-8}
    ((width > 0)) && test_args+=(--experimental-maximum-parallelization-width "$width")
    run_canary "$sanitizer" "$reports/canary" "${test_args[@]}" || return 1
    local groups=()
    if [[ -n "$filter" ]]; then
        # One `swift test` per suite, one after another: a sanitized build is several times
        # slower, and all suites at once on two cores push tests past their time limits.
        IFS='|' read -r -a groups <<<"$filter"
        if [[ -n "${SANITIZE_SKIP:-}" ]]; then
            local kept=() candidate
            for candidate in "${groups[@]}"; do
                [[ "|$SANITIZE_SKIP|" == *"|$candidate|"* ]] || kept+=("$candidate")
            done
            groups=("${kept[@]}")
        fi
    else
        groups=("")
    fi
    start=$(now)
    local group output tests=0 failed_groups=() summary count
    for group in "${groups[@]}"; do
        output="$reports/swift-test${group:+-$group}.log"
        local args=("${test_args[@]}")
        [[ -n "$group" ]] && args+=(--filter "\\.$group(/|\$)")
        log "== $sanitizer: swift test ${args[*]}"
        if swift test "${args[@]}" >"$output" 2>&1; then status=0; else status=$?; fi
        summary=$(grep -aE 'Test run with [0-9]+ tests? in [0-9]+ suites? (passed|failed)' "$output" | tail -n 1 || true)
        count=$(sed -nE 's/.*Test run with ([0-9]+) tests?.*/\1/p' <<<"$summary")
        tests=$((tests + ${count:-0}))
        log "${group:-whole suite}: ${summary:-no Swift Testing summary} (exit $status)"
        grep -aE '^\s*Executed [0-9]+ tests?' "$output" | tail -n 1 | sed 's/^\s*/[sanitize.sh]   XCTest: /' || true
        if ((status != 0)); then
            failed_groups+=("${group:-whole suite}")
            grep -aE 'recorded an issue|Time limit' "$output" | head -n 20 | cut -c1-300 | sed 's/^/    /' >&2 || true
        fi
    done
    log "$sanitizer tests took $(($(now) - start)) s: $tests Swift Testing tests in ${#groups[@]} run(s)"
    # Suppressed LeakSanitizer findings are printed with their counts (print_suppressions).
    grep -h -A3 'Suppressions used' "$reports"/* 2>/dev/null | sed 's/^/[sanitize.sh] /' || true
    local scan=0
    scan_reports "$reports" "$sanitizer-sanitizer" || scan=1
    if ((${#failed_groups[@]} > 0)); then
        error "$sanitizer: tests failed in: ${failed_groups[*]}"
        return 1
    fi
    return "$scan"
}

sanitizers=("$@")
((${#sanitizers[@]} > 0)) || sanitizers=(thread address)
overall=0
for sanitizer in "${sanitizers[@]}"; do
    if ! run_sanitizer "$sanitizer"; then overall=1; fi
done
exit "$overall"
