#!/usr/bin/env python3
"""The checks of Scripts/scale-out.sh, which starts the processes and calls this file.

Subcommands:
  ports N_REPLICAS N_OTHERS MODULUS   free loopback ports; the replicas' addresses hash (Prometheus'
                                      hashmod) to every shard, so that each shard gets a share
  render SRC DST OLD=NEW...           copies a committed config, replacing exactly the given texts
                                      (each must occur), and reports what it replaced
  exec PARENT_PID COMMAND...          execs COMMAND with no signal blocked or ignored and SIGTERM
                                      as its parent-death signal (see command_exec)
  wait-ready NAME=URL...              waits (bounded) until every Prometheus answers /-/ready
  check SPEC.json                     everything after the replicas started (see run_checks)

Every PASS/FAIL line goes to stdout and to the file named by $SCALE_OUT_RESULTS; the shell
script counts them. Expected totals come from two sources independent of Prometheus:
`llmdevops-metrics --render-once` with the same seed (OpenMetrics, parsed by prometheus_client's
OpenMetrics parser) and each replica's own /metrics after its workload (text format, parsed by
prometheus_client's text parser). Every wait is on a condition with a deadline.
"""

import ctypes
import hashlib
import json
import math
import os
import re
import signal
import socket
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text

JOB = "llmdevops-replicas"
COUNTERS = ("llmdevops_llm_requests_total", "llmdevops_agent_executions_total")
POLL_SECONDS = 0.25

# Families the seeded demo never populates (no sample in any replica's exposition), and why.
# A dashboard query without data on either Prometheus is accepted only when every family it
# reads is listed here AND absent from all three replicas' /metrics; a listed family that does
# have samples fails the run, so the list cannot go stale.
# The latency histograms with native buckets (CollectorsConfiguration.nativeHistograms): with
# native histograms on, Prometheus stores them under these bare names instead of _bucket etc.
NATIVE_FAMILIES = {
    "llmdevops_llm_request_duration_seconds", "llmdevops_llm_time_to_first_token_seconds",
    "llmdevops_llm_time_per_output_token_seconds", "llmdevops_agent_tool_call_duration_seconds",
    "llmdevops_agent_execution_duration_seconds",
}



def classic_native_form(names):
    """Whether `names` are all classic bucket series of the NATIVE_FAMILIES."""
    return bool(names) and all(n.endswith("_bucket") and n[:-len("_bucket")] in NATIVE_FAMILIES for n in names)


UNPOPULATED = {
    "llmdevops_exporter_auth_failures_total": "every scrape presents the valid token",
    "llmdevops_registry_series_rejected_total": "the workload's 20 models, 50 agents and 30 tools fit the series caps",
    "llmdevops_registry_invalid_updates_total": "the workload records no negative or non-finite values",
    "llmdevops_collector_label_overflow_total": "every model, agent and tool is on the allow-lists",
    "llmdevops_registry_collector_success":
        "the service registers no pull collector (process and runtime are samplers)",
    "llmdevops_registry_collector_errors_total":
        "the service registers no pull collector (process and runtime are samplers)",
}

# Families read from glibc's mallinfo2(). The service leaves them out where another allocator
# replaces glibc's (CollectorsGuide), as AddressSanitizer's does: under Scripts/sanitize.sh
# address (LLMDEVOPS_SANITIZER=address, inherited through the tests) their panels must be
# empty, and are checked to be.
MALLINFO_FAMILIES = {
    "process_heap_bytes", "swift_malloc_in_use_bytes", "swift_malloc_free_bytes", "swift_malloc_arena_bytes",
    "swift_malloc_mmap_bytes", "swift_malloc_mmap_regions", "swift_malloc_releasable_bytes",
}
ALLOCATOR_REPLACED = os.environ.get("LLMDEVOPS_SANITIZER") == "address"


class Stop(Exception):
    """A condition that can no longer become true (a replica exited): stop waiting."""


# --- output ------------------------------------------------------------------------------------

