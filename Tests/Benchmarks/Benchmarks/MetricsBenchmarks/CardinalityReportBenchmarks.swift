import BenchmarkWorkloads
import Benchmark
import LLMDevOpsMetrics

/// W9: computing the cardinality report (`/debug/cardinality`, issue 17) at 1,000, 10,000 and
/// 100,000 series: W9 over the W6 registry shape (families of 100 series), W9b over one family
/// holding every series with three labels (`route` all distinct, `method` 2 values, `code` 5),
/// the worst case for counting values. No contender: swift-prometheus has no such report; the
/// W6 render of the same registry is the yardstick (bench.sh prints both). Not thresholded
/// (the names do not end in "/ ours"): the report allocates per distinct label value.
func cardinalityReportBenchmarks() {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 100
    )
    for series in [1_000, 10_000, 100_000] {
        Benchmark("W9 cardinality report, \(series) series in families of 100", configuration: configuration) {
            benchmark in
            let registry = try await Contenders.ours(series: series)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(await registry.cardinalityReport()) }
            benchmark.stopMeasurement()
        }
        Benchmark("W9b cardinality report, \(series) series in one family", configuration: configuration) {
            benchmark in
            let registry = RegistryActor(
                configuration: RegistryConfiguration(maxSeriesPerMetric: series, maxSeries: series))
            let family = try await registry.makeCounterFamily(
                name: "w9b_total", labelNames: ["route", "method", "code"])
            for n in 0..<series {
                try await family.labels(values: ["/api/v1/items/\(n)", ["GET", "POST"][n % 2], "\(200 + n % 5)"])
                    .increment()
            }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(await registry.cardinalityReport()) }
            benchmark.stopMeasurement()
        }
    }
}
