import Foundation
import LLMDevOpsMetricsTesting
import Testing

/// `--demo-seed S` (issue 18): the service's synthetic workload runs with seed S, so replicas
/// given different seeds emit different but reproducible traffic.
@Suite struct DemoSeedTests {
    static let families = [
        "llmdevops_llm_requests_total", "llmdevops_llm_tokens_total", "llmdevops_agent_executions_total",
        "llmdevops_agent_tool_calls_total",
    ]

    /// The counter samples of `families`, by name and labels.
    static func counters(_ exposition: ParsedExposition) -> [String: Double] {
        var values: [String: Double] = [:]
        for sample in exposition.samples where families.contains(sample.name) {
            let labels = sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            values["\(sample.name){\(labels)}"] = sample.value
        }
        return values
    }

    /// `--render-once` with a seed prints exactly what that seeded workload records in process,
    /// and not what the default seed records.
    @Test func renderOnceWithASeedMatchesThatSeedsWorkload() async throws {
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "config.yaml", "prometheus_metrics:\n  cardinality: { max_per_metric: 1000, total_limit: 50000 }\n")
        let events = 2000
        let result = try await ChildProcess.run(
            executable, ["--config", config, "--demo-events", "\(events)", "--demo-seed", "7", "--render-once"],
            directory: directory.url, timeout: .seconds(60))
        try #require(result.status == 0, "\(result.error)")
        let rendered = Self.counters(try ExpositionParser.parse(result.output, syntax: .openMetrics))
        let seven = Self.counters(try await DemoExpectation.recordedExposition(runs: [(seed: 7, events: events)]))
        let fortyTwo = Self.counters(try await DemoExpectation.recordedExposition(events: events))
        try #require(rendered.count > 50)
        #expect(rendered == seven)
        #expect(rendered != fortyTwo)
    }

    @Test(arguments: [["--demo-seed"], ["--demo-seed", "-1"], ["--demo-seed", "seven"], ["--demo-seed", "1.5"],
                      ["--demo-seed", "18446744073709551616"]])
    func aBadSeedExits2WithOneLine(arguments: [String]) async throws {
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let result = try await ChildProcess.run(
            executable, ["--demo-events", "10"] + arguments, directory: directory.url)
        #expect(result.status == 2)
        #expect(result.error == "llmdevops-metrics: --demo-seed needs a non-negative integer seed\n")
    }
}
