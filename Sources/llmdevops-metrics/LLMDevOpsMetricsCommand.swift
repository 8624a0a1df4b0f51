#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import Logging
import ServiceLifecycle
import UnixSignals

/// `llmdevops-metrics [--config FILE] [--demo | --demo-events N] [--demo-seed S] [--render-once]`: loads the YAML
/// configuration (with `PROMETHEUS_METRICS_*` environment overrides), builds the registry, the
/// enabled collectors and the HTTP service, and runs them in a `ServiceGroup` until SIGTERM or
/// SIGINT. SIGHUP re-reads the configuration file (and the environment overrides) and applies
/// `auth` and `rate_limit` at once; other changes need a restart.
///
/// Exit status: 0 after a clean shutdown (or when `enabled: false`), 2 for a bad command line or
/// configuration (one line on stderr naming the key and the reason), 1 when the service fails.
@main
struct LLMDevOpsMetricsCommand {
    static let usage = """
        usage: llmdevops-metrics [--config FILE] [--demo | --demo-events N] [--demo-rate R] [--demo-seed S]
                                 [--render-once]
          --config FILE     YAML configuration (default: Config/llmdevops-metrics.yaml)
          --demo            stream synthetic LLM and agent traffic (METRICS-CATALOG.md section 8)
          --demo-events N   emit exactly N seeded synthetic events, then keep serving
          --demo-rate R     events per second for --demo (default 200); paces --demo-events N too
          --demo-seed S     seed of the synthetic events (default 42); the same seed emits the same events
          --render-once     collect once, print the OpenMetrics exposition to stdout and exit
        Environment variables named after a key path override it, e.g. PROMETHEUS_METRICS_ENDPOINT_PORT=9100.
        """

    static func main() async {
        let arguments: Arguments
        do {
            arguments = try Arguments(CommandLine.arguments.dropFirst())
        } catch {
            fail("\(error.message)", status: 2)
        }
        if arguments.help {
            print(usage)
            return
        }

        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfigurationLoader(environment: ProcessInfo.processInfo.environment)
                .load(path: arguments.configPath)
        } catch {
            fail("\(error)", status: 2)
        }

        let level = Logger.Level(rawValue: configuration.logging.level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "llmdevops-metrics")

        guard configuration.enabled else {
            logger.notice("The metrics endpoint is disabled (prometheus_metrics.enabled: false); nothing to serve")
            return
        }

