import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsTestSupport
import Testing

/// How close the quantiles Prometheus computes from our histograms come to the exact ones:
/// 100,000 seeded log-normal request durations (median 2 s, σ = 1.2, so p99 ≈ 33 s) recorded
/// once into `llmdevops_llm_request_duration_seconds` with the catalog's 17 classic buckets and
/// the default native buckets (factor 1.1, schema 3). A real Prometheus 2.42 with native
/// histograms scrapes the registry twice: over protobuf (stored native) and over text 0.0.4
/// (stored classic). The native p50, p90 and p99 must be within 5 % of the exact quantiles of
/// the samples; the classic errors are measured and reported beside them (README, "Accuracy").
@Suite(.requires(.prometheus)) struct NativeHistogramAccuracyTests {
    static let samples = 100_000
    static let quantiles = [0.5, 0.9, 0.99]

    /// Log-normal durations from a fixed seed (Box–Muller over SplitMix64).
    static func durations() -> [Double] {
        var state: UInt64 = 0x5EED_0014
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Double(z >> 11) + 0.5) / Double(1 << 53)
        }
        return (0..<samples).map { _ in
            let normal = (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
            return 2 * exp(1.2 * normal)
        }
    }

    /// The exact q-quantile of the samples: the smallest value with at least q·n samples at or
    /// below it (nearest rank).
    static func exactQuantile(_ q: Double, of sorted: [Double]) -> Double {
        sorted[max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1)]
    }

    @Test(.timeLimit(minutes: 3))
    func nativeQuantilesAreWithinFivePercentOfTheExactOnes() async throws {
        try ExternalTool.prometheus.require()
        let values = Self.durations()
        let sorted = values.sorted()
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let histogram = try await registry.makeHistogramFamily(
            name: "llmdevops_llm_request_duration_seconds",
            unit: "seconds",
            labelNames: ["model"],
            buckets: CatalogBuckets.llmDuration,
            options: FamilyOptions(nativeHistogram: NativeHistogramOptions())
        ).labels(["model": "m"])
        for value in values { histogram.observe(value) }

        let textOnly = RunningServer.configuration {
            $0.formats.protobuf = false
            $0.formats.openMetrics = false
        }
        try await RunningServer.with(RunningServer.configuration(), registry: registry) { native in
            try await RunningServer.with(textOnly, registry: registry) { classic in
                let directory = try TemporaryDirectory()
                let prometheus = try PrometheusProcess.start(
                    directory: directory,
                    name: "accuracy",
                    jobs: [
                        .init(name: "native", target: "127.0.0.1:\(native.port)"),
                        .init(name: "classic", target: "127.0.0.1:\(classic.port)"),
                    ],
                    nativeHistograms: true
                )
                do {
                    try await TestHTTPClient.with { client in
                        #expect(try await prometheus.waitUntilUp(["native", "classic"], client))
                        try await measure(prometheus, client, sorted)
                    }
                } catch {
                    await prometheus.stop()
                    throw error
                }
                #expect(await prometheus.stop() != nil)
            }
        }
    }

    private func measure(_ prometheus: PrometheusProcess, _ client: TestHTTPClient, _ sorted: [Double]) async throws {
        let family = "llmdevops_llm_request_duration_seconds"
        var rows: [String] = []
        for q in Self.quantiles {
            let exact = Self.exactQuantile(q, of: sorted)
            let native = try await prometheus.instantQuery(
                "histogram_quantile(\(q), \(family){job=\"native\"})",
                client
            )
            let classic = try await prometheus.instantQuery(
                "histogram_quantile(\(q), \(family)_bucket{job=\"classic\"})",
                client
            )
            let nativeValue = try #require(native.first?.floatValue, "no native p\(q * 100)")
            let classicValue = try #require(classic.first?.floatValue, "no classic p\(q * 100)")
            let nativeError = (nativeValue - exact) / exact
            let classicError = (classicValue - exact) / exact
            #expect(abs(nativeError) < 0.05, "p\(q * 100): native \(nativeValue), exact \(exact)")
            rows.append(
                String(
                    format: "| p%g | %.4g s | %.4g s (%+.2f %%) | %.4g s (%+.2f %%) |",
                    q * 100,
                    exact,
                    nativeValue,
                    nativeError * 100,
                    classicValue,
                    classicError * 100
                )
            )
        }
        // The figures for the README's accuracy table.
        print("native-histogram-accuracy: \(Self.samples) log-normal samples (median 2 s, sigma 1.2)")
        print("| quantile | exact | native (schema 3) | classic (17 catalog buckets) |")
        for row in rows { print(row) }
        // Both sides saw every sample.
        let count = try await prometheus.instantQuery("histogram_count(\(family){job=\"native\"})", client)
        #expect(count.first?.floatValue == Double(Self.samples))
        let classicCount = try await prometheus.instantQuery("\(family)_count{job=\"classic\"}", client)
        #expect(classicCount.first?.floatValue == Double(Self.samples))
    }
}
