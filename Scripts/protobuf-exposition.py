#!/usr/bin/env python3
"""Decodes and checks Prometheus protobuf expositions with an independent decoder.

The decoder is Google's Python protobuf runtime with io.prometheus.client's metrics.proto
compiled by protoc at run time (default: ../shared/proto/metrics.proto beside the repository;
Debian protobuf-compiler, PyPI protobuf). Nothing here shares code with the Swift encoder.

Usage:
  protobuf-exposition.py decode BODY [--proto FILE]
      prints the length-delimited MetricFamily messages of BODY (a file, - for stdin) as JSON
  protobuf-exposition.py check CASES.json [--proto FILE]
      CASES.json is a list of {"name", "body" (a file path), "families" (expected)}; prints one
      line per mismatch and "N cases, M mismatches"; exit status 1 when anything differs

Expected families (what the registry holds, written by the Swift tests) look like:
  {"name": "x_total", "type": "COUNTER", "help": "...", "unit": null,
   "metrics": [{"labels": {"a": "b"},
                "counter": {"value": 1.5, "created": 1700000000.25, "exemplar": EXEMPLAR|null}},
               {"labels": {}, "gauge": {"value": "NaN"}},
               {"labels": {}, "histogram": {"count": 3, "sum": 1.5, "created": 1700000000.25,
                 "buckets": [[0.1, 1, EXEMPLAR|null], ...],   # every classic bound, cumulative
                 "inf_exemplar": EXEMPLAR|null,
                 "native": null | {"schema": 3, "max_buckets": 160, "zero_threshold": 1e-9,
                                   "observations": [0.2, -1.0, "+Inf", ...]}}}]}
  EXEMPLAR: {"labels": {...}, "value": 0.5, "timestamp": 1700000000.25}
Numbers may be strings (as Python's float() reads them: "nan", "inf", "-inf", "1e-300"), which
keeps every bit of a double through JSON. For native histograms the expected schema, zero
count, spans and deltas are computed here from the observations: bucket keys with math.frexp
and boundaries 2**(i/2**schema), the schema as the highest one (down to -4) at which the
buckets from the lowest to the highest used one, both signs together, number at most
max_buckets, and spans that keep gaps of up to two empty buckets (client_golang's makeBuckets).
"""

import bisect
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_PROTO = os.path.normpath(os.path.join(ROOT, "..", "shared", "proto", "metrics.proto"))


def load_schema(proto):
    """Compiles metrics.proto with protoc into a temporary directory and imports it."""
    if not os.path.isfile(proto):
        sys.exit(f"protobuf-exposition.py: no schema at {proto}")
    out = tempfile.mkdtemp(prefix="metrics-proto-")
    includes = ["-I", os.path.dirname(proto)]
    for candidate in ("/usr/include", "/usr/local/include"):
        if os.path.isfile(os.path.join(candidate, "google", "protobuf", "timestamp.proto")):
            includes += ["-I", candidate]
    subprocess.run(["protoc", *includes, f"--python_out={out}", proto], check=True)
    sys.path.insert(0, out)
    import metrics_pb2  # noqa: E402 (generated above)
    return metrics_pb2


def read_delimited(data, pb):
    from google.protobuf.internal.decoder import _DecodeVarint32
    families = []
    position = 0
    while position < len(data):
        length, position = _DecodeVarint32(data, position)
        if position + length > len(data):
            raise ValueError(f"a message of {length} bytes at {position} runs past the end ({len(data)} bytes)")
        family = pb.MetricFamily()
        family.ParseFromString(data[position:position + length])
        families.append(family)
        position += length
    return families


def number(value):
    return float(value) if isinstance(value, str) else value


def same(a, b):
    a, b = number(a), number(b)
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b


# --- native histogram oracle -------------------------------------------------------------------