def record(ok, message):
    line = ("PASS " if ok else "FAIL ") + message
    print(line, flush=True)
    results = os.environ.get("SCALE_OUT_RESULTS")
    if results:
        with open(results, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return ok


def note(message):
    print("     " + message, flush=True)


# --- ports and templating ----------------------------------------------------------------------

def hashmod(value, modulus):
    """Prometheus' hashmod relabel action: the low 8 bytes of the MD5 digest, big-endian, mod m."""
    return int.from_bytes(hashlib.md5(value.encode()).digest()[8:], "big") % modulus


def free_ports(count, held):
    sockets = []
    try:
        while len(sockets) < count:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            if s.getsockname()[1] in held:
                s.close()
                continue
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def command_ports(replicas, others, modulus):
    # Bounded: a draw misses a shard with probability modulus * ((m-1)/m)^replicas.
    for _ in range(50):
        ports = free_ports(replicas + others, set())
        shards = {hashmod(f"127.0.0.1:{port}", modulus) for port in ports[:replicas]}
        if len(shards) == modulus:
            print(" ".join(str(p) for p in ports))
            return 0
    print("no draw of free ports split the replicas over every shard", file=sys.stderr)
    return 1


def command_render(source, destination, substitutions):
    with open(source, encoding="utf-8") as handle:
        text = handle.read()
    replaced = []
    for substitution in substitutions:
        old, new = substitution.split("=", 1)
        count = text.count(old)
        if count == 0:
            return record(False, f"render {os.path.basename(source)}: '{old}' not found (the committed file changed?)")
        text = text.replace(old, new)
        replaced.append(f"{old} x{count}")
    with open(destination, "w", encoding="utf-8") as handle:
        handle.write(text)
    note(f"{os.path.basename(source)}: replaced {', '.join(replaced)}")
    return True


def command_exec(parent, arguments):
    """Becomes one of the script's children (a replica or a Prometheus server), so that it can be
    stopped by its PID: unblocks every signal and restores the default SIGINT, SIGTERM and SIGQUIT
    handling (a test runner may start the script with SIGTERM blocked, and background jobs of a
    non-interactive shell ignore SIGINT; both survive exec), and asks the kernel for SIGTERM if the
    script dies without stopping it (killed by SIGKILL, say)."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
        signal.signal(number, signal.SIG_DFL)
    pr_set_pdeathsig = 1
    if ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0) != 0:
        print(f"prctl(PR_SET_PDEATHSIG) failed: errno {ctypes.get_errno()}", file=sys.stderr)
        return 1
    if os.getppid() != parent:  # the script died before the request took effect
        return 1
    os.execvp(arguments[0], arguments)


# --- HTTP --------------------------------------------------------------------------------------

def fetch(url, headers=None, context=None, timeout=5):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
        return response.status, response.read().decode("utf-8")


class Prometheus:
    def __init__(self, name, url):
        self.name = name
        self.url = url.rstrip("/")

    def api(self, path, params):
        query = urllib.parse.urlencode(params, doseq=True)
        _, body = fetch(f"{self.url}/api/v1/{path}?{query}", timeout=10)
        payload = json.loads(body)
        if payload.get("status") != "success":
            raise RuntimeError(f"{self.name}: {payload}")
        return payload["data"]

    def query(self, promql, at=None):
        params = {"query": promql}
        if at is not None:
            params["time"] = f"{at:.3f}"
        data = self.api("query", params)
        if data["resultType"] == "scalar":
            return [({}, float(data["result"][1]))]
        # A native histogram counts as its number of observations (finite: data).
        return [(item["metric"], float(item["value"][1]) if "value" in item else float(item["histogram"][1]["count"]))
                for item in data["result"]]

    def scalar(self, promql, at=None):
        """The single value of `promql`, or None when the result is empty."""
        result = self.query(promql, at)
        return result[0][1] if len(result) == 1 else None

    def ready(self):
        try:
            status, _ = fetch(f"{self.url}/-/ready", timeout=2)
            return status == 200
        except (urllib.error.URLError, OSError):
            return False


def wait_until(deadline_seconds, condition):
    """Polls `condition` until it returns a truthy value or the deadline passes; returns the last value."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        try:
            value = condition()
        except (urllib.error.URLError, OSError, RuntimeError, ValueError):
            value = None
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(POLL_SECONDS)


def command_wait_ready(pairs, deadline_seconds=90):
    servers = [Prometheus(*pair.split("=", 1)) for pair in pairs]
    started = time.monotonic()
    ok = wait_until(deadline_seconds, lambda: all(server.ready() for server in servers))
    elapsed = time.monotonic() - started
    names = ", ".join(server.name for server in servers)
    return record(bool(ok), f"Prometheus ready ({names}) after {elapsed:.1f} s (deadline {deadline_seconds} s)")


# --- expositions -------------------------------------------------------------------------------

class Exposition:
    """Totals and sample names of one exposition, parsed with prometheus_client."""

    def __init__(self, text, openmetrics):
        families = parse_openmetrics(text) if openmetrics else parse_text(text)
        self.totals = {name: 0.0 for name in COUNTERS}
        self.sample_names = set()
        for family in families:
            for sample in family.samples:
                self.sample_names.add(sample.name)
                if sample.name in self.totals:
                    self.totals[sample.name] += sample.value

    def describe(self):
        return ", ".join(f"{name}={self.totals[name]:.0f}" for name in COUNTERS)


# --- the dashboard and the rules ---------------------------------------------------------------

GRAFANA_VARIABLES = [
    ("${__rate_interval}", "1m"), ("$__rate_interval", "1m"), ("$__interval", "30s"), ("$__range", "6h"),
    ("${instance}", ".*"), ("$instance", ".*"), ("${model}", ".*"), ("$model", ".*"),
    ("${agent}", ".*"), ("$agent", ".*"),
]
NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
PROMQL_WORDS = {
    "sum", "min", "max", "avg", "count", "topk", "bottomk", "by", "without", "on", "ignoring", "group_left",
    "group_right", "and", "or", "unless", "rate", "irate", "increase", "histogram_quantile", "time", "offset",
    "le", "bool", "label_values",
}


def expand(expression, job=".*"):
    """Grafana's substitution: the intervals, "All" (.*) for $instance, $model and $agent, and
    `job` (a regex) for $job."""
    for variable, value in GRAFANA_VARIABLES + [("${job}", job), ("$job", job)]:
        expression = expression.replace(variable, value)
    return expression


def regex_of(values):
    """A multi-value variable as Grafana writes it into a Prometheus query: (a|b), escaped."""
    escaped = [re.sub(r"([\\^$.|?*+()\[\]{}])", r"\\\\\1", value) for value in values]
    return "(" + "|".join(escaped) + ")"


def metric_names(expression):
    """Metric and recording-rule names an expression reads (label names and values stripped)."""
    stripped = re.sub(r"\{[^}]*\}", " ", re.sub(r'"[^"]*"', '""', expression))
    stripped = re.sub(r"\[[^\]]*\]", " ", stripped)
    stripped = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", " ", stripped)
    names = []
    for match in NAME.finditer(stripped):
        word = match.group(0)
        following = stripped[match.end():].lstrip()[:1]
        if word in PROMQL_WORDS or following == "(" or re.fullmatch(r"[0-9.]+", word):
            continue
        names.append(word)
    return names


class Query:
    """One target of a dashboard panel."""

    def __init__(self, title, ref, expression, legend):
        self.title, self.ref, self.expression, self.legend = title, ref, expression, legend

    def legends(self, result):
        """The legend Grafana draws for each series of `result` ({{label}} filled in), or None
        when the legend is automatic (every series then shows its own labels)."""
        if not self.legend or self.legend == "__auto":
            return None
        return [re.sub(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}", lambda m: labels.get(m.group(1), ""), self.legend)
                for labels, _ in result]


def dashboard_queries(path):
    with open(path, encoding="utf-8") as handle:
        dashboard = json.load(handle)

    def panels(items):
        for panel in items:
            yield panel
            yield from panels(panel.get("panels", []))

    queries = []
    for panel in panels(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            if target.get("expr"):
                queries.append(Query(panel.get("title", "?"), target.get("refId", "?"), target["expr"],
                                     target.get("legendFormat") or ""))
    variables = []
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") != "query":
            continue
        query = variable.get("query")
        text = query.get("query") if isinstance(query, dict) else query
        variables.append((variable["name"], text))
    return queries, variables


def recording_rules(path):
    """{record name: expression} read from a rule file (the subset of YAML our rule files use)."""
    rules = {}
    lines = open(path, encoding="utf-8").read().splitlines()
    index = 0
    while index < len(lines):
        match = re.match(r"\s*- record:\s*(\S+)", lines[index])
        index += 1
        if not match:
            continue
        name = match.group(1)
        expression = ""
        while index < len(lines) and not re.match(r"\s*- (record|alert):", lines[index]):
            inline = re.match(r"\s*expr:\s*(.*)$", lines[index])
            if inline:
                if inline.group(1).strip() in ("|", ">"):
                    indent = None
                    index += 1
                    block = []
                    while index < len(lines):
                        line = lines[index]
                        if line.strip() == "":
                            index += 1
                            continue
                        current = len(line) - len(line.lstrip())
                        if indent is None:
                            indent = current
                        if current < indent:
                            break
                        block.append(line.strip())
                        index += 1
                    expression = " ".join(block)
                    continue
                expression = inline.group(1)
            index += 1
        rules[name] = expression
    return rules


def raw_families(names, rules):
    """The raw series names behind `names`, following recording rules to their sources."""
    raw = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in rules:
            pending.extend(metric_names(rules[name]))
        else:
            raw.add(name)
    return raw


def has_data(result):
    return any(math.isfinite(value) for _, value in result)


# --- the checks --------------------------------------------------------------------------------

def run_checks(spec):
    global_server = Prometheus("global", spec["global"])
    receiver = Prometheus("receiver", spec["receiver"])
    shards = [Prometheus(f"shard-{index}", url) for index, url in enumerate(spec["shards"])]
    agent = Prometheus("agent", spec["agent"])
    replicas = spec["replicas"]
    addresses = [f"127.0.0.1:{replica['port']}" for replica in replicas]
    deadline = spec["deadline_seconds"]

    # 1. What each replica will have counted, from `--render-once` with the same seed.
    expected = []
    for replica in replicas:
        with open(replica["render_once"], encoding="utf-8") as handle:
            expected.append(Exposition(handle.read(), openmetrics=True))
    expected_totals = {name: sum(e.totals[name] for e in expected) for name in COUNTERS}

    # 2. The replicas apply their paced workloads; then their own /metrics must agree.
    def alive(pid):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
                return handle.read().rsplit(") ", 1)[1][:1] != "Z"
        except OSError:
            return False

    def applied():
        for replica in replicas:
            if not alive(replica["pid"]):
                raise Stop(f"replica on port {replica['port']} exited; see {replica['log']}")
            with open(replica["log"], encoding="utf-8", errors="replace") as handle:
                if "Demo workload applied" not in handle.read():
                    return False
        return True

    workload_seconds = spec["events"] / spec["rate"]
    started = time.monotonic()
    ok = wait_until(workload_seconds + deadline, applied)
    record(bool(ok), f"the 3 replicas applied their workloads ({spec['events']} events at {spec['rate']:g}/s each, "
                     f"seeds {', '.join(str(r['seed']) for r in replicas)}) after {time.monotonic() - started:.1f} s")
    if not ok:
        return
    workload_end = time.time()
    # The exporter serves a rendered body for up to cache.ttl_ms: only a request made after
    # workload_end + ttl is sure to see the final counters (a scrape a moment after the workload
    # may get a body rendered just before its last events). The expiry is the condition.
    fresh_after = workload_end + spec["cache_ttl_seconds"]
    wait_until(spec["cache_ttl_seconds"] + 1, lambda: time.time() >= fresh_after)

    context = ssl.create_default_context(cafile=spec["ca_file"])
    headers = {"Authorization": f"Bearer {spec['token']}", "Accept": "text/plain;version=0.0.4"}
    scraped = []
    for replica, address, want in zip(replicas, addresses, expected):
        _, body = fetch(f"https://{address}/metrics", headers=headers, context=context)
        got = Exposition(body, openmetrics=False)
        scraped.append(got)
        record(got.totals == want.totals,
               f"replica {address} (seed {replica['seed']}): /metrics {got.describe()}; "
               f"--render-once {want.describe()}")
    for name in COUNTERS:
        note(f"expected {name} = {' + '.join(f'{e.totals[name]:.0f}' for e in expected)} = {expected_totals[name]:.0f}")

    # 3. The hashmod split: each shard scrapes the replicas Prometheus' hashmod assigns it.
    def targets(server):
        """{instance: health} of the server's active (kept by relabelling) replica targets."""
        data = server.api("targets", {"state": "active"})
        return {t["labels"]["instance"]: t["health"] for t in data["activeTargets"] if t["labels"].get("job") == JOB}

    def scraping(server, expected):
        actual = targets(server)
        return set(actual) == expected and all(health == "up" for health in actual.values())

    shard_targets = []
    for index, shard in enumerate(shards):
        predicted = {a for a in addresses if hashmod(a, len(shards)) == index}
        found = wait_until(deadline, lambda: scraping(shard, predicted))
        actual = targets(shard)
        shard_targets.append(set(actual))
        record(bool(found), f"{shard.name} scrapes {sorted(actual)} ({', '.join(actual.values())}); "
                            f"hashmod predicts {sorted(predicted)}")
    union = set().union(*shard_targets)
    record(union == set(addresses) and sum(len(t) for t in shard_targets) == len(addresses) and all(shard_targets),
           f"the shards split the 3 replicas {' + '.join(str(len(t)) for t in shard_targets)}, disjoint and complete")
    found = wait_until(deadline, lambda: scraping(agent, set(addresses)))
    record(bool(found), f"the agent scrapes all 3 replicas: {sorted(targets(agent).items())}")

    # 4. Exact totals on the receiver (remote write) and over the shards, once every instance's
    # latest sample there comes from a scrape started after fresh_after (Prometheus stamps a
    # scrape's samples with the time it started).
    def fresh(server, instances):
        promql = f'count(min by (instance) (timestamp({COUNTERS[0]}{{job="{JOB}"}})) >= {fresh_after:.3f})'
        return server.scalar(promql) == len(instances)

    for server, instances in [(receiver, addresses)] + list(zip(shards, shard_targets)):
        ok = wait_until(deadline, lambda: fresh(server, instances))
        record(bool(ok), f"{server.name} holds samples of its {len(instances)} replicas scraped "
                         f"{spec['cache_ttl_seconds']:g} s (the exporter's cache TTL) or more after the workloads")

    for name in COUNTERS:
        got = receiver.scalar(f"sum({name})")
        record(got == expected_totals[name],
               f"receiver sum({name}) = {got if got is None else f'{got:.0f}'}, expected {expected_totals[name]:.0f}")
        per_instance = {m.get("instance"): v for m, v in receiver.query(f"sum by (instance) ({name})")}
        want = {a: e.totals[name] for a, e in zip(addresses, expected)}
        record(per_instance == want, f"receiver sum by (instance) ({name}) matches each replica")
        parts = [shard.scalar(f"sum({name})") for shard in shards]
        total = sum(p for p in parts if p is not None)
        record(None not in parts and total == expected_totals[name],
               f"shards sum({name}) = {' + '.join('none' if p is None else f'{p:.0f}' for p in parts)} "
               f"= {total:.0f}, expected {expected_totals[name]:.0f}")

    # 4b. With native histograms on, the latency histograms arrive as native histograms on the
    # shards and, through the agent's remote write, on the receiver; no classic buckets.
    if spec.get("native_histograms"):
        family = "llmdevops_llm_request_duration_seconds"
        for server in [receiver] + shards:
            data = server.api("query", {"query": f'{family}{{job="{JOB}"}}'})["result"]
            native = [item for item in data if "histogram" in item]
            buckets = server.query(f'{family}_bucket{{job="{JOB}"}}')
            record(bool(data) and len(native) == len(data) and not buckets,
                   f"{server.name} stores {family} as {len(native)} native histograms "
                   f"(of {len(data)} series) and {len(buckets)} classic bucket series")
        got = receiver.scalar(f'sum(histogram_count({family}{{job="{JOB}"}}))')
        want = receiver.scalar(f'sum(llmdevops_llm_requests_total{{job="{JOB}"}})')
        record(got is not None and got == want,
               f"receiver: the native histograms hold {got} requests, llmdevops_llm_requests_total says {want}")

    # 5. The global Prometheus: every llmdevops:* series the dashboard reads, job kept, instance
    # dropped, from both shards; the federated up series; no ingestion conflicts.
    queries, variables = dashboard_queries(spec["dashboard"])
    rules = recording_rules(spec["recording_rules"])
    used_rules = sorted({n for q in queries for n in metric_names(expand(q.expression)) if n.startswith("llmdevops:")})
    missing = [n for n in used_rules if n not in rules]
    record(not missing, f"the dashboard reads {len(used_rules)} recording rules, all defined"
                        + (f"; undefined: {missing}" if missing else ""))

    def federated_after_workload():
        promql = f'count(max by (shard) (timestamp(llmdevops:llm_requests:rate5m)) >= {workload_end:.3f})'
        return global_server.scalar(promql) == len(shards)

    ok = wait_until(deadline, federated_after_workload)
    record(bool(ok), "global holds llmdevops:llm_requests:rate5m evaluated after the workloads, from both shards")
    query_time = time.time()
    native = bool(spec.get("native_histograms"))
    for name in used_rules:
        series = global_server.query(name, query_time)
        reads = metric_names(rules.get(name, ""))
        if native and name.endswith("_bucket:rate5m") and classic_native_form(reads):
            # Prometheus stores only the native form: the classic bucket rules must be empty.
            record(not series, f"global {name}: {len(series)} series (classic buckets: none while Prometheus "
                               f"stores native histograms; the :rate5m native rules carry them)")
            continue
        if not native and reads and all(n in NATIVE_FAMILIES for n in reads):
            # Without native histograms the rules over the native form are empty.
            record(not series, f"global {name}: {len(series)} series (native form: none while Prometheus "
                               f"stores classic buckets; the _bucket:rate5m rules carry them)")
            continue
        jobs = sorted({m.get("job", "") for m, _ in series})
        with_instance = [m for m, _ in series if "instance" in m]
        shards_seen = sorted({m.get("shard", "") for m, _ in series})
        record(bool(series) and jobs == [JOB] and not with_instance,
               f"global {name}: {len(series)} series, job {jobs}, {len(with_instance)} with instance, "
               f"shards {shards_seen}")
    up = {m.get("instance"): v for m, v in global_server.query(f'up{{job="{JOB}"}}', query_time)}
    record(up == {a: 1.0 for a in addresses}, f"global up{{job=\"{JOB}\"}} federated for {sorted(up)}")
    with open(spec["global_log"], encoding="utf-8", errors="replace") as handle:
        conflicts = [line for line in handle if "out-of-order" in line or "out of order" in line
                     or "duplicate sample" in line or "different value but same timestamp" in line]
    record(not conflicts, f"global logged {len(conflicts)} ingestion conflicts (out-of-order or duplicate samples)"
                          + (f": {conflicts[0].strip()}" if conflicts else ""))

    # 6. The dashboard's variables have values on the global Prometheus or the receiver (with
    # "All", .*, for the $job they read). Then every dashboard query returns data on one of them,
    # with $job set to the jobs the $job variable offers (not .*, which would also match the
    # global Prometheus' own federation job) and "All" for the rest, at the moment the workloads
    # ended, so $__rate_interval = 1m spans the traffic however long the checks take. Panels
    # whose families the demo does not populate are listed.
    at = workload_end
    options = {}
    for name, text in variables:
        match = re.fullmatch(r"\s*label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*", text or "")
        if not match:
            record(False, f"dashboard variable ${name}: unexpected query {text!r}")
            continue
        selector, label = expand(match.group(1)), match.group(2)
        found = {}
        for server in (global_server, receiver):
            found[server.name] = server.api(f"label/{label}/values",
                                            {"match[]": selector, "start": f"{at - 3600:.3f}", "end": f"{at:.3f}"})
        options[name] = sorted(set().union(*found.values()))
        where = "+".join(n for n, v in found.items() if v) or "nowhere"
        shown = options[name][:4] + (["..."] if len(options[name]) > 4 else [])
        record(bool(options[name]), f"dashboard variable ${name} ({text}): {len(options[name])} values on {where}: "
                                    f"{', '.join(shown)}")
    record(options.get("job") == [JOB], f"the $job variable offers exactly the replicas' job: {options.get('job')}")
    job = regex_of(options.get("job") or [JOB])

    populated = set().union(*(e.sample_names for e in scraped))
    stale = sorted(f for f in UNPOPULATED if f in populated)
    record(not stale, f"the families listed as not populated by the demo have no samples in any replica"
                      + (f"; populated: {stale}" if stale else ""))
    skipped = []
    for query in queries:
        promql = expand(query.expression, job)
        names = metric_names(promql)
        results = {"global": global_server.query(promql, at), "receiver": receiver.query(promql, at)}
        where = "+".join(n for n, r in results.items() if has_data(r)) or "nowhere"
        reads_rules_only = all(n.startswith("llmdevops:") for n in names)
        unpopulated = sorted(f for f in raw_families(names, rules) if f in UNPOPULATED and f not in populated)
        label = f'dashboard "{query.title}" {query.ref}'
        classic_only = names and classic_native_form(
            [r for n in names for r in (metric_names(rules[n]) if n in rules else [n])])
        native_only = names and all(n in NATIVE_FAMILIES for n in names)
        if (native and classic_only) or (not native and native_only):
            # A target that reads one histogram form only (a heatmap's classic and native
            # targets): empty while Prometheus stores the other form; the panel must have
            # another target, which is checked on its own.
            siblings = [q.ref for q in queries if q.title == query.title and q.ref != query.ref]
            form = "classic buckets" if classic_only else "native histograms"
            record(where == "nowhere" and bool(siblings),
                   f"{label}: {form} only, data on {where} (Prometheus stores the other form); "
                   f"the panel's other targets: {siblings}")
            continue
        if where == "nowhere" and unpopulated:
            skipped.append((query.title, query.ref, unpopulated))
            continue
        families = raw_families(names, rules)
        if ALLOCATOR_REPLACED and families and all(f in MALLINFO_FAMILIES for f in families):
            record(where == "nowhere" and not any(f in populated for f in families),
                   f"{label}: data on {where}; the replicas run under AddressSanitizer, whose allocator "
                   f"mallinfo2() does not describe, so they leave out {sorted(families)}")
            continue
        ok = where != "nowhere" and ("global" in where or not reads_rules_only)
        record(ok, f"{label}: data on {where}" + (" (reads recording rules only)" if reads_rules_only else ""))
        # Each series must get its own legend: two with one legend are one model's (or tool's)
        # figures split by a label the query forgot to aggregate away, e.g. the shard.
        for server, result in results.items():
            legends = query.legends(result)
            if legends is None or len(set(legends)) == len(legends):
                continue
            duplicate = next(l for l in legends if legends.count(l) > 1)
            series = [m for (m, _), l in zip(result, legends) if l == duplicate]
            differing = sorted({k for m in series for k in m if len({x.get(k) for x in series}) > 1})
            record(False, f"{label} on {server}: {legends.count(duplicate)} series share the legend "
                          f"'{duplicate}' (they differ in {differing})")
    for title, ref, families in skipped:
        print(f'SKIP dashboard "{title}" {ref}: not populated by the demo: '
              + "; ".join(f"{f} ({UNPOPULATED[f]})" for f in families), flush=True)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, arguments = argv[1], argv[2:]
    if command == "ports":
        return command_ports(int(arguments[0]), int(arguments[1]), int(arguments[2]))
    if command == "render":
        return 0 if command_render(arguments[0], arguments[1], arguments[2:]) else 1
    if command == "exec":
        return command_exec(int(arguments[0]), arguments[1:])
    if command == "wait-ready":
        return 0 if command_wait_ready(arguments) else 1
    if command == "check":
        with open(arguments[0], encoding="utf-8") as handle:
            spec = json.load(handle)
        try:
            run_checks(spec)
        except Exception as error:  # a check that cannot run is a failed check, never a crash
            record(False, f"the checks stopped: {type(error).__name__}: {error}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
