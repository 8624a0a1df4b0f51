#!/usr/bin/env bash
# Compares two builds of llmdevops-sidecar-load (for example the thread emitter of commit
# dcd84b1 and the SwiftNIO emitter of this tree) on this machine: alternating runs, each
# sending EVENTS events of the seeded synthetic workload to a Unix socket, and prints per build
# the medians of events per second, CPU time per event (getrusage of the load process), drops,
# and with --record-latency the caller's record() latency percentiles.
#
#   Scripts/sidecar-emitter-compare.sh BEFORE AFTER [PAIRS] [EVENTS]
#
# BEFORE and AFTER are llmdevops-sidecar-load executables built with
# `swift build -c release --product llmdevops-sidecar-load`. The receiver is a discard sink in
# Python (reads and counts lines; it measures the emitter, not the service); with
# SIDECAR_SERVICE=path/to/llmdevops-metrics the receiver is the service's sidecar listener
# instead. Each pair runs both builds twice (plain, then --record-latency), in an order that
# alternates from pair to pair. Raw JSON lines go to stderr. Exit status non-zero when a run
# fails or a receiver does not start.
set -euo pipefail
before=$1
after=$2
pairs=${3:-5}
events=${4:-1000000}
work=$(mktemp -d /tmp/sidecar-emitter-compare.XXXXXX)
receiver=
cleanup() {
    if [[ -n $receiver ]]; then kill "$receiver" 2>/dev/null || true; wait "$receiver" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A discard sink: accepts one connection, reads until end of file, prints lines and bytes.
cat >"$work/sink.py" <<'PY'
import os, socket, sys
path = sys.argv[1]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path); server.listen(8)
buffer = bytearray(1 << 20)
conn, _ = server.accept()
lines = size = 0
while True:
    n = conn.recv_into(buffer)
    if n == 0: break
    lines += buffer.count(b"\n", 0, n); size += n
conn.close()
print(f"lines={lines} bytes={size}", flush=True)
PY

# Starts a receiver on $work/s.sock; sets $receiver to its PID.
start_receiver() {
    rm -f "$work/s.sock" "$work/receiver.log"
    if [[ -n ${SIDECAR_SERVICE:-} ]]; then
        cat >"$work/c.yaml" <<YAML
prometheus_metrics:
  endpoint: { host: "127.0.0.1", port: 0, path: "/metrics" }
  sidecar: { enabled: true, socket_path: "$work/s.sock" }
YAML
        "$SIDECAR_SERVICE" --config "$work/c.yaml" --demo-events 0 >"$work/receiver.log" 2>&1 &
    else
        python3 "$work/sink.py" "$work/s.sock" >"$work/receiver.log" 2>&1 &
    fi
    receiver=$!
    for _ in $(seq 1 300); do
        [[ -S $work/s.sock ]] && return 0
        kill -0 "$receiver" 2>/dev/null || break
        sleep 0.1
    done
    echo "receiver did not start: $(cat "$work/receiver.log")" >&2
    return 1
}

stop_receiver() {
    if [[ -z ${SIDECAR_SERVICE:-} ]]; then wait "$receiver" || true; else kill "$receiver"; wait "$receiver" || true; fi
    receiver=
}

: >"$work/results.jsonl"
for pair in $(seq 1 "$pairs"); do
    if ((pair % 2)); then order="before after"; else order="after before"; fi
    for latency in "" --record-latency; do
        for build in $order; do
            if [[ $build == before ]]; then binary=$before; else binary=$after; fi
            start_receiver
            json=$("$binary" --socket "$work/s.sock" --events "$events" --buffer $((events * 2)) $latency)
            stop_receiver
            load=$(cut -d' ' -f1 /proc/loadavg)
            line="{\"build\":\"$build\",\"latency\":\"${latency:+yes}\",\"pair\":$pair,"
            line+="\"loadavg\":\"$load\",\"result\":$json}"
            echo "$line" >&2
            echo "$line" >>"$work/results.jsonl"
        done
    done
done

python3 - "$work/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def median(values): return statistics.median(values) if values else float("nan")
for latency in ["", "yes"]:
    print("with --record-latency" if latency else "plain runs")
    for build in ["before", "after"]:
        runs = [r["result"] for r in rows if r["build"] == build and r["latency"] == latency]
        line = (f"  {build:6} runs={len(runs)} events/s={median([r['events_per_second'] for r in runs]):,.0f}"
                f" cpu_ns/event={median([r['cpu_ns_per_event'] for r in runs]):,.0f}"
                f" dropped={sum(r['dropped'] for r in runs)}")
        if latency:
            for key in ["record_ns_p50", "record_ns_p99", "record_ns_p999"]:
                line += f" {key}={median([r[key] for r in runs]):,.0f}"
        print(line)
print("loadavg (1 min) during the runs:", ", ".join(r["loadavg"] for r in rows))
PY
