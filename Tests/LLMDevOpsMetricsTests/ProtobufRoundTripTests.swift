import Foundation
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Testing

/// Every protobuf body round-trips through an independent decoder (Google's Python protobuf
/// runtime over metrics.proto compiled by protoc, `Scripts/protobuf-exposition.py`): each
/// family, label set, value, exemplar, start timestamp, classic bucket, native span and delta
/// equals what the registry holds. The expected native buckets are recomputed in Python from
/// the raw observations; the expected values here come from the test's own model of what it
/// recorded, not from the registry.
@Suite(.requiresReferenceTool(.protobufDecoder), .ownThread) struct ProtobufRoundTripTests {
    /// Random registries: hostile label values, special values, exemplars, native histograms
    /// with random factors, limits and zero thresholds observing values of both signs, zero,
    /// subnormals and infinities.
    @Test(.timeLimit(minutes: 5))
    func randomRegistriesRoundTripThroughTheReferenceDecoder() async throws {
        try ReferenceValidators.requireAvailable(.protobufDecoder)
        var cases: [ProtobufOracle.Case] = []
        for seed in 1...24 as ClosedRange<UInt64> {
            let random = try await RandomProtobufRegistry.make(seed: seed)
            let body = await random.registry.render(.protobuf)
            cases.append(ProtobufOracle.Case(name: "seed \(seed)", body: body, families: random.families))
        }
        let output = try ProtobufOracle.check(cases)
        #expect(output.exitCode == 0, "\(output.combined)")
        #expect(output.stdout.contains("24 cases, 0 mismatches"), "\(output.combined)")
    }

    /// The oracle is not a rubber stamp: a body whose registry changed after the expectation
    /// was taken, and a body with one byte flipped, are reported.
    @Test func theOracleReportsADifference() async throws {
        try ReferenceValidators.requireAvailable(.protobufDecoder)
        let random = try await RandomProtobufRegistry.make(seed: 99)
        let counter = try await random.registry.makeCounterFamily(
            name: "prop_events_total",
            help: "Random counter.",
            labelNames: ["a"]
        )
        try await counter.labels(["a": "one more"]).increment()
        var body = await random.registry.render(.protobuf)
        let changed = try ProtobufOracle.check([
            ProtobufOracle.Case(name: "changed", body: body, families: random.families)
        ])
        #expect(changed.exitCode == 1)
        #expect(changed.stdout.contains("label sets"), "\(changed.combined)")
        body[body.count / 2] ^= 0x55
        let flipped = try ProtobufOracle.check([
            ProtobufOracle.Case(name: "flipped", body: body, families: random.families)
        ])
        #expect(flipped.exitCode == 1, "\(flipped.combined)")
    }

    /// Pull collectors and the self-metrics are in the protobuf body too, at the same values
    /// as in text 0.0.4 (compared family by family through the Python decoder's JSON).
    @Test func pullCollectorsAndSelfMetricsAreIncluded() async throws {
        try ReferenceValidators.requireAvailable(.protobufDecoder)
        let registry = RegistryActor()
        try await registry.register(
            collector: FixedCollector(
                name: "fixed",
                metrics: [
                    try MetricDescriptor(type: .gauge, name: "fixed_temperature_celsius", unit: "celsius"),
                    try MetricDescriptor(type: .counter, name: "fixed_jobs_total", labelNames: ["queue"]),
                    try MetricDescriptor(type: .histogram, name: "fixed_latency_seconds", buckets: [0.5, 1]),
                    try MetricDescriptor(type: .info, name: "fixed_info", labelNames: ["version"]),
                ],
                result: .success([
                    CollectedFamily(name: "fixed_temperature_celsius", samples: [CollectedSample(value: .gauge(21.5))]),
                    CollectedFamily(
                        name: "fixed_jobs",
                        samples: [CollectedSample(labels: ["queue": "a"], value: .counter(7))]
                    ),
                    CollectedFamily(
                        name: "fixed_latency_seconds",
                        samples: [CollectedSample(value: .histogram(cumulativeCounts: [1, 3, 4], sum: 2.5))]
                    ),
                    CollectedFamily(
                        name: "fixed",
                        samples: [CollectedSample(labels: ["version": "1.0"], value: .info)]
                    ),
                ])
            )
        )
        let requests = try await registry.makeCounterFamily(name: "app_requests_total", labelNames: ["code"])
        try await requests.labels(["code": "200"]).increment(by: 3)
        _ = await registry.render(.prometheusText)  // a miss to count in the cache self-metrics
        let families = try ProtobufOracle.decode(await registry.render(.protobuf))
        let names = families.compactMap { $0["name"] as? String }
        #expect(names == names.sorted())
        for expected in [
            "app_requests_total", "fixed_temperature_celsius", "fixed_jobs_total", "fixed_latency_seconds",
            "fixed_info",
            "llmdevops_registry_series", "llmdevops_registry_collector_success",
            "llmdevops_exporter_cache_misses_total",
        ] {
            #expect(names.contains(expected), "\(expected) missing from \(names)")
        }
        let latency = try #require(families.first { $0["name"] as? String == "fixed_latency_seconds" })
        let metric = try #require((latency["metric"] as? [[String: Any]])?.first)
        let histogram = try #require(metric["histogram"] as? [String: Any])
        #expect(histogram["sampleCount"] as? String == "4")
        #expect(histogram["sampleSum"] as? Double == 2.5)
        #expect(histogram["schema"] == nil, "a collector's histogram has no native buckets")
        let info = try #require(families.first { $0["name"] as? String == "fixed_info" })
        #expect(info["type"] as? String == "GAUGE")
        let infoMetric = try #require((info["metric"] as? [[String: Any]])?.first)
        #expect((infoMetric["gauge"] as? [String: Any])?["value"] as? Double == 1)
    }

    /// A native histogram without observations and without a zero bucket width carries the
    /// no-op span the specification asks for, so it is not taken for a classic one.
    @Test func anEmptyNativeHistogramWithZeroThresholdZeroHasTheNoOpSpan() async throws {
        try ReferenceValidators.requireAvailable(.protobufDecoder)
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let family = try await registry.makeHistogramFamily(
            name: "idle_seconds",
            buckets: [1],
            options: FamilyOptions(nativeHistogram: NativeHistogramOptions(zeroThreshold: 0))
        )
        _ = try await family.labels([:])
        let families = try ProtobufOracle.decode(await registry.render(.protobuf))
        let metric = try #require((families.first?["metric"] as? [[String: Any]])?.first)
        let histogram = try #require(metric["histogram"] as? [String: Any])
        #expect(histogram["schema"] as? Int == 3)
        #expect((histogram["positiveSpan"] as? [[String: Any]])?.count == 1)
    }
}

