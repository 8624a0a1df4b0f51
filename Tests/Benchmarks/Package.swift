// swift-tools-version:6.2

// Benchmarks live in their own package so that users of the library never resolve
// benchmark-only dependencies. Every workload runs for this library and for
// swift-server/swift-prometheus 2.4.1 in the same run, with identical inputs.

import PackageDescription

let package = Package(
    name: "llmdevops-metrics-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "llmdevops-metrics", path: "../.."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Already resolved by the root package (same versions): gzip (system zlib) and the
        // Hummingbird server for the swift-prometheus HTTP contender.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    // package-benchmark runs every executable target whose folder is in Benchmarks/ as a benchmark;
    // the helper executables (memory probe, HTTP servers) therefore live in Tools/.
    targets: [
        // The seeded inputs and the W6 registry shape, shared by the benchmarks, the memory
        // probe and the HTTP servers so every figure is about the same series.
        .target(
            name: "BenchmarkWorkloads",
            dependencies: [
                .product(name: "LLMDevOpsMetrics", package: "llmdevops-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Benchmarks/BenchmarkWorkloads"
        ),
        .executableTarget(
            name: "MetricsBenchmarks",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "LLMDevOpsMetrics", package: "llmdevops-metrics"),
                .product(name: "LLMDevOpsCollectors", package: "llmdevops-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/MetricsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // W7: resident memory per counter series, one contender per fresh process.
        .executableTarget(
            name: "MemoryProbe",
            dependencies: [
                .product(name: "LLMDevOpsMetrics", package: "llmdevops-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Tools/MemoryProbe"
        ),
        // HTTP load: the service's MetricsServer over the W6 registry (cache on or off).
        .executableTarget(
            name: "LLMDevOpsMetricsBenchServer",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "LLMDevOpsMetrics", package: "llmdevops-metrics"),
                .product(name: "LLMDevOpsMetricsServer", package: "llmdevops-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/LLMDevOpsMetricsBenchServer"
        ),
        // HTTP load: what a swift-prometheus user would build, Hummingbird 2 rendering the W6
        // registry and gzipping it on every request.
        .executableTarget(
            name: "SwiftPrometheusServer",
            dependencies: [
                "BenchmarkWorkloads",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/SwiftPrometheusServer"
        ),
    ]
)
