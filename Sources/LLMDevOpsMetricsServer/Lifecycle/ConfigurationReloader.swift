public import LLMDevOpsCollectors
public import LLMDevOpsMetrics
public import Logging

/// Re-reads the configuration (on SIGHUP in the service) and applies what can change at
/// runtime: `auth` and `rate_limit` through ``MetricsHTTPHandler/reload(_:)``, and, when it is
/// given the collectors, the `llm` and `agent` vocabularies through `MetricsCollectors.reload(_:)`
/// (models, aliases, prices and `prices_file`, fallback chains, teams, agents, tools,
/// guardrails, caps and admission limits). Other changed sections, and vocabulary changes that
/// would alter a metric's labels (`llm.teams` from empty to non-empty or back,
/// `llm.export_queue_duration`), are named in one log line (they need a restart). A file that
/// does not load, or tokens that cannot be used, keep the previous configuration (all of it)
/// and log one line with the reason. Counts
/// `llmdevops_exporter_config_reloads_total{result="success"|"failure"}`.
///
/// ```swift
/// let reloader = try await ConfigurationReloader(handler: server.handler, registry: registry, logger: logger) {
///     try ServiceConfigurationLoader(environment: environment).load(path: path)
/// }
/// for await _ in signals { await reloader.reload() }
/// ```
public struct ConfigurationReloader: Sendable {
    private let handler: MetricsHTTPHandler
    private let collectors: MetricsCollectors?
    private let load: @Sendable () throws -> ServiceConfiguration
    private let successes: CounterMetric
    private let failures: CounterMetric
    private let logger: Logger

    /// Creates the reloader and registers its counter (both series start at 0).
    ///
    /// - Parameters:
    ///   - handler: The HTTP handler whose `auth` and `rate_limit` a reload replaces.
    ///   - registry: Where `llmdevops_exporter_config_reloads_total` is registered.
    ///   - logger: Receives one line per reload (applied, failed, or needing a restart).
    ///   - collectors: The collectors whose vocabulary a reload applies; nil leaves the
    ///     vocabulary alone (the service passes nil with `--demo`, whose vocabulary is the
    ///     synthetic workload's).
    ///   - load: Reads and validates the configuration (the file and the environment).
    public init(
        handler: MetricsHTTPHandler,
        registry: RegistryActor,
        logger: Logger,
        collectors: MetricsCollectors? = nil,
        load: @escaping @Sendable () throws -> ServiceConfiguration
    ) async throws(MetricsError) {
        self.handler = handler
        self.collectors = collectors
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
        // The vocabulary is checked before anything is applied, so a failure changes nothing.
        let vocabulary = collectors.map { configuration.applyingCollectorSettings(to: $0.configuration) }
        do {
            try vocabulary?.validate()
        } catch {
            return fail(Self.vocabularyFailure(error))
        }
        var restartKeys: [String]
        do {
            restartKeys = try handler.reload(configuration)
        } catch {
            return fail(error.description)
        }
        var applied = MetricsHTTPHandler.reloadableKeys
        if let collectors, let vocabulary {
            // Validated above, so this cannot throw; a failure would still be reported.
            do {
                for key in try await collectors.reload(vocabulary) {
                    let yamlKey = Self.yamlKey(forCollectorsKey: key)
                    if !restartKeys.contains(yamlKey) { restartKeys.append(yamlKey) }
                }
            } catch {
                return fail(Self.vocabularyFailure(error))
            }
            applied += ["prometheus_metrics.llm", "prometheus_metrics.agent"]
        }
        successes.increment()
        logger.notice(
            "Configuration reloaded",
            metadata: [
                "llmdevops.config.applied": "\(applied.joined(separator: ","))",
                "llmdevops.auth.enabled": "\(configuration.auth.enabled)",
            ])
        if !restartKeys.isEmpty {
            logger.warning(
                "Configuration changes that need a restart were not applied",
                metadata: ["llmdevops.config.restart_required": "\(restartKeys.joined(separator: ","))"])
        }
        return true
    }

    /// The YAML key of a setting `MetricsCollectors.reload(_:)` reports as needing a restart.
    static func yamlKey(forCollectorsKey key: String) -> String {
        switch key {
        case "llm.isEnabled", "agent.isEnabled", "process.isEnabled", "runtime.isEnabled":
            "prometheus_metrics.collectors"
        case "maxSeriesPerMetric": "prometheus_metrics.cardinality"
        case "llm.exportsQueueDuration": "prometheus_metrics.llm.export_queue_duration"
        case "llm.teams": "prometheus_metrics.llm.teams"
        case "nativeHistograms": "prometheus_metrics.native_histograms"
        default: "prometheus_metrics.\(key)"
        }
    }

    /// The reason logged for a vocabulary the collectors refused: the YAML key when there is one.
    static func vocabularyFailure(_ error: CollectorsError) -> String {
        let key = error.key.map { "prometheus_metrics.\($0)" } ?? "prometheus_metrics"
        return "configuration error: \(key): \(error.detail)"
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
