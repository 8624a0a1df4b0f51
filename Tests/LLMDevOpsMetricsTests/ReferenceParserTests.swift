import LLMDevOpsMetrics
import Testing

/// The full golden registry, self-metrics included, judged by tools nobody on this project wrote.
@Suite struct ReferenceParserTests {
    static func fullBody(_ format: ExpositionFormat) async throws -> String {
        let registry = try await ExpositionGoldenTests.makeRegistry(exposeCreated: format == .openMetrics)
        let withSelfMetrics = RegistryActor()
        _ = try await withSelfMetrics.makeCounterFamily(name: "x_total", help: "X.", labelNames: ["k"], options: FamilyOptions(maxSeries: 1))
            .labels(["k": "a"])
        _ = try await withSelfMetrics.makeCounterFamily(name: "x_total", help: "X.", labelNames: ["k"]).labels(["k": "b"])
        let golden = String(decoding: await registry.render(format), as: UTF8.self)
        let selfMetrics = String(decoding: await withSelfMetrics.render(format), as: UTF8.self)
        #expect(selfMetrics.contains(#"llmdevops_registry_series_rejected_total{family="x",reason="metric_limit"} 1"#))
        // Two registries' bodies concatenated: drop the first `# EOF`.
        return format == .openMetrics ? golden.replacingEOF() + selfMetrics : golden + selfMetrics
    }

    @Test(.requiresReferenceTool(.promtool))
    func textBodyPassesPromtoolWithoutErrors() async throws {
        try ReferenceValidators.requireAvailable(.promtool)
        let result = try await ReferenceValidators.promtoolCheckMetrics(try await Self.fullBody(.prometheusText))
        #expect(result.errors.isEmpty, "\(result.output)")
        // The only lint finding allowed is the family the golden registry leaves without help.
        #expect(result.lintWarnings.allSatisfy { $0.contains("app_temperature_celsius") && $0.contains("no help text") }, "\(result.output)")
    }

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func bothBodiesParseWithThePythonReferenceParsers() async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let text = try await ReferenceValidators.pythonParse(try await Self.fullBody(.prometheusText), syntax: .text)
        #expect(text.contains { $0.name == "app_requests_total" && $0.labels == ["route": "/a\"b\\c\nd", "code": "200"] && $0.value == "3.0" })
        #expect(text.contains { $0.name == "app_latency_seconds_bucket" && $0.labels == ["route": "/", "le": "1e+06"] && $0.value == "2.0" })
        let openMetrics = try await ReferenceValidators.pythonParse(try await Self.fullBody(.openMetrics), syntax: .openMetrics)
        let withExemplar = openMetrics.first { $0.name == "app_requests_total" && $0.labels["code"] == "500" }
        #expect(withExemplar?.exemplar?.labels == ["trace_id": "4bf92f35"])
        #expect(withExemplar?.exemplar?.value == "0.5")
        #expect(openMetrics.contains { $0.name == "app_build_info" && $0.labels == ["version": "1.2.0", "revision": "abc"] })
        #expect(openMetrics.contains { $0.name == "app_requests_created" })
        #expect(openMetrics.contains { $0.name == "llmdevops_registry_series_rejected_total" && $0.value == "1.0" })
        // Every series the text body has, the OpenMetrics body has too.
        let textSeries = Set(text.filter { !$0.name.hasSuffix("_created") }.map { "\($0.name)\($0.labels.sorted { $0.key < $1.key })" })
        let openMetricsSeries = Set(openMetrics.filter { !$0.name.hasSuffix("_created") }.map { "\($0.name)\($0.labels.sorted { $0.key < $1.key })" })
        #expect(textSeries == openMetricsSeries)
    }

    /// The families whose order differs between the formats pass both reference parsers, which
    /// see them in the order this library wrote them.
    @Test(.requiresReferenceTool(.promtool))
    func formatSpecificOrderPassesPromtool() async throws {
        try ReferenceValidators.requireAvailable(.promtool)
        let registry = try await ExpositionGoldenTests.makeOrderingRegistry()
        let text = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
        let result = try await ReferenceValidators.promtoolCheckMetrics(text)
        #expect(result.errors.isEmpty, "\(result.output)")
        #expect(result.lintWarnings.isEmpty, "\(result.output)")
    }

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func formatSpecificOrderParsesWithThePythonReferenceParsers() async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let registry = try await ExpositionGoldenTests.makeOrderingRegistry()
        let text = try await ReferenceValidators.pythonParse(
            String(decoding: await registry.render(.prometheusText), as: UTF8.self), syntax: .text)
        #expect(text.map(\.name) == [
            "app_build_extra", "app_build_info", "app_executions_in_flight", "app_executions_total", "app_pulled_last",
            "app_pulled_total",
        ])
        let openMetrics = try await ReferenceValidators.pythonParse(
            String(decoding: await registry.render(.openMetrics), as: UTF8.self), syntax: .openMetrics)
        #expect(openMetrics.map(\.name) == [
            "app_build_info", "app_build_extra", "app_executions_total", "app_executions_in_flight", "app_pulled_total",
            "app_pulled_last",
        ])
    }
}

extension String {
    /// The body without its trailing `# EOF` line.
    fileprivate func replacingEOF() -> String {
        hasSuffix("# EOF\n") ? String(dropLast(6)) : self
    }
}