/// A registry filled from a seed, with the families a correct protobuf body must hold, in the
/// JSON form `Scripts/protobuf-exposition.py check` reads.
struct RandomProtobufRegistry {
    let registry: RegistryActor
    let families: [[String: Any]]

    private struct Exemplar {
        var labels: [String: String]
        var value: Double
        var timestamp: Double

        var json: [String: Any] { ["labels": labels, "value": "\(value)", "timestamp": "\(timestamp)"] }
    }

    private struct Counter {
        var labelValue: String
        var value = 0.0
        var created: Double
        var exemplar: Exemplar?
    }

    private struct Histogram {
        var labelValue: String
        var created: Double
        var observations: [Double] = []
        var exemplars: [Int: Exemplar] = [:]
    }

    static let bounds: [Double] = [-1, 0.001, 0.1, 1, 100_000]

    static func make(seed: UInt64) async throws -> RandomProtobufRegistry {
        var random = SplitMix64(seed: seed)
        let time = ManualMetricsClock(wallSeconds: 1_700_000_000.25 + Double(seed))
        let clock = time.clock
        let registry = RegistryActor(configuration: RegistryConfiguration(clock: clock, exposeSelfMetrics: false))
        let gauges = try await registry.makeGaugeFamily(
            name: "prop_level",
            help: "Gauge \\ \"values\"\n.",
            labelNames: ["a", "b"]
        )
        let counters = try await registry.makeCounterFamily(
            name: "prop_events_total",
            help: "Random counter.",
            labelNames: ["a"]
        )
        let classic = try await registry.makeHistogramFamily(
            name: "prop_latency_seconds",
            help: "Classic.",
            unit: "seconds",
            labelNames: ["a"],
            buckets: bounds
        )
        let factors: [Double] = [1.0027112750502025, 1.01, 1.1, 1.5, 2, 4, 65536]
        let thresholds: [Double] = [0, 0x1p-128, 0.001, 1]
        let options = NativeHistogramOptions(
            bucketFactor: factors[Int(random.next() % UInt64(factors.count))],
            maxBucketCount: [1, 4, 12, 40, 160][Int(random.next() % 5)],
            zeroThreshold: thresholds[Int(random.next() % UInt64(thresholds.count))]
        )
        let native = try await registry.makeHistogramFamily(
            name: "prop_native_seconds",
            help: "Native.",
            labelNames: ["a"],
            buckets: bounds,
            options: FamilyOptions(nativeHistogram: options)
        )
        let info = try await registry.makeInfoFamily(name: "prop_build_info", help: "Info.", labelNames: ["version"])
        _ = try await registry.makeCounterFamily(name: "prop_unused_total", help: "Never used: left out.")

        var gaugeModel: [[String]: (labels: [String], value: Double)] = [:]
        var counterModel: [String: Counter] = [:]
        var classicModel: [String: Histogram] = [:]
        var nativeModel: [String: Histogram] = [:]
        var infoModel: Set<String> = []

        for _ in 0..<40 {
            time.advance(by: .milliseconds(Int64(random.next() % 5000)))
            let now = clock.wallSeconds()
            let a = RandomRegistry.randomLabelValue(&random)
            switch random.next() % 5 {
            case 0:
                let b = RandomRegistry.randomLabelValue(&random)
                let value = RandomRegistry.randomValue(&random, allowNegative: true, allowNaN: true)
                let key = gaugeModel.keys.first { $0 == [a, b] } ?? [a, b]
                try await gauges.labels(values: key).set(to: value)
                gaugeModel[key] = (key, value)
            case 1:
                var model = counterModel[a] ?? Counter(labelValue: a, created: now)
                let counter = try await counters.labels(values: [model.labelValue])
                for _ in 0..<Int(random.next() % 4) {
                    let amount = RandomRegistry.randomValue(&random, allowNegative: false, allowNaN: false)
                    if random.next() % 3 == 0 {
                        let labels = ["trace_id": String(random.next(), radix: 16)]
                        counter.increment(by: amount, exemplar: labels)
                        if amount.isFinite { model.exemplar = Exemplar(labels: labels, value: amount, timestamp: now) }
                    } else {
                        counter.increment(by: amount)
                    }
                    model.value += amount
                }
                counterModel[a] = model
            case 2, 3:
                let isNative = random.next() % 2 == 0
                var model = (isNative ? nativeModel[a] : classicModel[a]) ?? Histogram(labelValue: a, created: now)
                let histogram = try await (isNative ? native : classic).labels(values: [model.labelValue])
                for _ in 0..<Int(random.next() % 60) {
                    let value = randomObservation(&random)
                    if random.next() % 5 == 0 {
                        let labels = ["span_id": String(random.next() % 1000)]
                        histogram.observe(value, exemplar: labels)
                        if value.isFinite {
                            let bucket = bounds.firstIndex { value <= $0 } ?? bounds.count
                            model.exemplars[bucket] = Exemplar(labels: labels, value: value, timestamp: now)
                        }
                    } else {
                        histogram.observe(value)
                    }
                    if !value.isNaN { model.observations.append(value) }
                }
                if isNative { nativeModel[a] = model } else { classicModel[a] = model }
            default:
                _ = try await info.labels(values: [a])
                if !infoModel.contains(a) { infoModel.insert(a) }
            }
        }

        var families: [[String: Any]] = []
        if !gaugeModel.isEmpty {
            families.append(
                family(
                    "prop_level",
                    "GAUGE",
                    help: "Gauge \\ \"values\"\n.",
                    metrics: gaugeModel.values.map { entry -> [String: Any] in
                        ["labels": ["a": entry.labels[0], "b": entry.labels[1]], "gauge": ["value": "\(entry.value)"]]
                    }
                )
            )
        }
        if !counterModel.isEmpty {
            families.append(
                family(
                    "prop_events_total",
                    "COUNTER",
                    help: "Random counter.",
                    metrics: counterModel.values.map { counter -> [String: Any] in
                        var values: [String: Any] = ["value": "\(counter.value)", "created": "\(counter.created)"]
                        if let exemplar = counter.exemplar { values["exemplar"] = exemplar.json }
                        return ["labels": ["a": counter.labelValue], "counter": values]
                    }
                )
            )
        }
        if !classicModel.isEmpty {
            families.append(
                family(
                    "prop_latency_seconds",
                    "HISTOGRAM",
                    help: "Classic.",
                    unit: "seconds",
                    metrics: classicModel.values.map {
                        histogramJSON($0, native: nil)
                    }
                )
            )
        }
        if !nativeModel.isEmpty {
            let spec: [String: Any] = [
                "schema": options.schema ?? 0, "max_buckets": options.maxBucketCount,
                "zero_threshold": "\(options.zeroThreshold)",
            ]
            families.append(
                family(
                    "prop_native_seconds",
                    "HISTOGRAM",
                    help: "Native.",
                    metrics: nativeModel.values.map {
                        histogramJSON($0, native: spec)
                    }
                )
            )
        }
        if !infoModel.isEmpty {
            families.append(
                family(
                    "prop_build_info",
                    "GAUGE",
                    help: "Info.",
                    metrics: infoModel.map { version -> [String: Any] in
                        ["labels": ["version": version], "gauge": ["value": "1.0"]]
                    }
                )
            )
        }
        return RandomProtobufRegistry(registry: registry, families: families)
    }

