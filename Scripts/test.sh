#!/usr/bin/env bash
# The project's single test command: makes sure the reference tools are installed, builds
# the package with its tests, and runs them.
#
# Usage:   Scripts/test.sh [swift test arguments...]      e.g. Scripts/test.sh --filter Exposition
# Env:     LLMDEVOPS_SKIP_RELEASE_SMOKE=1 (not under CI) skips Scripts/release-smoke.sh
#          CI=true                 missing tools or conformance data are errors, and Swift tests
#                                  treat missing tools as failures (exports LLMDEVOPS_REQUIRE_TOOLS=1)
#          SWIFT_TEST_PARALLEL=1|0 force `swift test --parallel` / `--no-parallel`
#                                  (unset: swift's default)
#          LLMDEVOPS_TEST_WIDTH=N  how many Swift Testing tests run at once (default 8; 0: no bound)
# Needs:   promtool + prometheus (Debian `prometheus`), python3 with prometheus_client
#          (PyPI `prometheus-client`) and google.protobuf (PyPI `protobuf`), protoc (Debian
#          `protobuf-compiler`; the protobuf tests compile ../shared/proto/metrics.proto with it),
#          curl, openssl (TLS tests make their certificates with it)
#          zlib's headers (Debian `zlib1g-dev`, for compress-nio's gzip) and amtool (Debian
#          `prometheus-alertmanager`, for the Alertmanager example), chromium (Debian `chromium`,
#          headless, for the cardinality page's browser test). Installed
#          automatically when running as root with apt-get (pip is tried as any user). wrk is optional.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[test.sh] %s\n' "$*"; }
warn() { printf '[test.sh] warning: %s\n' "$*" >&2; }
error() { printf '[test.sh] error: %s\n' "$*" >&2; }

ci=false
if [[ "${CI:-}" == "true" ]]; then
    ci=true
    export LLMDEVOPS_REQUIRE_TOOLS=1
fi

# --- timing -----------------------------------------------------------------------------------
now_ms() { date +%s%3N; }
format_ms() { printf '%d.%03ds' $(($1 / 1000)) $(($1 % 1000)); }
phase_names=()
phase_times=()
phase_start=0
current_phase=""
begin_phase() {
    current_phase=$1
    phase_start=$(now_ms)
    log "== $1"
}
end_phase() {
    local elapsed=$(($(now_ms) - phase_start))
    phase_names+=("$current_phase")
    phase_times+=("$elapsed")
    log "$current_phase took $(format_ms "$elapsed")"
    current_phase=""
}
print_summary() {
    local status=$?
    if [[ -n "$current_phase" ]]; then
        end_phase
    fi
    local i
    for i in "${!phase_names[@]}"; do
        log "$(printf '%-12s %s' "${phase_names[$i]}" "$(format_ms "${phase_times[$i]}")")"
    done
    log "exit status $status"
}
trap print_summary EXIT

log "repository: $(pwd) (CI=${CI:-unset})"

# --- tools ------------------------------------------------------------------------------------
begin_phase tools

has_command() { command -v "$1" >/dev/null 2>&1; }
has_python_client() { has_command python3 && python3 -c 'import prometheus_client' >/dev/null 2>&1; }
has_python_protobuf() { has_command python3 && python3 -c 'import google.protobuf' >/dev/null 2>&1; }
has_zlib_headers() { [[ -f /usr/include/zlib.h ]]; }
has_chromium() { [[ -x /usr/bin/chromium ]]; }

# Prints the required tools that are missing, one per line.
missing_tools() {
    has_command promtool || echo promtool
    has_command prometheus || echo prometheus
    has_command amtool || echo "amtool (prometheus-alertmanager)"
    has_python_client || echo "python3 module prometheus_client"
    has_python_protobuf || echo "python3 module google.protobuf (PyPI protobuf)"
    has_command protoc || echo "protoc (protobuf-compiler)"
    has_command curl || echo curl
    has_command openssl || echo openssl
    has_zlib_headers || echo "zlib headers (zlib1g-dev)"
    has_chromium || echo "chromium (the cardinality page's browser test)"
}

can_use_apt() { [[ "$(id -u)" -eq 0 ]] && has_command apt-get; }

