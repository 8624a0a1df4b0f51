#!/usr/bin/env bash
# Runs DocC "Scaling Out" for real, on loopback, and checks it end to end:
#   - three llmdevops-metrics replicas (HTTPS, bearer token; Config/llmdevops-metrics.yaml plus
#     environment overrides), each emitting an exact seeded workload (--demo-events N
#     --demo-rate R --demo-seed S, a different seed each);
#   - two Prometheus shards splitting the replicas with hashmod relabelling and evaluating the
#     shipped rules (Config/prometheus/scale-out/shard-{0,1}.yml, Config/prometheus/rules);
#   - a global Prometheus federating the llmdevops:* series from both (global.yml);
#   - a Prometheus in agent mode scraping every replica and remote-writing (agent.yml) to a
#     Prometheus started with --web.enable-remote-write-receiver that evaluates the rules as a
#     store's ruler would (receiver.yml).
# The configurations are the committed files under Config/prometheus/scale-out/, laid out as
# /etc/prometheus would be (rules/, secrets/), with only the example addresses replaced by
# loopback ports and the 15 s intervals by 1 s (so the 5 m rule windows fill in seconds).
#
# It prints PASS/FAIL lines and, last, "N passed, M failed"; exit status 0 only when nothing
# failed. The exact totals are known independently of Prometheus: `--render-once` with the same
# seed, and each replica's own /metrics after its workload, which must agree (both parsed by
# prometheus_client; the checks are in Scripts/scale-out-checks.py).
#
# With --native-histograms every Prometheus runs with --enable-feature=native-histograms (the
# agent with agent,native-histograms): the shards and the agent scrape the replicas over
# protobuf and store the latency histograms as native histograms, the agent forwards them
# (agent.yml sets send_native_histograms), and the global Prometheus federates the rules'
# native histograms over protobuf. The same checks must pass: exact totals, every dashboard
# query answering on the global Prometheus or the receiver.
#
# Usage:  Scripts/scale-out.sh [--bin PATH] [--events N] [--rate R] [--native-histograms] [--keep]
#   --bin PATH   the llmdevops-metrics executable (or LLMDEVOPS_BIN=PATH); default: builds and
#                uses .build/release/llmdevops-metrics (swift build -c release --product ...)
#   --events N   events per replica (default 3000)   --rate R  events/s per replica (default 300)
#   --native-histograms   every Prometheus with --enable-feature=native-histograms
#   --keep       keep the work directory (configs, logs, TSDBs) and print its path
# Needs: prometheus (Debian 2.42: agent mode, remote-write receiver), python3 with
# prometheus_client, openssl. Every process binds 127.0.0.1, is stopped by PID at the end (also
# on failure or interrupt), and every wait is on a condition with a deadline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

log() { printf '[scale-out] %s\n' "$*"; }

binary=${LLMDEVOPS_BIN:-}
events=3000
rate=300
keep=false
native=()
while (($# > 0)); do
    case "$1" in
        --bin) binary=${2:?--bin needs a path}; shift 2 ;;
        --events) events=${2:?--events needs a number}; shift 2 ;;
        --rate) rate=${2:?--rate needs a number}; shift 2 ;;
        --keep) keep=true; shift ;;
        --native-histograms) native=(--enable-feature=native-histograms); shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "scale-out.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
if ! [[ "$events" =~ ^[1-9][0-9]*$ && "$rate" =~ ^[0-9]+([.][0-9]+)?$ ]] || ! awk "BEGIN { exit !($rate > 0) }"; then
    echo "scale-out.sh: --events and --rate need positive numbers" >&2
    exit 2
fi

