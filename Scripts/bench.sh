#!/usr/bin/env bash
# Benchmarks: prints one table of medians and ratios (ours / swift-prometheus) and the machine.
#   1. Tests/Benchmarks (ordo-one/package-benchmark): W1-W6, W7b for this library and
#      swift-server/swift-prometheus 2.4.1 in the same run, same inputs from a fixed seed.
#   2. Sidecar: events per second through the Unix socket, release builds of the service and of
#      llmdevops-sidecar-load (SidecarEmitter + the seeded synthetic workload), 3 runs of
#      BENCH_SIDECAR_EVENTS (default 1,000,000); each run's events must all reach the service.
# Env: BENCH_FILTER (package-benchmark --filter regex), BENCH_SIDECAR_EVENTS, BENCH_SKIP_SIDECAR=1.
# Wall-clock figures depend on the machine and its load: compare ratios from one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log() { printf '[bench] %s\n' "$*" >&2; }

work=$(mktemp -d)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# --- 1. package-benchmark ----------------------------------------------------------------------
log "package-benchmark (Tests/Benchmarks), release"
filter=()
[[ -n "${BENCH_FILTER:-}" ]] && filter=(--filter "$BENCH_FILTER")
(cd Tests/Benchmarks && swift package --allow-writing-to-package-directory benchmark --no-progress \
    --format markdown "${filter[@]}") >"$work/benchmarks.md" 2>"$work/benchmarks.err" || {
    cat "$work/benchmarks.err" >&2
    exit 1
}

# --- 2. sidecar events per second --------------------------------------------------------------
sidecar_rates=""
if [[ "${BENCH_SKIP_SIDECAR:-}" != "1" ]]; then
    events=${BENCH_SIDECAR_EVENTS:-1000000}
    log "release builds: llmdevops-metrics, llmdevops-sidecar-load"
    swift build -c release --product llmdevops-metrics >&2
    swift build -c release --product llmdevops-sidecar-load >&2
    for run in 1 2 3; do
        socket="$work/run$run.sock"
        cat >"$work/sidecar$run.yaml" <<YAML
prometheus_metrics:
  endpoint: { host: "127.0.0.1", port: 0, path: "/metrics" }
  cache: { enabled: false, ttl_ms: 0 }
  rate_limit: { enabled: false }
  sidecar: { enabled: true, socket_path: "$socket" }
YAML
        .build/release/llmdevops-metrics --config "$work/sidecar$run.yaml" >"$work/service$run.log" 2>&1 &
        pids+=("$!")
        port=""
        for _ in $(seq 1 150); do
            port=$(grep -oE 'llmdevops\.http\.port=[0-9]+' "$work/service$run.log" | head -n 1 | cut -d= -f2 || true)
            [[ -n "$port" && -S "$socket" ]] && break
            sleep 0.2
        done
        [[ -n "$port" && -S "$socket" ]] || { cat "$work/service$run.log" >&2; exit 1; }
        .build/release/llmdevops-sidecar-load --socket "$socket" --events "$events" --buffer $((events * 2)) \
            >"$work/load$run.json"
        sent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent"])' "$work/load$run.json")
        rate=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["events_per_second"]))' "$work/load$run.json")
        # Every sent line must have reached the service (bounded wait: 60 s).
        received=0
        for _ in $(seq 1 300); do
            received=$(curl -s "http://127.0.0.1:$port/metrics" |
                awk '/^llmdevops_sidecar_messages_total[{ ]/ {sum += $NF} END {printf "%d", sum}')
            [[ "$received" -ge "$sent" ]] && break
            sleep 0.2
        done
        if [[ "$received" -ne "$sent" ]]; then
            log "error: run $run sent $sent lines but the service counted $received"
            exit 1
        fi
        log "sidecar run $run: $sent events, $rate events/s, all received"
        sidecar_rates+="$rate "
        kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
    done
fi

# --- table ------------------------------------------------------------------------------------
python3 - "$work/benchmarks.md" "$sidecar_rates" <<'PY'
import re, statistics, sys, subprocess, platform
path, rates = sys.argv[1], sys.argv[2].split()
text = open(path).read()
results = {}  # workload -> contender -> (median wall, unit, median mallocs)
for section in re.split(r"^### ", text, flags=re.M)[1:]:
    title = section.splitlines()[0].strip()
    if " / " not in title:
        continue
    workload, contender = title.rsplit(" / ", 1)
    wall = re.search(r"^\| Time \(wall clock\) \(([^)]+)\) \*?\s*\|\s*\S+\s*\|\s*\S+\s*\|\s*(\S+)", section, re.M)
    mallocs = re.search(r"^\| Malloc \(total\)(?: \(([^)]+)\))? \*?\s*\|\s*\S+\s*\|\s*\S+\s*\|\s*(\S+)", section, re.M)
    if not wall:
        continue
    scale = {"ns": 1, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}[wall.group(1)]
    malloc_scale = {"": 1, None: 1, "K": 1e3, "M": 1e6}.get(mallocs.group(1) if mallocs else None, 1)
    results.setdefault(workload, {})[contender] = (
        float(wall.group(2).replace(",", "")) * scale,
        float(mallocs.group(2).replace(",", "")) * malloc_scale if mallocs else float("nan"),
    )
def human(ns):
    for unit, size in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= size:
            return f"{ns / size:.3g} {unit}"
    return f"{ns:.3g} ns"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
print(f"machine: {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; {swift}")
print()
print(f"| workload | ours (p50) | swift-prometheus (p50) | ratio ours/theirs | mallocs ours / theirs |")
print(f"|---|---|---|---|---|")
for workload, contenders in results.items():
    ours, theirs = contenders.get("ours"), contenders.get("swift-prometheus")
    if not ours or not theirs:
        continue
    print(f"| {workload} | {human(ours[0])} | {human(theirs[0])} | {ours[0] / theirs[0]:.2f} | {ours[1]:.0f} / {theirs[1]:.0f} |")
if rates:
    values = sorted(int(r) for r in rates)
    print(f"| sidecar events/s through the Unix socket (3 runs) | {statistics.median(values):,} (runs {', '.join(f'{v:,}' for v in values)}) | – | – | – |")
PY
