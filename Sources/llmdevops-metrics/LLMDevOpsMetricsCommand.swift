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
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import Logging
import ServiceLifecycle
import UnixSignals

/// `llmdevops-metrics [--config FILE] [--demo]`: loads the YAML configuration (with
/// `PROMETHEUS_METRICS_*` environment overrides), builds the registry and the HTTP service, and
/// runs them in a `ServiceGroup` until SIGTERM or SIGINT.
///
/// Exit status: 0 after a clean shutdown (or when `enabled: false`), 2 for a bad command line or
/// configuration (one line on stderr naming the key and the reason), 1 when the service fails.
@main
struct LLMDevOpsMetricsCommand {
    static let usage = """
        usage: llmdevops-metrics [--config FILE] [--demo]
          --config FILE  YAML configuration (default: Config/llmdevops-metrics.yaml)
          --demo         register a few demo counters and a histogram so /metrics has data
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
            if arguments.demo {
                try await DemoMetrics.register(in: registry)
                logger.info("Demo metrics registered")
            }
            let server = try await MetricsServer(configuration: configuration, registry: registry, logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [server],
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

    static func fail(_ message: String, status: Int32) -> Never {
        let line = Array("llmdevops-metrics: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(status)
    }
}

/// The parsed command line.
struct Arguments {
    struct Problem: Error {
        let message: String
    }

    var configPath = "Config/llmdevops-metrics.yaml"
    var demo = false
    var help = false

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
            case "-h", "--help":
                help = true
            default:
                throw Problem(message: "unknown argument '\(argument)' (try --help)")
            }
        }
    }
}