# Settings for the replicas come from this script only.
while IFS= read -r variable; do unset "$variable"; done < <(compgen -e | grep '^PROMETHEUS_METRICS_' || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/llmdevops-scale-out.XXXXXX")
results=$work/results
: >"$results"
export SCALE_OUT_RESULTS=$results
checks=(python3 "$root/Scripts/scale-out-checks.py")

pass() { printf 'PASS %s\n' "$*" | tee -a "$results"; }
fail() { printf 'FAIL %s\n' "$*" | tee -a "$results"; }

pids=()
names=()
check_pid=""
# stop PID: SIGTERM, then SIGKILL after 15 s; sets $stopped_status to its exit status.
stop() {
    local pid=$1
    stopped_status=0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
        [[ "$(state "$pid")" == running ]] || break
        sleep 0.1
    done
    [[ "$(state "$pid")" == running ]] && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || stopped_status=$?
}
# state PID: "running", or "exited" once it is gone or a zombie waiting for us.
state() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo exited; return; }
    stat=${stat##*) }
    if [[ "${stat:0:1}" == Z ]]; then echo exited; else echo running; fi
}
finish() {
    local status=$? index pid name
    trap - EXIT INT TERM
    if [[ -n "$check_pid" ]]; then stop "$check_pid"; fi
    # Replicas first (each must shut down gracefully: exit 0), then the Prometheus servers.
    for index in "${!pids[@]}"; do
        pid=${pids[$index]}
        name=${names[$index]}
        [[ "$name" == replica-* ]] || continue
        stop "$pid"
        if ((stopped_status == 0)); then
            pass "$name (pid $pid) exited 0 after SIGTERM"
        else
            fail "$name (pid $pid) exited $stopped_status after SIGTERM"
        fi
    done
    # In the reverse order of their start: the agent before the receiver it writes to, the
    # global Prometheus before the shards it federates.
    for ((index = ${#pids[@]} - 1; index >= 0; index--)); do
        [[ "${names[$index]}" == replica-* ]] && continue
        stop "${pids[$index]}"
    done
    ((status == 0)) || fail "scale-out.sh stopped early (status $status)"
    local passed failed
    passed=$(grep -c '^PASS ' "$results" || true)
    failed=$(grep -c '^FAIL ' "$results" || true)
    if $keep; then log "work directory kept: $work"; else rm -rf "$work"; fi
    echo "$passed passed, $failed failed"
    if ((failed > 0 || passed == 0)); then exit 1; fi
    exit 0
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools and the binary -------------------------------------------------------------------
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=("prometheus (Debian package prometheus)")
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
python3 -c 'import prometheus_client' >/dev/null 2>&1 || missing+=("python3 with prometheus_client")
if ((${#missing[@]} > 0)); then
    fail "missing tools: ${missing[*]} (Scripts/test.sh installs them)"
    exit 1
fi
log "$(prometheus --version 2>&1 | head -n 1)$( ((${#native[@]} > 0)) && echo ", native histograms on")"
if [[ -z "$binary" ]]; then
    log "swift build -c release --product llmdevops-metrics"
    if ! swift build -c release --product llmdevops-metrics >"$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        fail "swift build -c release --product llmdevops-metrics failed"
        exit 1
    fi
    binary=$root/.build/release/llmdevops-metrics
fi
[[ -x "$binary" ]] || { fail "no executable at $binary"; exit 1; }
log "binary: $binary"

# --- ports, secrets, configurations -----------------------------------------------------------
# The replicas' ports are drawn so that hashmod gives each shard at least one replica.
ports=$("${checks[@]}" ports 3 5 2) || { fail "no free loopback ports"; exit 1; }
read -r replica_port_1 replica_port_2 replica_port_3 shard_port_0 shard_port_1 global_port agent_port receiver_port \
    <<<"$ports"
replica_ports=("$replica_port_1" "$replica_port_2" "$replica_port_3")
seeds=(101 202 303)

etc=$work/etc
mkdir -p "$etc/secrets"
cp -R Config/prometheus/rules "$etc/rules"
# A CA (what Prometheus trusts, secrets/llmdevops-ca.crt) and the replicas' certificate for 127.0.0.1.
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -days 1 -subj "/CN=llmdevops scale-out CA" \
    -keyout "$work/ca-key.pem" -out "$etc/secrets/llmdevops-ca.crt" >"$work/openssl.log" 2>&1
openssl req "${ec[@]}" -subj "/CN=127.0.0.1" -keyout "$work/server-key.pem" -out "$work/server.csr" \
    >>"$work/openssl.log" 2>&1
printf 'subjectAltName=IP:127.0.0.1\n' >"$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$etc/secrets/llmdevops-ca.crt" -CAkey "$work/ca-key.pem" \
    -CAcreateserial -days 1 -extfile "$work/server.ext" -out "$work/server.pem" >>"$work/openssl.log" 2>&1
token=$(openssl rand -hex 24)
printf '%s\n' "$token" >"$etc/secrets/llmdevops-scrape-token"
digest=$(printf %s "$token" | sha256sum | cut -d' ' -f1)

log "rendering Config/prometheus/scale-out/*.yml into $etc (addresses and intervals only)"
intervals=("scrape_interval: 15s=scrape_interval: 1s" "scrape_timeout: 5s=scrape_timeout: 1s"
    "evaluation_interval: 15s=evaluation_interval: 1s")
replicas=()
for i in 1 2 3; do replicas+=("llmdevops-$i.example.internal:9090=127.0.0.1:${replica_ports[$((i - 1))]}"); done
source_dir=Config/prometheus/scale-out
rendered=true
for shard in 0 1; do
    "${checks[@]}" render "$source_dir/shard-$shard.yml" "$etc/shard-$shard.yml" "${replicas[@]}" "${intervals[@]}" \
        || rendered=false
done
"${checks[@]}" render "$source_dir/global.yml" "$etc/global.yml" "${intervals[@]}" \
    "prometheus-shard-0.example.internal:9090=127.0.0.1:$shard_port_0" \
    "prometheus-shard-1.example.internal:9090=127.0.0.1:$shard_port_1" || rendered=false
"${checks[@]}" render "$source_dir/agent.yml" "$etc/agent.yml" "${replicas[@]}" "${intervals[@]:0:2}" \
    "https://mimir.example.internal/api/v1/push=http://127.0.0.1:$receiver_port/api/v1/write" || rendered=false
"${checks[@]}" render "$source_dir/receiver.yml" "$etc/receiver.yml" "${intervals[@]:2:1}" || rendered=false
if $rendered; then pass "the 5 configurations rendered from $source_dir"; else fail "rendering $source_dir"; exit 1; fi

# --- expected totals, independently of Prometheus --------------------------------------------
for i in 0 1 2; do
    if ! timeout 120 "$binary" --config Config/llmdevops-metrics.yaml --demo-events "$events" \
        --demo-seed "${seeds[$i]}" --render-once >"$work/render-once-$i.txt" 2>"$work/render-once-$i.log"; then
        cat "$work/render-once-$i.log" >&2
        fail "--render-once with seed ${seeds[$i]}"
        exit 1
    fi
done

# --- Prometheus servers -----------------------------------------------------------------------
# start NAME COMMAND...: runs in the background with its output in $work/NAME.log, with no
# signal blocked and SIGTERM should this script die without stopping it (scale-out-checks.py exec).
start() {
    local name=$1 shell=$BASHPID
    shift
    "${checks[@]}" exec "$shell" "$@" >"$work/$name.log" 2>&1 &
    pids+=("$!")
    names+=("$name")
}
prometheus_server() {
    local name=$1 port=$2
    shift 2
    start "$name" prometheus --config.file="$etc/$name.yml" --web.listen-address="127.0.0.1:$port" "$@"
}
prometheus_server receiver "$receiver_port" --storage.tsdb.path="$work/data-receiver" \
    --web.enable-remote-write-receiver "${native[@]}"
prometheus_server shard-0 "$shard_port_0" --storage.tsdb.path="$work/data-shard-0" "${native[@]}"
prometheus_server shard-1 "$shard_port_1" --storage.tsdb.path="$work/data-shard-1" "${native[@]}"
prometheus_server global "$global_port" --storage.tsdb.path="$work/data-global" "${native[@]}"
# The flush deadline bounds the agent's shutdown should the receiver be gone already (default 1 m).
agent_features=agent
((${#native[@]} > 0)) && agent_features=agent,native-histograms
prometheus_server agent "$agent_port" --enable-feature="$agent_features" --storage.agent.path="$work/data-agent" \
    --storage.remote.flush-deadline=5s
if ! "${checks[@]}" wait-ready "receiver=http://127.0.0.1:$receiver_port" "shard-0=http://127.0.0.1:$shard_port_0" \
    "shard-1=http://127.0.0.1:$shard_port_1" "global=http://127.0.0.1:$global_port" \
    "agent=http://127.0.0.1:$agent_port"; then
    tail -n 5 "$work"/{receiver,shard-0,shard-1,global,agent}.log >&2
    exit 1
fi

# --- replicas ---------------------------------------------------------------------------------
for i in 0 1 2; do
    start "replica-$((i + 1))" env \
        PROMETHEUS_METRICS_ENDPOINT_PORT="${replica_ports[$i]}" \
        PROMETHEUS_METRICS_AUTH_ENABLED=true \
        PROMETHEUS_METRICS_AUTH_TOKENS_PROMETHEUS_SHA256="$digest" \
        PROMETHEUS_METRICS_TLS_ENABLED=true \
        PROMETHEUS_METRICS_TLS_CERT_FILE="$work/server.pem" \
        PROMETHEUS_METRICS_TLS_KEY_FILE="$work/server-key.pem" \
        "$binary" --config Config/llmdevops-metrics.yaml \
        --demo-events "$events" --demo-rate "$rate" --demo-seed "${seeds[$i]}"
done
replica_json=$(for i in 0 1 2; do
    printf '{"port": %s, "seed": %s, "pid": %s, "log": "%s", "render_once": "%s"}\n' "${replica_ports[$i]}" \
        "${seeds[$i]}" "${pids[$((5 + i))]}" "$work/replica-$((i + 1)).log" "$work/render-once-$i.txt"
done | paste -sd, -)
# How long the replicas may serve a rendered body (prometheus_metrics.cache.ttl_ms).
cache_ttl_ms=$(grep -oE '^ +ttl_ms: *[0-9]+' Config/llmdevops-metrics.yaml | grep -oE '[0-9]+$' || true)
[[ -n "$cache_ttl_ms" ]] || { fail "no cache.ttl_ms in Config/llmdevops-metrics.yaml"; exit 1; }
cache_ttl_seconds=$((cache_ttl_ms / 1000)).$(printf '%03d' $((cache_ttl_ms % 1000)))
cat >"$work/spec.json" <<JSON
{
  "events": $events, "rate": $rate, "deadline_seconds": 60, "cache_ttl_seconds": $cache_ttl_seconds,
  "native_histograms": $( ((${#native[@]} > 0)) && echo true || echo false ),
  "replicas": [$replica_json],
  "shards": ["http://127.0.0.1:$shard_port_0", "http://127.0.0.1:$shard_port_1"],
  "global": "http://127.0.0.1:$global_port", "global_log": "$work/global.log",
  "agent": "http://127.0.0.1:$agent_port", "receiver": "http://127.0.0.1:$receiver_port",
  "ca_file": "$etc/secrets/llmdevops-ca.crt", "token": "$token",
  "dashboard": "$root/Config/grafana/llmdevops-dashboard.json",
  "recording_rules": "$root/Config/prometheus/rules/llmdevops-recording.rules.yml"
}
JSON
# In the background, so that an interrupt reaches the trap at once rather than after the checks.
shell=$BASHPID
"${checks[@]}" exec "$shell" "${checks[@]}" check "$work/spec.json" &
check_pid=$!
wait "$check_pid" || true
check_pid=""