apt_updated=false
apt_install() {
    if ! $apt_updated; then
        log "running apt-get update"
        apt-get update
        apt_updated=true
    fi
    log "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

pip_install() {
    local package=$1 output
    log "installing PyPI package $package: python3 -m pip install $package"
    if output=$(python3 -m pip install --disable-pip-version-check "$package" 2>&1); then
        printf '%s\n' "$output"
        return 0
    fi
    printf '%s\n' "$output" >&2
    if grep -qi 'externally-managed' <<<"$output"; then
        log "the Python environment is externally managed; retrying with --break-system-packages"
        python3 -m pip install --disable-pip-version-check --break-system-packages "$package"
    else
        return 1
    fi
}

if [[ -n "$(missing_tools)" ]]; then
    log "missing: $(missing_tools | paste -sd, - | sed 's/,/, /g')"
    if can_use_apt; then
        packages=()
        { has_command promtool && has_command prometheus; } || packages+=(prometheus)
        has_command amtool || packages+=(prometheus-alertmanager)
        has_command curl || packages+=(curl)
        has_command openssl || packages+=(openssl)
        has_zlib_headers || packages+=(zlib1g-dev)
        has_chromium || packages+=(chromium)
        has_command protoc || packages+=(protobuf-compiler)
        has_command python3 || packages+=(python3 python3-pip)
        if has_command python3 && { ! has_python_client || ! has_python_protobuf; } && ! python3 -m pip --version >/dev/null 2>&1; then
            packages+=(python3-pip)
        fi
        if ((${#packages[@]} > 0)); then
            apt_install "${packages[@]}" || warn "apt-get install ${packages[*]} failed"
        fi
    else
        log "not root or no apt-get: not installing Debian packages"
    fi
    if ! has_python_client && has_command python3; then
        pip_install prometheus-client || warn "pip install prometheus-client failed"
    fi
    if ! has_python_protobuf && has_command python3; then
        pip_install protobuf || warn "pip install protobuf failed"
    fi
fi

missing=()
while IFS= read -r tool; do
    [[ -n "$tool" ]] && missing+=("$tool")
done < <(missing_tools)
for tool in "${missing[@]}"; do
    if $ci; then
        error "$tool missing"
    else
        warn "$tool missing; tests that need it will be skipped"
    fi
done
if $ci && ((${#missing[@]} > 0)); then
    exit 1
fi

if has_command promtool; then
    log "promtool: $(promtool --version 2>&1 | head -n 1)"
fi
if has_python_client; then
    log "python: $(python3 -c 'import sys, importlib.metadata as m; print(sys.executable, sys.version.split()[0], "prometheus-client", m.version("prometheus-client"))')"
fi
for tool in wrk; do
    if has_command "$tool"; then log "optional $tool: found"; else log "optional $tool: not found"; fi
done
end_phase

# --- conformance data -------------------------------------------------------------------------
conformance_dir=../shared/conformance/openmetrics-parsers
if [[ -d "$conformance_dir" ]]; then
    log "conformance suite: $conformance_dir ($(find "$conformance_dir" -mindepth 1 -maxdepth 1 -type d | wc -l) cases)"
elif $ci; then
    error "conformance suite $conformance_dir missing"
    exit 1
else
    warn "conformance suite $conformance_dir missing; conformance tests will be skipped"
fi

# The protobuf exposition's schema (reference data beside the repository, like the suite above).
proto_schema=../shared/proto/metrics.proto
if [[ -f "$proto_schema" ]]; then
    log "protobuf schema: $proto_schema"
elif $ci; then
    error "protobuf schema $proto_schema missing"
    exit 1
else
    warn "protobuf schema $proto_schema missing; the protobuf decoder tests will be skipped"
fi

# --- build ------------------------------------------------------------------------------------
begin_phase build
log "swift build --build-tests"
if swift build --build-tests; then status=0; else status=$?; fi
end_phase
if ((status != 0)); then
    error "build failed (exit $status)"
    exit "$status"
fi

# --- documentation ----------------------------------------------------------------------------
begin_phase docs
if bash Scripts/docs.sh; then status=0; else status=$?; fi
end_phase
if ((status != 0)); then
    error "the DocC documentation has errors (exit $status)"
    exit "$status"
fi

# --- release smoke ----------------------------------------------------------------------------
# The README's first command runs a release build; judge that binary too (before the unit tests,
# so that swift test's summary stays the last line of the run).
if [[ "${LLMDEVOPS_SKIP_RELEASE_SMOKE:-}" == "1" ]] && ! $ci; then
    warn "LLMDEVOPS_SKIP_RELEASE_SMOKE=1: not building or checking the release service"
else
    begin_phase release
    if bash Scripts/release-smoke.sh; then status=0; else status=$?; fi
    end_phase
    if ((status != 0)); then
        error "the release service failed its checks (exit $status)"
        exit "$status"
    fi
fi

# --- test -------------------------------------------------------------------------------------
parallel_args=()
case "${SWIFT_TEST_PARALLEL:-}" in
    "") ;;
    1 | true | yes) parallel_args=(--parallel) ;;
    0 | false | no) parallel_args=(--no-parallel) ;;
    *)
        error "SWIFT_TEST_PARALLEL must be 1 or 0, got '${SWIFT_TEST_PARALLEL}'"
        exit 2
        ;;
esac

# Swift Testing starts every test at once unless told otherwise: on 2 cores that is 400 tests
# sharing two cooperative threads for the first minute, and a test's time limit then measures
# the queue rather than the test (EventPipelineTests' 1,200 flushes took 54-58 s of their 60 s
# in a full run and 1.1 s alone). At most LLMDEVOPS_TEST_WIDTH tests run at once; a waiting
# test's limit has not started. The whole run is no slower: 220 s at 8 against 261 s unbounded
# on this machine.
width=${LLMDEVOPS_TEST_WIDTH:-8}
if ! [[ "$width" =~ ^[0-9]+$ ]]; then
    error "LLMDEVOPS_TEST_WIDTH must be a whole number, got '$width'"
    exit 2
fi
width_args=()
((width > 0)) && width_args=(--experimental-maximum-parallelization-width "$width")

begin_phase test
test_command=(swift test --skip-build "${parallel_args[@]}" "${width_args[@]}" "$@")
log "${test_command[*]}"
if "${test_command[@]}"; then status=0; else status=$?; fi
end_phase
if ((status != 0)); then
    error "tests failed (exit $status)"
fi
exit "$status"
