import Benchmark
import LLMDevOpsMetrics
import Prometheus

/// W7b: creating N series in one family, at 1,000, 10,000 and 100,000 series, to show whether the
/// cost per series stays flat as N grows. swift-prometheus is quadratic here (10,000 already
/// takes about 1.2 s per iteration), so it has no 100,000 run; bench.sh's table says so.
func seriesCreationBenchmarks() {
    for creations in [1_000, 10_000, 100_000] {
        Benchmark(
            "W7b create \(creations) series in one family / ours",
            configuration: .init(scalingFactor: .one, maxIterations: 20)
        ) { benchmark in
            let family = try await RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: creations, maxSeries: creations))
                .makeCounterFamily(name: "w7b_total", labelNames: ["route", "code"])
            let labels = (0..<creations).map { ["/api/v1/items/\($0)", "200"] }
            benchmark.startMeasurement()
            for values in labels { try await family.labels(values: values).increment() }
            benchmark.stopMeasurement()  // tearing down the family and the prebuilt values is not creation
            withExtendedLifetime((family, labels)) {}
        }
    }
    for creations in [1_000, 10_000] {
        Benchmark(
            "W7b create \(creations) series in one family / swift-prometheus",
            configuration: .init(scalingFactor: .one, maxIterations: 20)
        ) { benchmark in
            let registry = PrometheusCollectorRegistry()
            let labels = (0..<creations).map { [("route", "/api/v1/items/\($0)"), ("code", "200")] }
            benchmark.startMeasurement()
            for pairs in labels { registry.makeCounter(name: "w7b_total", labels: pairs).increment() }
            benchmark.stopMeasurement()
            withExtendedLifetime((registry, labels)) {}
        }
    }
}
