#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (coverage-guided, with AddressSanitizer) for every
# parser of outside input; fails on a crash, a sanitizer report or a property violation.
#
# Usage:   Scripts/fuzz.sh [target|all] [seconds]        (defaults: all, 60 s per target)
#          Scripts/fuzz.sh list                          (the targets)
#          Scripts/fuzz.sh replay <target> <file>...     (run inputs once, e.g. a crash file)
# Targets: sidecar-line accept authorization config-yaml names label-screen exposition-parser
#          exposition-roundtrip (sources in Tests/Fuzz/Targets, seeds in Tests/Fuzz/Corpus/<target>)
# Env:     FUZZ_RUNS=N        stop each target after N executions (whichever comes first)
#          FUZZ_CONFIGURATION debug (default) or release
#          FUZZ_ARGS          extra libFuzzer flags
#          FUZZ_SCOPE         all (default): `swift build --sanitize=fuzzer --sanitize=address` into
#                             .build-fuzz, every dependency instrumented too (coverage inside Yams,
#                             NIO and libyaml guides the fuzzer as well; a full build, ~15 minutes
#                             in release on 2 cores); for long runs.
#                             package: only this package's targets compiled with
#                             -sanitize=fuzzer,address (Package.swift's LLMDEVOPS_SANITIZE_SCOPE),
#                             dependencies reused from the normal debug build in .build (all eight
#                             targets in ~40 s after `swift build`); coverage and ASan cover our
#                             code only. Debug only. What .ci/run uses.
#          FUZZ_SCRATCH       the build directory (default .build-fuzz, or .build for package)
#          FUZZ_SKIP_BUILD=1  run what is built (e.g. one target while others still build)
# Output:  per target the final libFuzzer line (executions `#N`, `cov:` edges, `ft:` features,
#          `corp:` corpus), stat::number_of_executed_units, exec/s. The growing corpus lives in
#          .build-fuzz/corpus/<target> (seeds are never written); crashes in .build-fuzz/artifacts.
# Build:   LLMDEVOPS_FUZZ=1 (adds the targets to Package.swift) swift build --scratch-path .build-fuzz
#          --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address; a normal build
#          never sees them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[fuzz.sh] %s\n' "$*"; }
error() { printf '[fuzz.sh] error: %s\n' "$*" >&2; }

targets=(sidecar-line accept authorization config-yaml names label-screen exposition-parser exposition-roundtrip)
scope=${FUZZ_SCOPE:-all}
configuration=${FUZZ_CONFIGURATION:-debug}
case "$scope" in
    all) scratch=${FUZZ_SCRATCH:-.build-fuzz} ;;
    package)
        scratch=${FUZZ_SCRATCH:-.build}
        if [[ "$configuration" != debug ]]; then
            error "FUZZ_SCOPE=package builds debug only (it reuses the debug build's dependencies)"
            exit 2
        fi
        ;;
    *)
        error "unknown FUZZ_SCOPE '$scope' (all or package)"
        exit 2
        ;;
esac

product() {
    case "$1" in
        sidecar-line) echo FuzzSidecarLine ;;
        accept) echo FuzzAccept ;;
        authorization) echo FuzzAuthorization ;;
        config-yaml) echo FuzzConfigYAML ;;
        names) echo FuzzNames ;;
        label-screen) echo FuzzLabelScreen ;;
        exposition-parser) echo FuzzExpositionParser ;;
        exposition-roundtrip) echo FuzzExpositionRoundTrip ;;
        *) return 1 ;;
    esac
}

# The longest input each target reads (bytes).
max_len() {
    case "$1" in
        sidecar-line | config-yaml | exposition-parser) echo 8192 ;;
        *) echo 1024 ;;
    esac
}

build() {
    local target start
    start=$(date +%s)
    for target in "$@"; do
        log "building $(product "$target") ($configuration, fuzzer + address sanitizer, scope $scope)"
        if [[ "$scope" == package ]]; then
            LLMDEVOPS_FUZZ=1 LLMDEVOPS_SANITIZER=fuzzer,address LLMDEVOPS_SANITIZE_SCOPE=package \
                swift build -c debug --scratch-path "$scratch" --product "$(product "$target")"
            continue
        fi
        # `--sanitize=fuzzer --sanitize=address` alone is not enough: SwiftPM passes them to
        # swiftc as two flags and the second replaces the first, which leaves the Swift code
        # without coverage instrumentation. The comma-joined flag after them keeps both (C
        # targets, Yams' libyaml among them, get both from clang, which adds them up); SwiftPM's
        # own flags are still needed so that it links libFuzzer's `main` as the entry point.
        # The targets `@testable import` the modules they fuzz; a release build allows that
        # only with -enable-testing.
        local testing=()
        [[ "$configuration" == release ]] && testing=(-Xswiftc -enable-testing)
        LLMDEVOPS_FUZZ=1 swift build -c "$configuration" --scratch-path "$scratch" \
            --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address "${testing[@]}" \
            --product "$(product "$target")"
    done
    log "build took $(($(date +%s) - start)) s"
}

