#!/usr/bin/env bash
# Benchmarks: prints one table of medians and ratios (ours / swift-prometheus) and the machine.
#   1. Tests/Benchmarks (ordo-one/package-benchmark): W1-W6, W7b (1k, 10k, 100k series; 100k
#      for ours only) and W8 (gzip of the 10k-series exposition) for this library and
#      swift-server/swift-prometheus 2.4.1 in the same run, same inputs from a fixed seed; and
#      for ours only (swift-prometheus has neither), W4n (observe with native buckets) and W6p
#      (protobuf render), each also set against our own W4 and W6.
#      W6 (render text 0.0.4 of the realistic registry at 1k, 10k and 100k series) runs in
#      BENCH_W6_RUNS rounds (default 3), each contender in its own processes, the order of the
#      contenders alternating from round to round; the table gives the median of the rounds' p50s
#      and each round's ratio.
#   2. W7: resident bytes per counter series at 100,000 series (MemoryProbe), 3 fresh processes
#      per contender, median.
#   3. HTTP: wrk -t2 -c16 -d10s with gzip against (a) our MetricsServer over the 10k-series W6
#      registry with the exposition cache on, (b) the same with it off, (c) a Hummingbird 2 server
#      rendering swift-prometheus and gzipping on every request. Requests/s, p50, p99; any
#      non-2xx response or socket error fails the run.
#   4. Sidecar: events per second through the Unix socket, release builds of the service and of
#      llmdevops-sidecar-load (SidecarEmitter + the seeded synthetic workload), 3 runs of
#      BENCH_SIDECAR_EVENTS (default 1,000,000); each run's events must all reach the service.
# Env: BENCH_FILTER (package-benchmark --filter regex), BENCH_W6_RUNS, BENCH_SIDECAR_EVENTS, BENCH_SKIP_SIDECAR=1,
#      BENCH_SKIP_MEMORY=1, BENCH_SKIP_HTTP=1, BENCH_WRK_DURATION (default 10s).
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
# benchmark OUTPUT ARGS...: one package-benchmark run, markdown into $work/OUTPUT.md.
benchmark() {
    local output=$1
    shift
    (cd Tests/Benchmarks && swift package --allow-writing-to-package-directory benchmark --no-progress \
        --format markdown "$@") >"$work/$output.md" 2>"$work/$output.err" || {
        cat "$work/$output.err" >&2
        exit 1
    }
}
log "package-benchmark (Tests/Benchmarks), release"
filter=()
[[ -n "${BENCH_FILTER:-}" ]] && filter=(--filter "$BENCH_FILTER")
benchmark benchmarks "${filter[@]}" --skip '^W6 '
# W6 rounds: ours first in odd rounds, swift-prometheus first in even ones.
w6_runs=${BENCH_W6_RUNS:-3}
if [[ -z "${BENCH_FILTER:-}" || "W6 render text" =~ ${BENCH_FILTER} ]]; then
    for round in $(seq 1 "$w6_runs"); do
        contenders=(ours swift-prometheus)
        (( round % 2 == 0 )) && contenders=(swift-prometheus ours)
        for contender in "${contenders[@]}"; do
            log "W6 round $round: $contender"
            benchmark "w6-$round-$contender" --filter "^W6 .* / $contender\$"
        done
    done
fi
bench_bin=Tests/Benchmarks/.build/release

# --- 2. W7: resident memory per series, fresh processes ---------------------------------------
if [[ "${BENCH_SKIP_MEMORY:-}" != "1" ]]; then
    log "release build: MemoryProbe"
    (cd Tests/Benchmarks && swift build -c release --product MemoryProbe) >&2
    for contender in ours swift-prometheus; do
        for run in 1 2 3; do
            "$bench_bin/MemoryProbe" --contender "$contender" --series 100000 >"$work/memory-$contender-$run.json"
            log "W7 $contender run $run: $(cat "$work/memory-$contender-$run.json")"
        done
    done
fi

