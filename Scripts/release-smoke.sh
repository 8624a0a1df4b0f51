#!/usr/bin/env bash
# Builds the release service (what `swift run -c release llmdevops-metrics` runs) and judges it
# while it serves a bounded, seeded demo workload (--demo-events: a stable target, so that the
# text and OpenMetrics bodies fetched a moment apart hold the same series), with the
# independent shared tools:
#   ../shared/tools/check_exposition.sh   promtool + Python parsers, 4 Accept headers x gzip
#   ../shared/tools/scrape_with_prometheus.sh   a real Prometheus scrapes it
# once without auth and once with a bearer token. Every service it starts binds 127.0.0.1 on a
# free port and is stopped by PID on exit. Exit status: 0 when every check passed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[release-smoke] %s\n' "$*"; }
tools=../shared/tools
if [[ ! -x "$tools/check_exposition.sh" || ! -x "$tools/scrape_with_prometheus.sh" ]]; then
    log "error: $tools/check_exposition.sh and scrape_with_prometheus.sh are required"
    exit 1
fi

log "swift build -c release --product llmdevops-metrics"
swift build -c release --product llmdevops-metrics
binary=.build/release/llmdevops-metrics

work=$(mktemp -d)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# start NAME CONFIG: starts the demo service, waits (bounded: 30 s) until it has applied the
# workload, and sets $port from its log.
start() {
    local name=$1 config=$2
    "$binary" --config "$config" --demo-events 20000 >"$work/$name.log" 2>&1 &
    pids+=("$!")
    port=""
    for _ in $(seq 1 150); do
        port=$(grep -oE 'llmdevops\.http\.port=[0-9]+' "$work/$name.log" | head -n 1 | cut -d= -f2 || true)
        if [[ -n "$port" ]] && grep -q 'Demo workload applied' "$work/$name.log"; then return 0; fi
        kill -0 "${pids[-1]}" 2>/dev/null || break
        sleep 0.2
    done
    log "error: the $name service did not start:"
    cat "$work/$name.log" >&2
    return 1
}

token="smoke-$(openssl rand -hex 16)"
digest=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
cat >"$work/plain.yaml" <<YAML
prometheus_metrics:
  endpoint: { host: "127.0.0.1", port: 0, path: "/metrics" }
YAML
cat >"$work/token.yaml" <<YAML
prometheus_metrics:
  endpoint: { host: "127.0.0.1", port: 0, path: "/metrics" }
  auth:
    enabled: true
    tokens:
      prometheus: { sha256: "$digest", scopes: ["metrics:read"] }
YAML

failed=0
start plain "$work/plain.yaml"
plain_url="http://127.0.0.1:$port/metrics"
start token "$work/token.yaml"
token_url="http://127.0.0.1:$port/metrics"

run_check() {
    local label=$1
    shift
    if "$@" >"$work/check.out" 2>&1; then
        log "$label: $(tail -n 1 "$work/check.out")"
    else
        failed=1
        cat "$work/check.out" >&2
        log "$label FAILED: $(tail -n 1 "$work/check.out")"
    fi
}
run_check "check_exposition (no token)" env REQUIRE_GZIP=1 "$tools/check_exposition.sh" "$plain_url"
run_check "check_exposition (token)" env REQUIRE_GZIP=1 "$tools/check_exposition.sh" "$token_url" "$token"
run_check "scrape_with_prometheus (no token)" "$tools/scrape_with_prometheus.sh" "$plain_url" "" 4
run_check "scrape_with_prometheus (token)" "$tools/scrape_with_prometheus.sh" "$token_url" "$token" 4

for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { log "error: a service died during the checks"; failed=1; }
done
exit "$failed"