        let registry = RegistryActor(
            configuration: RegistryConfiguration(
                maxSeriesPerMetric: configuration.cardinality.maxPerMetric,
                maxSeries: configuration.cardinality.totalLimit,
                cacheTTL: configuration.cache.enabled ? .milliseconds(configuration.cache.ttlMilliseconds) : .zero
            ),
            logger: logger
        )
        do {
            let collectors = try await MetricsCollectors(
                configuration: collectorsConfiguration(configuration, demo: arguments.isDemo),
                registry: registry,
                logger: logger
            )
            let server = try await MetricsServer(configuration: configuration, registry: registry, logger: logger)
            var services: [any Service] = [collectors, server]
            if configuration.sidecar.enabled {
                // After the server in the list, so a graceful shutdown drains it first (in
                // reverse order) while the collectors still apply what it reads.
                services.append(
                    try await SidecarListener(
                        configuration: configuration.sidecar, llm: collectors.llm, agent: collectors.agent,
                        registry: registry, logger: logger))
            }
            if arguments.isDemo {
                services.append(
                    DemoWorkloadService(
                        collectors: collectors,
                        events: arguments.demoEvents,
                        eventsPerSecond: arguments.demoRate,
                        seed: arguments.demoSeed,
                        logger: logger
                    )
                )
            }
            if !arguments.renderOnce {
                // Trap SIGHUP before anything is served, so a reload signal never kills the process.
                let environment = ProcessInfo.processInfo.environment
                let path = arguments.configPath
                let reloader = try await ConfigurationReloader(handler: server.handler, registry: registry, logger: logger) {
                    try ServiceConfigurationLoader(environment: environment).load(path: path)
                }
                services.append(ReloadOnHangupService(signals: await UnixSignalsSequence(trapping: .sighup), reloader: reloader))
            }
            if arguments.renderOnce {
                try await renderOnce(
                    collectors: collectors, registry: registry, demoEvents: arguments.demoEvents,
                    seed: arguments.demoSeed)
                return
            }
            let group = ServiceGroup(
                configuration: .init(
                    services: services,
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
            logger.info("Stopped")
        } catch {
            fail("\(error)", status: 1)
        }
    }

    /// The collectors the configuration enables; `--demo` adds the synthetic workload's model
    /// allow-list, prices, agents and tools.
    static func collectorsConfiguration(_ configuration: ServiceConfiguration, demo: Bool) -> CollectorsConfiguration {
        var collectors = demo ? SyntheticWorkload.configuration() : CollectorsConfiguration()
        collectors.llm.isEnabled = configuration.collectors.llm
        collectors.agent.isEnabled = configuration.collectors.agent
        collectors.process.isEnabled = configuration.collectors.process
        collectors.runtime = RuntimeCollectorConfiguration(
            isEnabled: configuration.collectors.runtime,
            version: BuildVersion.current
        )
        collectors.maxSeriesPerMetric = configuration.cardinality.maxPerMetric
        collectors.nativeHistograms = configuration.nativeHistograms.options
        // The service exposes its own metrics over HTTP; the swift-metrics backend is for apps.
        collectors.swiftMetrics = nil
        return collectors
    }

    /// `--render-once`: runs the collectors, applies the bounded demo workload if asked, and
    /// prints one OpenMetrics exposition (what a scrape would get) to stdout.
    static func renderOnce(
        collectors: MetricsCollectors, registry: RegistryActor, demoEvents: Int?, seed: UInt64
    ) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await collectors.run() }
            if let demoEvents {
                _ = await SyntheticWorkload(seed: seed).run(
                    llm: collectors.llm, agent: collectors.agent, events: demoEvents)
            }
            await collectors.flush()
            let body = await registry.render(.openMetrics)
            _ = body.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            collectors.shutdown()
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        let line = Array("llmdevops-metrics: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(status)
    }
}

/// Reloads the configuration on every SIGHUP until graceful shutdown.
struct ReloadOnHangupService: Service {
    let signals: UnixSignalsSequence
    let reloader: ConfigurationReloader

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            await reloader.reload()
        }
    }
}

/// The parsed command line.
struct Arguments {
    struct Problem: Error {
        let message: String
    }

    var configPath = "Config/llmdevops-metrics.yaml"
    var demo = false
    var demoEvents: Int?
    /// `--demo-rate`: nil streams `--demo` at 200 events/s and runs `--demo-events` unpaced.
    var demoRate: Double?
    /// `--demo-seed`: the synthetic workload's seed (replicas given different seeds emit different traffic).
    var demoSeed: UInt64 = 42
    var renderOnce = false
    var help = false

    /// Whether a synthetic workload runs (`--demo` or `--demo-events`).
    var isDemo: Bool { demo || demoEvents != nil }

    init(_ arguments: ArraySlice<String>) throws(Problem) {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--config":
                guard let path = remaining.popFirst(), !path.isEmpty else {
                    throw Problem(message: "--config needs a file argument")
                }
                configPath = path
            case _ where argument.hasPrefix("--config="):
                configPath = String(argument.dropFirst("--config=".count))
            case "--demo":
                demo = true
            case "--demo-events":
                guard let value = remaining.popFirst(), let events = Int(value), events >= 0 else {
                    throw Problem(message: "--demo-events needs a number of events (0 or more)")
                }
                demoEvents = events
            case "--demo-rate":
                guard let value = remaining.popFirst(), let rate = Double(value), rate > 0, rate.isFinite else {
                    throw Problem(message: "--demo-rate needs a positive number of events per second")
                }
                demoRate = rate
            case "--demo-seed":
                guard let value = remaining.popFirst(), let seed = UInt64(value) else {
                    throw Problem(message: "--demo-seed needs a non-negative integer seed")
                }
                demoSeed = seed
            case "--render-once":
                renderOnce = true
            case "-h", "--help":
                help = true
            default:
                throw Problem(message: "unknown argument '\(argument)' (try --help)")
            }
        }
    }
}