# --- 3. HTTP load with wrk ---------------------------------------------------------------------
# Starts a server that prints port=N, waits for the port (bounded), warms it with one gzip
# request, runs wrk and stops the server by PID.
http_run() {
    local name=$1
    shift
    "$@" >"$work/http-$name.out" 2>"$work/http-$name.err" &
    local pid=$!
    pids+=("$pid")
    local port="" _
    for _ in $(seq 1 300); do # building the 10k-series registry comes first: up to 60 s
        port=$(grep -oE '^port=[0-9]+' "$work/http-$name.out" | head -n 1 | cut -d= -f2 || true)
        [[ -n "$port" ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if [[ -z "$port" ]]; then
        log "error: $name printed no port"
        cat "$work/http-$name.err" >&2
        exit 1
    fi
    local status
    status=$(curl -s -o "$work/http-$name.warm" -w '%{http_code}' --max-time 30 -H 'Accept-Encoding: gzip' \
        "http://127.0.0.1:$port/metrics" || true)
    if [[ "$status" != "200" ]]; then
        log "error: $name answered the warm-up request with $status"
        exit 1
    fi
    log "$name on port $port: warm-up 200, $(wc -c <"$work/http-$name.warm") bytes; wrk"
    wrk -t2 -c16 -d"${BENCH_WRK_DURATION:-10s}" --timeout 5s -H 'Accept-Encoding: gzip' --latency \
        "http://127.0.0.1:$port/metrics" >"$work/wrk-$name.txt"
    cat "$work/wrk-$name.txt" >&2
    kill "$pid" || true
    wait "$pid" 2>/dev/null || true
}
if [[ "${BENCH_SKIP_HTTP:-}" != "1" ]]; then
    command -v wrk >/dev/null || { log "error: wrk is not installed (Debian: apt-get install wrk)"; exit 1; }
    log "release builds: LLMDevOpsMetricsBenchServer, SwiftPrometheusServer"
    (cd Tests/Benchmarks && swift build -c release --product LLMDevOpsMetricsBenchServer) >&2
    (cd Tests/Benchmarks && swift build -c release --product SwiftPrometheusServer) >&2
    http_run ours-cache-on "$bench_bin/LLMDevOpsMetricsBenchServer" --cache on --series 10000
    http_run ours-cache-off "$bench_bin/LLMDevOpsMetricsBenchServer" --cache off --series 10000
    http_run swift-prometheus "$bench_bin/SwiftPrometheusServer" --series 10000
fi

# --- 4. sidecar events per second --------------------------------------------------------------
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

# --- table ---
python3 - "$work" "$sidecar_rates" <<'PY'
import glob, json, os, re, statistics, sys, subprocess, platform
work, rates = sys.argv[1], sys.argv[2].split()
failed = []

# package-benchmark markdown: one "### <workload> / <contender>" section per benchmark, a row per
# metric with the percentiles p0 p25 p50 ...; we read p50.
def p50(section, label):
    row = re.search(r"^\| " + re.escape(label) + r"(?: \(([^)]+)\))? \*?\s*\|\s*\S+\s*\|\s*\S+\s*\|\s*(\S+)", section, re.M)
    if not row:
        return None
    return row.group(1), float(row.group(2).replace(",", ""))

def read_results(path):
    found = {}  # workload -> contender -> {"ns", "mallocs", "ratio", ...}
    for section in re.split(r"^### ", open(path).read(), flags=re.M)[1:]:
        title = section.splitlines()[0].strip()
        if " / " not in title:
            continue
        workload, contender = title.rsplit(" / ", 1)
        wall = p50(section, "Time (wall clock)")
        if not wall:
            continue
        mallocs = p50(section, "Malloc (total)")
        ratio = p50(section, "gzip ratio x100")
        rate = p50(section, "events/s")
        rendered = p50(section, "rendered bytes")
        found.setdefault(workload, {})[contender] = {
            "ns": wall[1] * {"ns": 1, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}[wall[0]],
            "mallocs": mallocs[1] * {None: 1, "K": 1e3, "M": 1e6}.get(mallocs[0], 1) if mallocs else None,
            "ratio": ratio[1] / 100 if ratio else None,
            "events_per_second": rate[1] * {None: 1, "K": 1e3, "M": 1e6}.get(rate[0], 1) if rate else None,
            "bytes": rendered[1] * {None: 1, "K": 1e3, "M": 1e6}.get(rendered[0], 1) if rendered else None,
        }
    return found

results = read_results(os.path.join(work, "benchmarks.md"))
# W6 rounds: the median p50 of each contender over the rounds, and each round's ratio.
w6_rounds = {}  # workload -> contender -> [result per round]
for path in sorted(glob.glob(os.path.join(work, "w6-*.md"))):
    for workload, contenders in read_results(path).items():
        for contender, result in contenders.items():
            w6_rounds.setdefault(workload, {}).setdefault(contender, []).append((path, result))
w6_notes = {}
for workload, contenders in w6_rounds.items():
    for contender, runs in contenders.items():
        middle = statistics.median(result["ns"] for _, result in runs)
        chosen = min(runs, key=lambda run: abs(run[1]["ns"] - middle))[1]
        results.setdefault(workload, {})[contender] = dict(chosen, ns=middle, runs=[r["ns"] for _, r in runs])
    ours, theirs = contenders.get("ours", []), contenders.get("swift-prometheus", [])
    by_round = lambda runs: {re.search(r"w6-(\d+)-", p).group(1): r["ns"] for p, r in runs}
    ours_by, theirs_by = by_round(ours), by_round(theirs)
    w6_notes[workload] = [ours_by[k] / theirs_by[k] for k in sorted(ours_by) if k in theirs_by]

def human(ns):
    for unit, size in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= size:
            return f"{ns / size:.3g} {unit}"
    return f"{ns:.3g} ns"

def cell(workload, result):
    if result is None:
        return "–"
    out = human(result["ns"])
    created = re.search(r"create (\d+) series", workload)
    if created:
        out += f" ({result['ns'] / 1e3 / int(created.group(1)):.3g} µs/series)"
    if result.get("runs") and len(result["runs"]) > 1:
        out += f" (median of {len(result['runs'])} processes: {', '.join(human(ns) for ns in result['runs'])})"
    if result.get("bytes"):
        out += f", {result['bytes'] / 1e6:.3g} MB"
    if result.get("events_per_second"):
        out += f" per 200,000 events ({result['events_per_second']:,.0f} events/s, none dropped)"
    return out

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
memory = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0) / 2**20
load = open("/proc/loadavg").read().split()[:3]
print(f"machine: {cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; {swift}; load average {' '.join(load)} at the end")
print()
print("| workload | ours (p50) | swift-prometheus (p50) | ratio ours/theirs | mallocs ours / theirs |")
print("|---|---|---|---|---|")
fmt_mallocs = lambda r: "–" if r is None or r["mallocs"] is None else f"{r['mallocs']:.0f}"
for workload, contenders in sorted(results.items(), key=lambda item: (not item[0].startswith("W"), item[0])):
    ours, theirs = contenders.get("ours"), contenders.get("swift-prometheus")
    ratio = f"{ours['ns'] / theirs['ns']:.2f}" if ours and theirs else "–"
    if w6_notes.get(workload):
        ratio += f" (rounds {', '.join(f'{r:.2f}' for r in w6_notes[workload])})"
    theirs_cell = cell(workload, theirs)
    if theirs is None and workload.startswith("W7b") and "100000" in workload:
        theirs_cell = "not run: quadratic (10000 series take ≈1.2 s per iteration)"
    print(f"| {workload} | {cell(workload, ours)} | {theirs_cell} | {ratio} | {fmt_mallocs(ours)} / {fmt_mallocs(theirs)} |")
    if ours and theirs and ours["ratio"] is not None and theirs["ratio"] is not None:
        print(f"| {workload}: compression ratio (plain / gzip) | {ours['ratio']:.1f}x | {theirs['ratio']:.1f}x | {ours['ratio'] / theirs['ratio']:.2f} | – |")

# Ours against ours: protobuf against text render of the same registry (W6p / W6), native
# against classic histogram observe (W4n / W4). swift-prometheus has neither.
def ours(workload):
    return results.get(workload, {}).get("ours")
for series in (1000, 10000, 100000):
    text, proto = ours(f"W6 render text, {series} series"), ours(f"W6p render protobuf, {series} series")
    if text and proto:
        print(f"| W6p vs W6: protobuf render vs our text render, {series} series | {cell('', proto)} | "
              f"text: {cell('', text)} | {proto['ns'] / text['ns']:.2f} | {fmt_mallocs(proto)} / {fmt_mallocs(text)} |")
classic, native = ours("W4 histogram observe"), ours("W4n native histogram observe")
if classic and native:
    print(f"| W4n vs W4: native + classic observe vs our classic observe | {cell('', native)} | "
          f"classic: {cell('', classic)} | {native['ns'] / classic['ns']:.2f} | {fmt_mallocs(native)} / {fmt_mallocs(classic)} |")

# W7: MemoryProbe JSON, 3 fresh processes per contender.
memory_runs = {}
for path in sorted(glob.glob(os.path.join(work, "memory-*.json"))):
    probe = json.load(open(path))
    memory_runs.setdefault(probe["contender"], []).append(probe["bytes_per_series"])
if memory_runs:
    med = {c: statistics.median(v) for c, v in memory_runs.items()}
    runs = lambda c: ", ".join(f"{v:.0f}" for v in memory_runs.get(c, []))
    ours, theirs = med.get("ours"), med.get("swift-prometheus")
    ratio = f"{ours / theirs:.2f}" if ours and theirs else "–"
    print(f"| W7 resident bytes per counter series, 100000 series (median of 3 fresh processes) | "
          f"{ours:.0f} B (runs {runs('ours')}) | {theirs:.0f} B (runs {runs('swift-prometheus')}) | {ratio} | – |")

# HTTP: wrk --latency output.
def wrk(name):
    path = os.path.join(work, f"wrk-{name}.txt")
    if not os.path.exists(path):
        return None
    out = open(path).read()
    def ms(value):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit]
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "errors": [],
    }
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        result["errors"].append(f"{non2xx.group(1)} non-2xx responses")
    sockets = re.search(r"Socket errors: (.*)", out)
    if sockets:
        result["errors"].append(f"socket errors: {sockets.group(1)}")
    if result["errors"]:
        failed.append(f"HTTP {name}: " + "; ".join(result["errors"]))
    return result
def http_cell(r):
    text = f"{r['rps']:,.0f} req/s, p50 {r['p50']:.3g} ms, p99 {r['p99']:.3g} ms"
    return text + (" FAILED: " + "; ".join(r["errors"]) if r["errors"] else "")
servers = {name: wrk(name) for name in ("ours-cache-on", "ours-cache-off", "swift-prometheus")}
theirs = servers["swift-prometheus"]
for name, label in (("ours-cache-on", "cache on"), ("ours-cache-off", "cache off")):
    ours = servers[name]
    if ours and theirs:
        print(f"| HTTP GET /metrics gzip, 10000 series, wrk -t2 -c16: ours {label} vs swift-prometheus + Hummingbird (gzip per request) | "
              f"{http_cell(ours)} | {http_cell(theirs)} | {ours['rps'] / theirs['rps']:.2f} (req/s) | – |")

if rates:
    values = sorted(int(r) for r in rates)
    print(f"| sidecar events/s through the Unix socket (3 runs) | {statistics.median(values):,} (runs {', '.join(f'{v:,}' for v in values)}) | – | – | – |")
for failure in failed:
    print(f"\nFAILED: {failure}")
sys.exit(1 if failed else 0)
PY
