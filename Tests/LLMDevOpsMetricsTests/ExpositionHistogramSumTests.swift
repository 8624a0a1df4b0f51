import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// A histogram sum that is not a counter: OpenMetrics 1.0 says the sum "MUST NOT be NaN or
/// negative", a histogram with a negative bucket threshold "MUST NOT contain a sum value", and
/// `_count` appears "if and only if" `_sum` does. So the OpenMetrics body leaves out both for
/// such a series (the `+Inf` bucket still carries the count); text 0.0.4 keeps both.
///
/// Found by the exposition-roundtrip fuzz target (reproducer:
/// `Tests/Fuzz/Findings/exposition-roundtrip-negative-sum`): a negative observation rendered a
/// negative `_sum` in OpenMetrics, which our strict parser and Python's `prometheus_client` reject.
@Suite struct ExpositionHistogramSumTests {
    /// Four series of a histogram with non-negative bounds, one of a histogram with a negative bound.
    static func makeRegistry() async throws -> RegistryActor {
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let drift = try await registry.makeHistogramFamily(
            name: "app_drift_seconds",
            help: "Clock drift.",
            labelNames: ["host"],
            buckets: [0, 1, 10]
        )
        let negative = try await drift.labels(["host": "a"])  // sum -1.5: not a counter
        negative.observe(-2)
        negative.observe(0.5)
        try await drift.labels(["host": "b"]).observe(3)  // sum 3: a counter
        let recovered = try await drift.labels(["host": "c"])  // sum 3 after a negative observation
        recovered.observe(-1)
        recovered.observe(4)
        let undefined = try await drift.labels(["host": "d"])  // sum NaN
        undefined.observe(.infinity)
        undefined.observe(-.infinity)
        let offset = try await registry.makeHistogram(name: "app_offset_seconds", help: "Offset.", buckets: [-1, 0, 1])
        offset.observe(0.5)  // sum 0.5, but the family has a negative bucket threshold
        return registry
    }

    @Test func openMetricsLeavesOutSumAndCountWhereTheSumIsNotACounter() async throws {
        let registry = try await Self.makeRegistry()
        let body = String(decoding: await registry.render(.openMetrics), as: UTF8.self)
        #expect(body == #"""
            # TYPE app_drift_seconds histogram
            # HELP app_drift_seconds Clock drift.
            app_drift_seconds_bucket{host="a",le="0.0"} 1
            app_drift_seconds_bucket{host="a",le="1.0"} 2
            app_drift_seconds_bucket{host="a",le="10.0"} 2
            app_drift_seconds_bucket{host="a",le="+Inf"} 2
            app_drift_seconds_bucket{host="b",le="0.0"} 0
            app_drift_seconds_bucket{host="b",le="1.0"} 0
            app_drift_seconds_bucket{host="b",le="10.0"} 1
            app_drift_seconds_bucket{host="b",le="+Inf"} 1
            app_drift_seconds_sum{host="b"} 3
            app_drift_seconds_count{host="b"} 1
            app_drift_seconds_bucket{host="c",le="0.0"} 1
            app_drift_seconds_bucket{host="c",le="1.0"} 1
            app_drift_seconds_bucket{host="c",le="10.0"} 2
            app_drift_seconds_bucket{host="c",le="+Inf"} 2
            app_drift_seconds_sum{host="c"} 3
            app_drift_seconds_count{host="c"} 2
            app_drift_seconds_bucket{host="d",le="0.0"} 1
            app_drift_seconds_bucket{host="d",le="1.0"} 1
            app_drift_seconds_bucket{host="d",le="10.0"} 1
            app_drift_seconds_bucket{host="d",le="+Inf"} 2
            # TYPE app_offset_seconds histogram
            # HELP app_offset_seconds Offset.
            app_offset_seconds_bucket{le="-1.0"} 0
            app_offset_seconds_bucket{le="0.0"} 0
            app_offset_seconds_bucket{le="1.0"} 1
            app_offset_seconds_bucket{le="+Inf"} 1
            # EOF

            """#)
        let parsed = try ExpositionParser.parse(Array(body.utf8), syntax: .openMetrics)
        #expect(parsed.sample(named: "app_drift_seconds_sum", labels: ["host": "a"]) == nil)
        #expect(parsed.sample(named: "app_drift_seconds_count", labels: ["host": "a"]) == nil)
        #expect(parsed.sample(named: "app_drift_seconds_bucket", labels: ["host": "a", "le": "+Inf"])?.value == 2)
        #expect(parsed.sample(named: "app_drift_seconds_sum", labels: ["host": "b"])?.value == 3)
    }

    @Test func textKeepsEverySumAndCount() async throws {
        let registry = try await Self.makeRegistry()
        let body = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
        let sums = body.split(separator: "\n").filter { $0.contains("_sum") || $0.contains("_count") }
        #expect(sums == [
            #"app_drift_seconds_sum{host="a"} -1.5"#,
            #"app_drift_seconds_count{host="a"} 2"#,
            #"app_drift_seconds_sum{host="b"} 3"#,
            #"app_drift_seconds_count{host="b"} 1"#,
            #"app_drift_seconds_sum{host="c"} 3"#,
            #"app_drift_seconds_count{host="c"} 2"#,
            #"app_drift_seconds_sum{host="d"} NaN"#,
            #"app_drift_seconds_count{host="d"} 2"#,
            #"app_offset_seconds_sum 0.5"#,
            #"app_offset_seconds_count 1"#,
        ])
        let parsed = try ExpositionParser.parse(Array(body.utf8), syntax: .prometheusText)
        #expect(parsed.sample(named: "app_drift_seconds_sum", labels: ["host": "a"])?.value == -1.5)
    }

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func openMetricsBodyPassesThePythonReferenceParser() async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let registry = try await Self.makeRegistry()
        let body = String(decoding: await registry.render(.openMetrics), as: UTF8.self)
        let samples = try await ReferenceValidators.pythonParse(body, syntax: .openMetrics)
        #expect(
            samples.contains { $0.name == "app_drift_seconds_sum" && $0.labels == ["host": "b"] && $0.value == "3.0" }
        )
        #expect(!samples.contains { $0.name == "app_drift_seconds_sum" && $0.labels == ["host": "a"] })
    }
}
