import Benchmark
import Dispatch
import LLMDevOpsMetrics
import Prometheus

// Workload names follow the benchmark issue: W1..W8, each as "<workload> / ours" and
// "<workload> / swift-prometheus". Time is measured locally; CI checks malloc counts only
// (Scripts/bench-thresholds.sh).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000,
        // CI (Scripts/bench-thresholds.sh) checks the p90 malloc count of the "/ ours" benchmarks
        // against Tests/Benchmarks/Thresholds/ and nothing else: no tolerance, the counts are
        // deterministic. Time is never checked.
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])]
    )
    recordingBenchmarks()
    labelLookupBenchmarks()
    renderBenchmarks()
    seriesCreationBenchmarks()
    compressionBenchmarks()
    collectorBenchmarks()
    cardinalityReportBenchmarks()
}

func recordingBenchmarks() {
    Benchmark("W1 counter increment / ours") { benchmark in
        let counter = try await RegistryActor().makeCounterFamily(name: "w1_total", labelNames: ["method", "status"])
            .labels(["method": "GET", "status": "200"])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { counter.increment() }
        benchmark.stopMeasurement()
        blackHole(counter.value)
    }
    Benchmark("W1 counter increment / swift-prometheus") { benchmark in
        let counter = PrometheusCollectorRegistry().makeCounter(name: "w1_total", labels: [("method", "GET"), ("status", "200")])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { counter.increment() }
    }

    Benchmark("W2 counter increment, 2 threads / ours") { benchmark in
        let counter = try await RegistryActor().makeCounterFamily(name: "w2_total", labelNames: ["method", "status"])
            .labels(["method": "GET", "status": "200"])
        let perThread = benchmark.scaledIterations.count / 2
        benchmark.startMeasurement()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<perThread { counter.increment() }
        }
        benchmark.stopMeasurement()
        if counter.value != Double(perThread * 2) {
            benchmark.error("W2: counter is \(counter.value), expected \(perThread * 2)")
        }
    }
    Benchmark("W2 counter increment, 2 threads / swift-prometheus") { benchmark in
        let counter = PrometheusCollectorRegistry().makeCounter(name: "w2_total", labels: [("method", "GET"), ("status", "200")])
        let perThread = benchmark.scaledIterations.count / 2
        benchmark.startMeasurement()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<perThread { counter.increment() }
        }
    }

    Benchmark("W4 histogram observe / ours") { benchmark in
        let histogram = try await RegistryActor().makeHistogram(name: "w4_seconds", buckets: Workload.buckets)
        let values = Workload.observations
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { histogram.observe(values[index % values.count]) }
        benchmark.stopMeasurement()
        blackHole(histogram.count)
    }
    Benchmark("W4 histogram observe / swift-prometheus") { benchmark in
        let histogram = PrometheusCollectorRegistry().makeValueHistogram(name: "w4_seconds", buckets: Workload.buckets)
        let values = Workload.observations
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { histogram.record(values[index % values.count]) }
    }

    // W4 with native buckets beside the classic ones (schema 3, at most 160 buckets): the
    // same values; the table sets it against W4 / ours. swift-prometheus has no native
    // histograms. Each sample starts from a new histogram, so its native windows are first
    // grown to the values' range (every workload value observed once, as in a series that has
    // served traffic for a while): widening a window allocates, a cost a series pays while
    // its range grows, not per observation.
    Benchmark("W4n native histogram observe / ours") { benchmark in
        let histogram = try await RegistryActor().makeHistogramFamily(
            name: "w4_seconds", buckets: Workload.buckets,
            options: FamilyOptions(nativeHistogram: NativeHistogramOptions())
        ).labels([:])
        let values = Workload.observations
        for value in values { histogram.observe(value) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { histogram.observe(values[index % values.count]) }
        benchmark.stopMeasurement()
        blackHole(histogram.count)
    }

    Benchmark("W5 gauge set / ours") { benchmark in
        let gauge = try await RegistryActor().makeGauge(name: "w5")
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { gauge.set(to: Double(index)) }
        benchmark.stopMeasurement()
        blackHole(gauge.value)
    }
    Benchmark("W5 gauge set / swift-prometheus") { benchmark in
        let gauge = PrometheusCollectorRegistry().makeGauge(name: "w5")
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { gauge.set(to: Double(index)) }
    }
}