def key_of(magnitude, schema):
    """The bucket key of a positive magnitude: bucket k covers (2^((k-1)/2^s), 2^(k/2^s)]."""
    if math.isinf(magnitude):
        return key_of(sys.float_info.max, schema) + 1
    fraction, exponent = math.frexp(magnitude)  # magnitude = fraction * 2^exponent, fraction in [0.5, 1)
    if schema > 0:
        bounds = [2 ** (index / 2 ** schema) / 2 for index in range(2 ** schema)]
        return bisect.bisect_left(bounds, fraction) + (exponent - 1) * 2 ** schema
    key = exponent - 1 if fraction == 0.5 else exponent
    return -((-key) // 2 ** -schema)  # ceil(key / 2^-schema)


def expected_native(spec):
    observations = [number(v) for v in spec["observations"]]
    threshold = number(spec["zero_threshold"])
    zero = sum(1 for v in observations if abs(v) <= threshold)
    positive = [v for v in observations if v > threshold]
    negative = [-v for v in observations if v < -threshold]

    def counts(values, schema):
        result = {}
        for value in values:
            key = key_of(value, schema)
            result[key] = result.get(key, 0) + 1
        return result

    def width(buckets):
        return max(buckets) - min(buckets) + 1 if buckets else 0

    schema = spec["schema"]
    while True:
        pos, neg = counts(positive, schema), counts(negative, schema)
        if width(pos) + width(neg) <= spec["max_buckets"] or schema == -4:
            break
        schema -= 1
    return {"schema": schema, "zero_threshold": threshold, "zero_count": zero,
            "positive": spans_and_deltas(pos), "negative": spans_and_deltas(neg)}


def spans_and_deltas(buckets):
    spans, deltas = [], []
    previous_key, previous_count = None, 0
    for key in sorted(buckets):
        if previous_key is None:
            spans.append([key, 0])
        else:
            gap = key - previous_key - 1
            if gap > 2:
                spans.append([gap, 0])
            else:
                for _ in range(gap):
                    spans[-1][1] += 1
                    deltas.append(-previous_count)
                    previous_count = 0
        spans[-1][1] += 1
        deltas.append(buckets[key] - previous_count)
        previous_count = buckets[key]
        previous_key = key
    return {"spans": spans, "deltas": deltas}


# --- comparison --------------------------------------------------------------------------------

def timestamp(message):
    return message.seconds + message.nanos / 1e9


def check_exemplar(where, expected, message, present, problems):
    if expected is None:
        if present:
            problems.append(f"{where}: unexpected exemplar")
        return
    if not present:
        problems.append(f"{where}: exemplar missing")
        return
    labels = {pair.name: pair.value for pair in message.label}
    if labels != expected["labels"]:
        problems.append(f"{where}: exemplar labels {labels} != {expected['labels']}")
    if not same(message.value, expected["value"]):
        problems.append(f"{where}: exemplar value {message.value} != {expected['value']}")
    if not message.HasField("timestamp") or abs(timestamp(message.timestamp) - number(expected["timestamp"])) > 1e-6:
        problems.append(f"{where}: exemplar timestamp {timestamp(message.timestamp)} != {expected['timestamp']}")


def check_created(where, expected, message, problems):
    if expected is None:
        if message.HasField("created_timestamp"):
            problems.append(f"{where}: unexpected created_timestamp")
    elif not message.HasField("created_timestamp") or abs(timestamp(message.created_timestamp) - number(expected)) > 1e-6:
        problems.append(f"{where}: created_timestamp {timestamp(message.created_timestamp)} != {expected}")


def check_histogram(where, expected, h, problems):
    if h.sample_count != expected["count"]:
        problems.append(f"{where}: sample_count {h.sample_count} != {expected['count']}")
    if not same(h.sample_sum, expected["sum"]):
        problems.append(f"{where}: sample_sum {h.sample_sum} != {expected['sum']}")
    check_created(where, expected.get("created"), h, problems)
    want = [(number(b[0]), b[1], b[2]) for b in expected["buckets"]]
    if expected.get("inf_exemplar") is not None:
        want.append((math.inf, expected["count"], expected["inf_exemplar"]))
    got = list(h.bucket)
    if [(b.upper_bound, b.cumulative_count) for b in got] != [(w[0], w[1]) for w in want]:
        problems.append(f"{where}: buckets {[(b.upper_bound, b.cumulative_count) for b in got]} != "
                        f"{[(w[0], w[1]) for w in want]}")
    else:
        for bucket, (bound, _, exemplar) in zip(got, want):
            check_exemplar(f"{where} le={bound}", exemplar, bucket.exemplar, bucket.HasField("exemplar"), problems)
    native = expected.get("native")
    if native is None:
        if h.HasField("schema") or len(h.positive_span) or len(h.negative_span) or h.HasField("zero_threshold"):
            problems.append(f"{where}: native fields on a classic histogram")
        return
    want = expected_native(native)
    if not h.HasField("schema") or h.schema != want["schema"]:
        problems.append(f"{where}: schema {h.schema if h.HasField('schema') else None} != {want['schema']}")
    if h.zero_threshold != want["zero_threshold"]:
        problems.append(f"{where}: zero_threshold {h.zero_threshold} != {want['zero_threshold']}")
    if h.zero_count != want["zero_count"]:
        problems.append(f"{where}: zero_count {h.zero_count} != {want['zero_count']}")
    for sign in ("positive", "negative"):
        spans = [[s.offset, s.length] for s in getattr(h, f"{sign}_span")]
        deltas = list(getattr(h, f"{sign}_delta"))
        expected_spans = want[sign]["spans"]
        empty = not want["positive"]["spans"] and not want["negative"]["spans"]
        if sign == "positive" and empty and want["zero_threshold"] == 0 and want["zero_count"] == 0:
            expected_spans = [[0, 0]]  # the no-op span of an empty native histogram
        if spans != expected_spans or deltas != want[sign]["deltas"]:
            problems.append(f"{where}: {sign} spans {spans} deltas {deltas} != "
                            f"{expected_spans} {want[sign]['deltas']} (schema {want['schema']})")
    total = h.zero_count + sum(_absolute(h.positive_delta)) + sum(_absolute(h.negative_delta))
    if total != h.sample_count:
        problems.append(f"{where}: native buckets hold {total} observations, sample_count is {h.sample_count}")
    exemplars = [e for e in [b[2] for b in expected["buckets"]] + [expected.get("inf_exemplar")] if e is not None]
    if len(h.exemplars) != len(exemplars):
        problems.append(f"{where}: {len(h.exemplars)} native exemplars, expected {len(exemplars)}")
    else:
        for index, (message, exemplar) in enumerate(zip(h.exemplars, exemplars)):
            check_exemplar(f"{where} exemplars[{index}]", exemplar, message, True, problems)


def _absolute(deltas):
    count = 0
    for delta in deltas:
        count += delta
        yield count


def check_case(case, pb):
    problems = []
    with open(case["body"], "rb") as handle:
        families = read_delimited(handle.read(), pb)
    by_name = {}
    for family in families:
        if family.name in by_name:
            problems.append(f"family {family.name} appears twice")
        by_name[family.name] = family
    names = [family.name for family in families]
    if names != sorted(names):
        problems.append(f"families are not sorted by name: {names}")
    expected_names = [family["name"] for family in case["families"]]
    if sorted(expected_names) != sorted(by_name):
        problems.append(f"families {sorted(by_name)} != expected {sorted(expected_names)}")
    types = {"COUNTER": pb.COUNTER, "GAUGE": pb.GAUGE, "HISTOGRAM": pb.HISTOGRAM}
    for expected in case["families"]:
        family = by_name.get(expected["name"])
        if family is None:
            continue
        where = family.name
        if family.type != types[expected["type"]]:
            problems.append(f"{where}: type {family.type} != {expected['type']}")
        if (family.help if family.HasField("help") else None) != expected.get("help"):
            problems.append(f"{where}: help {family.help!r} != {expected.get('help')!r}")
        if (family.unit if family.HasField("unit") else None) != expected.get("unit"):
            problems.append(f"{where}: unit {family.unit!r} != {expected.get('unit')!r}")
        got = {}
        for metric in family.metric:
            labels = tuple(sorted((pair.name, pair.value) for pair in metric.label))
            if labels in got:
                problems.append(f"{where}: label set {dict(labels)} appears twice")
            got[labels] = metric
        want = {tuple(sorted(m["labels"].items())): m for m in expected["metrics"]}
        if set(got) != set(want):
            problems.append(f"{where}: label sets {sorted(got)} != {sorted(want)}")
        for labels, spec in want.items():
            metric = got.get(labels)
            if metric is None:
                continue
            at = f"{where}{dict(labels)}"
            if metric.HasField("timestamp_ms"):
                problems.append(f"{at}: unexpected timestamp_ms")
            if "counter" in spec:
                c = metric.counter
                if not metric.HasField("counter") or not same(c.value, spec["counter"]["value"]):
                    problems.append(f"{at}: counter {c.value} != {spec['counter']['value']}")
                check_exemplar(at, spec["counter"].get("exemplar"), c.exemplar, c.HasField("exemplar"), problems)
                check_created(at, spec["counter"].get("created"), c, problems)
            elif "gauge" in spec:
                if not metric.HasField("gauge") or not same(metric.gauge.value, spec["gauge"]["value"]):
                    problems.append(f"{at}: gauge {metric.gauge.value} != {spec['gauge']['value']}")
            elif "histogram" in spec:
                if not metric.HasField("histogram"):
                    problems.append(f"{at}: not a histogram")
                else:
                    check_histogram(at, spec["histogram"], metric.histogram, problems)
    return problems


def main(argv):
    if len(argv) < 3 or argv[1] not in ("decode", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    proto = DEFAULT_PROTO
    if "--proto" in argv:
        proto = argv[argv.index("--proto") + 1]
    pb = load_schema(proto)
    if argv[1] == "decode":
        from google.protobuf.json_format import MessageToDict
        data = sys.stdin.buffer.read() if argv[2] == "-" else open(argv[2], "rb").read()
        print(json.dumps([MessageToDict(f) for f in read_delimited(data, pb)], indent=1))
        return 0
    with open(argv[2], encoding="utf-8") as handle:
        cases = json.load(handle)
    mismatches = 0
    for case in cases:
        try:
            problems = check_case(case, pb)
        except Exception as error:  # an undecodable body is a mismatch, never a crash
            problems = [f"{type(error).__name__}: {error}"]
        for problem in problems:
            print(f"{case['name']}: {problem}")
        mismatches += len(problems)
    print(f"{len(cases)} cases, {mismatches} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
