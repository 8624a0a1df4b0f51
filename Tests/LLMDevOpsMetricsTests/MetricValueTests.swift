import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

@Suite struct MetricValueTests {
    let time = ManualMetricsClock(wallSeconds: 1_700_000_123.25)

    @Test func counterAddsIntegersAndFloatsAndRejectsNegativeAndNaN() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(clock: time.clock))
        let counter = try await registry.makeCounter(name: "c_total")
        counter.increment()
        counter.increment(by: 2)
        counter.increment(by: 0.25)
        counter.increment(by: -1)
        counter.increment(by: -0.5)
        counter.increment(by: Double.nan)
        #expect(counter.value == 3.25)
        let lines = await renderLines(registry)
        #expect(lines.contains("c_total 3.25"))
        #expect(lines.contains(#"llmdevops_registry_invalid_updates_total{family="c",reason="negative_increment"} 2"#))
        #expect(lines.contains(#"llmdevops_registry_invalid_updates_total{family="c",reason="nan_value"} 1"#))
    }

    @Test func gaugeSetsIncrementsDecrementsAndTellsTime() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(clock: time.clock))
        let gauge = try await registry.makeGauge(name: "g")
        gauge.set(to: 10)
        gauge.increment()
        gauge.increment(by: 2.5)
        gauge.decrement(by: 4)
        #expect(gauge.value == 9.5)
        gauge.setToCurrentTime()
        #expect(gauge.value == 1_700_000_123.25)
    }

    @Test func histogramCountsIntoBucketsAndRejectsNaN() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(clock: time.clock, exposeSelfMetrics: false))
        let histogram = try await registry.makeHistogram(name: "h", buckets: [1, 2])
        for value in [0.5, 1, 1.5, 2, 3, -1] { histogram.observe(value) }
        histogram.observe(.nan)
        histogram.observe(Duration.milliseconds(1500))
        #expect(histogram.count == 7)
        #expect(histogram.sum == 8.5)
        #expect(await renderLines(registry) == [
            "# TYPE h histogram",
            #"h_bucket{le="1.0"} 3"#,
            #"h_bucket{le="2.0"} 6"#,
            #"h_bucket{le="+Inf"} 7"#,
            "h_sum 8.5",
            "h_count 7",
        ])
    }

    @Test func oversizedExemplarsAreDroppedButTheIncrementCounts() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(clock: time.clock))
        let counter = try await registry.makeCounter(name: "c_total")
        counter.increment(by: 1, exemplar: ["trace_id": String(repeating: "a", count: 121)])  // 8 + 121 > 128
        counter.increment(by: 1, exemplar: ["trace_id": String(repeating: "b", count: 120)])  // exactly 128
        #expect(counter.value == 2)
        let lines = await renderLines(registry, .openMetrics)
        #expect(lines.contains("c_total 2 # {trace_id=\"\(String(repeating: "b", count: 120))\"} 1 1700000123.25"))
        #expect(lines.contains(#"llmdevops_registry_invalid_updates_total{family="c",reason="invalid_exemplar"} 1"#))
    }

    @Test func infoSeriesAreOne() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let family = try await registry.makeInfoFamily(name: "app_build_info", labelNames: ["version"])
        _ = try await family.labels(["version": "1.0"])
        #expect(await renderLines(registry) == ["# TYPE app_build_info gauge", #"app_build_info{version="1.0"} 1"#])
        #expect(await renderLines(registry, .openMetrics) == ["# TYPE app_build info", #"app_build_info{version="1.0"} 1"#, "# EOF"])
    }

    @Test func unregisterFreesTheNameAndTheSeries() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let counter = try await registry.makeCounter(name: "c_total")
        #expect(await registry.unregister(name: "c"))
        #expect(!counter.isExported)
        #expect(await registry.seriesCount == 0)
        _ = try await registry.makeGauge(name: "c")
        #expect(await renderLines(registry) == ["# TYPE c gauge", "c 0"])
    }
}