func labelLookupBenchmarks() {
    let prebuiltValues = Workload.routes.flatMap { route in Workload.codes.map { [route, $0] } }
    let prebuiltPairs = prebuiltValues.map { [("route", $0[0]), ("code", $0[1])] }
    let order = Workload.labelOrder

    Benchmark("W3 get-or-create + increment, 100 label sets / ours") { benchmark in
        let family = try await RegistryActor().makeCounterFamily(name: "w3_total", labelNames: ["route", "code"])
        for values in prebuiltValues { _ = try await family.labels(values: values) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            let (route, code) = order[index % order.count]
            try await family.labels(values: prebuiltValues[route * 10 + code]).increment()
        }
    }
    Benchmark("W3 get-or-create + increment, 100 label sets / swift-prometheus") { benchmark in
        let registry = PrometheusCollectorRegistry()
        for labels in prebuiltPairs { _ = registry.makeCounter(name: "w3_total", labels: labels) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            let (route, code) = order[index % order.count]
            registry.makeCounter(name: "w3_total", labels: prebuiltPairs[route * 10 + code]).increment()
        }
    }
    Benchmark("W3b labels built at the call site / ours") { benchmark in
        let family = try await RegistryActor().makeCounterFamily(name: "w3_total", labelNames: ["route", "code"])
        for values in prebuiltValues { _ = try await family.labels(values: values) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            let (route, code) = order[index % order.count]
            try await family.labels(values: [Workload.routes[route], Workload.codes[code]]).increment()
        }
    }
    // swift-prometheus has one API for both: an array of (name, value) pairs built per call.
    let swiftPrometheusCallSite: @Sendable (Benchmark) -> Void = { benchmark in
        let registry = PrometheusCollectorRegistry()
        for labels in prebuiltPairs { _ = registry.makeCounter(name: "w3_total", labels: labels) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            let (route, code) = order[index % order.count]
            registry.makeCounter(name: "w3_total", labels: [("route", Workload.routes[route]), ("code", Workload.codes[code])])
                .increment()
        }
    }
    Benchmark("W3b labels built at the call site / swift-prometheus") { benchmark in swiftPrometheusCallSite(benchmark) }
    // Informational, no target: our by-name API with a dictionary literal built per call.
    Benchmark("W3c labels by name (dictionary literal) / ours") { benchmark in
        let family = try await RegistryActor().makeCounterFamily(name: "w3_total", labelNames: ["route", "code"])
        for values in prebuiltValues { _ = try await family.labels(values: values) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            let (route, code) = order[index % order.count]
            try await family.labels(["route": Workload.routes[route], "code": Workload.codes[code]]).increment()
        }
    }
    Benchmark("W3c labels by name (dictionary literal) / swift-prometheus") { benchmark in swiftPrometheusCallSite(benchmark) }
}

/// W6's custom metric: the size of the rendered text body in bytes.
let renderedBytes = BenchmarkMetric.custom("rendered bytes", polarity: .prefersSmaller, useScalingFactor: false)

/// W6 setup check: both contenders' registries of `series` series render the same HELP, TYPE
/// and samples (parsed by ``ExpositionSamples``, not compared as bytes: swift-prometheus spells
/// whole numbers `42.0` and orders families by dictionary order), with the expected number of
/// sample lines; nil when they do, else what differs.
func w6Parity(series: Int, ours: RegistryActor, theirs: PrometheusCollectorRegistry) async -> String? {
    var theirBody: [UInt8] = []
    theirs.emit(into: &theirBody)
    let ourSamples = ExpositionSamples(parsing: await ours.render(.prometheusText))
    let theirSamples = ExpositionSamples(parsing: theirBody)
    let differences = ourSamples.differences(from: theirSamples)
    guard differences.isEmpty else {
        return "W6 \(series): the contenders render different data: \(differences.joined(separator: "; "))"
    }
    let expected = Workload.sampleLines(series: series)
    guard ourSamples.lineCount == expected, theirSamples.lineCount == expected else {
        return "W6 \(series): \(ourSamples.lineCount) and \(theirSamples.lineCount) sample lines, expected \(expected)"
    }
    return nil
}

func renderBenchmarks() {
    for series in [1_000, 10_000, 100_000] {
        let configuration = Benchmark.Configuration(
            metrics: Benchmark.defaultConfiguration.metrics + [renderedBytes],
            scalingFactor: .one,
            maxDuration: .seconds(3),
            maxIterations: 100
        )
        Benchmark("W6 render text, \(series) series / ours", configuration: configuration) { benchmark in
            let registry = try await Contenders.ours(series: series)
            if let mismatch = await w6Parity(series: series, ours: registry, theirs: Contenders.swiftPrometheus(series: series)) {
                benchmark.error(mismatch)
                return
            }
            // Like swift-prometheus's emit(into:): one buffer kept from render to render.
            var buffer: [UInt8] = []
            await registry.render(.prometheusText, into: &buffer)  // steady state: sorted order cached
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                buffer.removeAll(keepingCapacity: true)
                await registry.render(.prometheusText, into: &buffer)
                blackHole(buffer)
            }
            benchmark.stopMeasurement()
            benchmark.measurement(renderedBytes, buffer.count)
        }
        // The same registry over protobuf (swift-prometheus has no protobuf exposition; the
        // table sets it against W6 / ours), rendered the same way: into one buffer kept from
        // render to render.
        Benchmark("W6p render protobuf, \(series) series / ours", configuration: configuration) { benchmark in
            let registry = try await Contenders.ours(series: series)
            var buffer: [UInt8] = []
            await registry.render(.protobuf, into: &buffer)  // steady state: sorted order cached
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                buffer.removeAll(keepingCapacity: true)
                await registry.render(.protobuf, into: &buffer)
                blackHole(buffer)
            }
            benchmark.stopMeasurement()
            benchmark.measurement(renderedBytes, buffer.count)
        }
        Benchmark("W6 render text, \(series) series / swift-prometheus", configuration: configuration) { benchmark in
            let registry = Contenders.swiftPrometheus(series: series)
            if let mismatch = await w6Parity(series: series, ours: try await Contenders.ours(series: series), theirs: registry) {
                benchmark.error(mismatch)
                return
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                buffer.removeAll(keepingCapacity: true)
                registry.emit(into: &buffer)
                blackHole(buffer)
            }
            benchmark.stopMeasurement()
            benchmark.measurement(renderedBytes, buffer.count)
        }
    }
}
