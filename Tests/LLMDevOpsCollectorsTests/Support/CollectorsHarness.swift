import LLMDevOpsCollectors
import LLMDevOpsMetrics
import Logging

/// Builds collectors on a fresh registry, runs them for the duration of `body`, then shuts
/// them down and waits for `run()` to return.
func withRunningCollectors<Result: Sendable>(
    _ configuration: CollectorsConfiguration,
    registry: RegistryActor = RegistryActor(
        configuration: RegistryConfiguration(maxSeriesPerMetric: 2000, maxSeries: 60_000, cacheTTL: .zero)),
    _ body: (MetricsCollectors) async throws -> Result
) async throws -> Result {
    let metrics = try await MetricsCollectors(configuration: configuration, registry: registry, logger: .quiet)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await metrics.run() }
        let result = try await body(metrics)
        metrics.shutdown()
        try await group.waitForAll()
        return result
    }
}

extension Logger {
    /// A logger that discards everything.
    static let quiet = Logger(label: "llmdevops.tests", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// A configuration with only the event collectors, for pipeline tests.
func eventOnlyConfiguration(models: [String], agents: [AgentDefinition] = [], bufferSize: Int = 65_536) -> CollectorsConfiguration {
    var configuration = CollectorsConfiguration()
    configuration.llm.models = models.map { LLMModel($0, provider: "test", price: LLMPrice(inputPerMillion: 1, outputPerMillion: 2)) }
    configuration.agent.agents = agents
    configuration.process.isEnabled = false
    configuration.runtime.isEnabled = false
    configuration.swiftMetrics = nil
    configuration.eventBufferSize = bufferSize
    return configuration
}
