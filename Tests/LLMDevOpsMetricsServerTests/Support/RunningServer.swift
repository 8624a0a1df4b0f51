import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import Logging
import ServiceLifecycle
import Testing

/// A ``MetricsServer`` listening on a free loopback port for the duration of a test.
struct RunningServer: Sendable {
    let port: Int
    let server: MetricsServer
    let group: ServiceGroup
    let scheme: String

    var handler: MetricsHTTPHandler { server.handler }

    func url(_ path: String) -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    /// A configuration for tests: port 0, no rate limit unless asked.
    static func configuration(_ adjust: (inout ServiceConfiguration) -> Void = { _ in }) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        configuration.endpoint.port = 0
        configuration.rateLimit.enabled = false
        adjust(&configuration)
        return configuration
    }

    /// Starts the server, runs `body`, then shuts the server down gracefully and waits for it.
    static func with<T: Sendable>(
        _ configuration: ServiceConfiguration,
        registry: RegistryActor = RegistryActor(),
        handler: MetricsHTTPHandler? = nil,
        _ body: @Sendable (RunningServer) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "test.server", factory: { _ in SwiftLogNoOpLogHandler() })
        let server = try await MetricsServer(configuration: configuration, registry: registry, handler: handler, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            let port = try #require(await server.boundPort(), "the server did not start")
            let running = RunningServer(
                port: port, server: server, group: group, scheme: configuration.tls.enabled ? "https" : "http")
            let result: T
            do {
                result = try await body(running)
            } catch {
                await group.triggerGracefulShutdown()
                tasks.cancelAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            for try await _ in tasks {}
            return result
        }
    }
}
