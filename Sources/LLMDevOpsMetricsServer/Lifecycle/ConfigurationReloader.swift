public import LLMDevOpsMetrics
public import Logging

/// Re-reads the configuration (on SIGHUP in the service) and applies what can change at
/// runtime through ``MetricsHTTPHandler/reload(_:)``: `auth` and `rate_limit`. Other changed
/// sections are named in one log line (they need a restart). A file that does not load, or
/// tokens that cannot be used, keep the previous configuration and log one line with the
/// reason. Counts `llmdevops_exporter_config_reloads_total{result="success"|"failure"}`.
///
/// ```swift
/// let reloader = try await ConfigurationReloader(handler: server.handler, registry: registry, logger: logger) {
///     try ServiceConfigurationLoader(environment: environment).load(path: path)
/// }
/// for await _ in signals { await reloader.reload() }
/// ```
public struct ConfigurationReloader: Sendable {
    private let handler: MetricsHTTPHandler
    private let load: @Sendable () throws -> ServiceConfiguration
    private let successes: CounterMetric
    private let failures: CounterMetric
    private let logger: Logger

    /// Creates the reloader and registers its counter (both series start at 0).
    public init(
        handler: MetricsHTTPHandler,
        registry: RegistryActor,
        logger: Logger,
        load: @escaping @Sendable () throws -> ServiceConfiguration
    ) async throws(MetricsError) {
        self.handler = handler
        self.load = load
        self.logger = logger
        let family = try await registry.makeCounterFamily(
            name: "llmdevops_exporter_config_reloads_total",
            help: "Configuration reloads (SIGHUP), by result; a failed reload keeps the previous configuration.",
            labelNames: ["result"]
        )
        successes = try await family.labels(values: ["success"])
        failures = try await family.labels(values: ["failure"])
    }

    /// Loads and applies the configuration; returns whether it was applied.
    @discardableResult
    public func reload() async -> Bool {
        let configuration: ServiceConfiguration
        do {
            configuration = try load()
        } catch {
            return fail("\(error)")
        }
        let restartKeys: [String]
        do {
            restartKeys = try handler.reload(configuration)
        } catch {
            return fail(error.description)
        }
        successes.increment()
        logger.notice(
            "Configuration reloaded",
            metadata: [
                "llmdevops.config.applied": "\(MetricsHTTPHandler.reloadableKeys.joined(separator: ","))",
                "llmdevops.auth.enabled": "\(configuration.auth.enabled)",
            ])
        if !restartKeys.isEmpty {
            logger.warning(
                "Configuration changes that need a restart were not applied",
                metadata: ["llmdevops.config.restart_required": "\(restartKeys.joined(separator: ","))"])
        }
        return true
    }

    private func fail(_ reason: String) -> Bool {
        failures.increment()
        let line = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
        logger.error(
            "Configuration reload failed; keeping the previous configuration",
            metadata: ["llmdevops.config.error": "\(line)"])
        return false
    }
}
