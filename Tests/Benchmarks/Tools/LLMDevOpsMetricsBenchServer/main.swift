// HTTP load, our side: the service's `MetricsServer` (public API of LLMDevOpsMetricsServer) over
// the W6 registry shape, on 127.0.0.1 and a free port.
//
//   LLMDevOpsMetricsBenchServer --cache on|off [--series 10000]
//
// Prints `port=<n>` on stdout once listening; stops on SIGTERM or SIGINT. The configuration is
// the service's defaults except: port 0, the exposition cache on (default TTL) or off, no rate
// limit, and room for 64 concurrent scrapes (the load generator keeps 16 connections busy;
// the default of 10 would answer some of them 503).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BenchmarkWorkloads
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import Logging
import ServiceLifecycle

/// Writes to standard error without touching the C `stderr` global (not concurrency-safe in Swift 6).
func writeError(_ message: String) {
    let bytes = Array(message.utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    writeError("LLMDevOpsMetricsBenchServer: \(message)\nusage: LLMDevOpsMetricsBenchServer --cache on|off [--series N]\n")
    exit(2)
}

var cache: Bool?
var series = 10_000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--cache":
        switch arguments.popFirst() {
        case "on": cache = true
        case "off": cache = false
        default: fail("--cache needs on or off")
        }
    case "--series":
        guard let value = arguments.popFirst().flatMap(Int.init), value >= 100 else { fail("--series needs a number >= 100") }
        series = value
    default: fail("unknown argument '\(argument)'")
    }
}
guard let cache else { fail("--cache is required") }

var configuration = ServiceConfiguration()
configuration.endpoint.host = "127.0.0.1"
configuration.endpoint.port = 0
configuration.cache.enabled = cache
configuration.rateLimit.enabled = false
configuration.limits.maxConcurrentScrapes = 64

// As the service's command does: the cache section sets the registry's exposition cache TTL.
var registryConfiguration = Contenders.oursConfiguration
registryConfiguration.cacheTTL = cache ? .milliseconds(configuration.cache.ttlMilliseconds) : .zero

var logger = Logger(label: "llmdevops-metrics-bench-server")
logger.logLevel = .warning
do {
    let registry = try await Contenders.ours(series: series, configuration: registryConfiguration)
    let server = try await MetricsServer(configuration: configuration, registry: registry, logger: logger)
    let group = ServiceGroup(
        configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        tasks.addTask {
            guard let port = await server.boundPort() else { return }
            print("port=\(port)")
            fflush(nil)
        }
        try await tasks.waitForAll()
    }
} catch {
    writeError("LLMDevOpsMetricsBenchServer: \(error)\n")
    exit(1)
}
