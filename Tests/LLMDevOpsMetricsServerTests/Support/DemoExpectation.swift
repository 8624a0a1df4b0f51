import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Logging
import Testing

/// What `llmdevops-metrics --demo-events N` must expose: the same seeded workload, recorded by
/// the test through the public collector API into its own registry.
struct DemoExpectation {
    /// PromQL queries (each with one result) and the exact values they must return.
    let queries: [(String, Double)]

    static func record(events: Int) async throws -> DemoExpectation {
        let parsed = try await recordedExposition(events: events)
        func sum(_ name: String, where matches: ([String: String]) -> Bool = { _ in true }) -> Double {
            parsed.samples.filter { $0.name == name && matches($0.labels) }.reduce(0) { $0 + $1.value }
        }
        let busiest = try #require(
            parsed.samples.filter { $0.name == "llmdevops_llm_requests_total" }.max { $0.value < $1.value }
        )
        let model = busiest.labels["model"] ?? ""
        let status = busiest.labels["status"] ?? ""
        return DemoExpectation(queries: [
            (#"llmdevops_llm_requests_total{model="\#(model)",status="\#(status)"}"#, busiest.value),
            ("sum(llmdevops_llm_requests_total)", sum("llmdevops_llm_requests_total")),
            (#"sum(llmdevops_llm_tokens_total{type="input"})"#, sum("llmdevops_llm_tokens_total") { $0["type"] == "input" }),
            ("sum(llmdevops_llm_request_duration_seconds_count)", sum("llmdevops_llm_request_duration_seconds_count")),
            ("sum(llmdevops_agent_tool_calls_total)", sum("llmdevops_agent_tool_calls_total")),
            ("sum(llmdevops_agent_executions_total)", sum("llmdevops_agent_executions_total")),
        ])
    }

    /// The OpenMetrics exposition of `events` seeded workload events recorded in process.
    static func recordedExposition(events: Int, format: ExpositionFormat = .openMetrics) async throws -> ParsedExposition {
        try await recordedExposition(runs: [(seed: 42, events: events)], format: format)
    }

    /// The exposition of several seeded workload runs (seed and event bound each) recorded in
    /// process into one registry, one run after the other (counters do not depend on the order).
    static func recordedExposition(
        runs: [(seed: UInt64, events: Int)], format: ExpositionFormat = .openMetrics
    ) async throws -> ParsedExposition {
        let events = runs.reduce(0) { $0 + $1.events }
        var configuration = SyntheticWorkload.configuration()
        configuration.maxSeriesPerMetric = 1000
        configuration.swiftMetrics = nil
        configuration.process.isEnabled = false
        configuration.runtime.isEnabled = false
        // Room for every event: the expectation must not drop any, however busy the machine.
        configuration.eventBufferSize = max(configuration.eventBufferSize, events * 2)
        let collectors = try await MetricsCollectors(
            configuration: configuration,
            logger: Logger(label: "demo-expectation", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let parsed = try await withThrowingTaskGroup(of: ParsedExposition?.self) { group in
            group.addTask {
                try await collectors.run()
                return nil
            }
            for run in runs {
                _ = await SyntheticWorkload(seed: run.seed).run(llm: collectors.llm, agent: collectors.agent, events: run.events)
            }
            await collectors.flush()
            let parsed = try await collectors.registry.parsedExposition(format)
            collectors.shutdown()
            for try await _ in group {}
            return parsed
        }
        return parsed
    }
}