    private static func family(
        _ name: String,
        _ type: String,
        help: String?,
        unit: String? = nil,
        metrics: [[String: Any]]
    ) -> [String: Any] {
        var family: [String: Any] = ["name": name, "type": type, "metrics": metrics]
        if let help { family["help"] = help }
        if let unit { family["unit"] = unit }
        return family
    }

    private static func histogramJSON(_ histogram: Histogram, native: [String: Any]?) -> [String: Any] {
        let buckets: [[Any]] = bounds.enumerated().map { index, bound in
            let cumulative = histogram.observations.filter { $0 <= bound }.count
            return ["\(bound)", cumulative, histogram.exemplars[index].map { $0.json as Any } ?? NSNull()]
        }
        var values: [String: Any] = [
            "count": histogram.observations.count,
            "sum": "\(histogram.observations.reduce(0, +))",
            "created": "\(histogram.created)",
            "buckets": buckets,
            "inf_exemplar": histogram.exemplars[bounds.count].map { $0.json as Any } ?? NSNull(),
        ]
        if var native {
            native["observations"] = histogram.observations.map { "\($0)" }
            values["native"] = native
        }
        return ["labels": ["a": histogram.labelValue], "histogram": values]
    }

    /// Mostly log-uniform magnitudes of either sign over 1e-12…1e12, some exact zeros, powers of
    /// two (bucket boundaries), subnormals, infinities and NaN.
    private static func randomObservation(_ random: inout SplitMix64) -> Double {
        switch random.next() % 40 {
        case 0: return 0
        case 1: return .infinity
        case 2: return -.infinity
        case 3: return .nan
        case 4: return Double.leastNonzeroMagnitude * Double(random.next() % 1000 + 1)
        case 5: return Double(sign: .plus, exponent: Int(random.next() % 80) - 40, significand: 1)
        default:
            let magnitude = pow(10, Double(random.next() % 2_400_000) / 100_000 - 12)
            return random.next() % 4 == 0 ? -magnitude : magnitude
        }
    }
}