binary() { echo "$scratch/$configuration/$(product "$1")"; }

# libFuzzer options shared by runs and replays. Leak checking stays on (-detect_leaks=1).
common_options() {
    local target=$1 dictionary="Tests/Fuzz/Dictionaries/$1.dict"
    printf '%s\n' "-max_len=$(max_len "$target")" "-timeout=20" "-rss_limit_mb=4096" "-print_final_stats=1"
    [[ -f "$dictionary" ]] && printf '%s\n' "-dict=$dictionary"
    return 0
}

run() {
    local target=$1 seconds=$2 options=() output status
    local corpus="$scratch/corpus/$target" seeds="Tests/Fuzz/Corpus/$target" artifacts="$scratch/artifacts/$target/"
    mkdir -p "$corpus" "$artifacts"
    mapfile -t options < <(common_options "$target")
    options+=("-max_total_time=$seconds" "-artifact_prefix=$artifacts")
    [[ -n "${FUZZ_RUNS:-}" ]] && options+=("-runs=$FUZZ_RUNS")
    # shellcheck disable=SC2206
    [[ -n "${FUZZ_ARGS:-}" ]] && options+=($FUZZ_ARGS)
    output="$scratch/logs/$target-$(date +%Y%m%d-%H%M%S).log"
    mkdir -p "$scratch/logs"
    log "== $target: $(binary "$target") ${options[*]} $corpus $seeds"
    local start
    start=$(date +%s)
    # SWIFT_BACKTRACE: after a property violation (a trap) Swift's backtracer reads the dead
    # process' memory, which AddressSanitizer reports as a wild read of its own (seen on the
    # first accept finding); libFuzzer's deadly-signal report and the input are what count.
    if ASAN_OPTIONS="${ASAN_OPTIONS:-allocator_may_return_null=1:detect_stack_use_after_return=0}" \
        SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}" "$(binary "$target")" "${options[@]}" "$corpus" "$seeds" >"$output" 2>&1; then status=0; else status=$?; fi
    local elapsed=$(($(date +%s) - start))
    local final executed per_second corpus_files
    final=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$output" | tail -n 1 || true)
    executed=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$output" | tail -n 1)
    per_second=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$output" | tail -n 1)
    corpus_files=$(find "$corpus" -type f | wc -l)
    log "$target: ${final:-no status line}"
    log "$target: stat::number_of_executed_units: ${executed:-?}  exec/s: ${per_second:-?}  seconds: $elapsed  corpus files: $corpus_files  log: $output"
    if ((status != 0)) || grep -qE '==[0-9]+==ERROR|property violated|deadly signal|SUMMARY: (Address|Leak|Undefined)' "$output"; then
        error "$target failed (exit $status):"
        grep -E 'property violated|==ERROR|SUMMARY|Test unit written|deadly signal|Fatal error' "$output" | head -n 20 >&2 || true
        return 1
    fi
}

replay() {
    local target=$1
    shift
    local options=()
    mapfile -t options < <(common_options "$target")
    "$(binary "$target")" "${options[@]}" -runs=1 "$@"
}

command=${1:-all}
case "$command" in
    list)
        printf '%s\n' "${targets[@]}"
        exit 0
        ;;
    replay)
        (($# >= 3)) || { error "usage: Scripts/fuzz.sh replay <target> <file>..."; exit 2; }
        product "$2" >/dev/null || { error "unknown target '$2' (Scripts/fuzz.sh list)"; exit 2; }
        build "$2"
        replay "${@:2}"
        exit $?
        ;;
    all) selected=("${targets[@]}") ;;
    *)
        product "$command" >/dev/null || { error "unknown target '$command' (Scripts/fuzz.sh list)"; exit 2; }
        selected=("$command")
        ;;
esac
seconds=${2:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { error "seconds must be a whole number, got '$seconds'"; exit 2; }

[[ "${FUZZ_SKIP_BUILD:-}" == "1" ]] || build "${selected[@]}"
failed=()
for target in "${selected[@]}"; do
    run "$target" "$seconds" || failed+=("$target")
done
if ((${#failed[@]} > 0)); then
    error "failed: ${failed[*]}"
    exit 1
fi
log "all ${#selected[@]} target(s) ran ${seconds} s without a crash or property violation"
