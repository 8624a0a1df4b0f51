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
    ///
    /// The server is never cancelled, not even when `body` throws or the test is cancelled (its
    /// time limit): cancelling the task that serves drops connections NIO has accepted but not
    /// yet handed to Hummingbird, and their `NIOAsyncWriter` traps on deinit ("Deinited
    /// NIOAsyncWriter without calling finish()", apple/swift-nio#3481). So the server runs in a
    /// task of its own, and every way out of the test triggers graceful shutdown, which closes
    /// the listener and serves or closes every accepted connection, and waits for it.
    static func with<T: Sendable>(
        _ configuration: ServiceConfiguration,
        registry: RegistryActor = RegistryActor(),
        handler: MetricsHTTPHandler? = nil,
        _ body: @Sendable (RunningServer) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "test.server", factory: { _ in SwiftLogNoOpLogHandler() })
        let server = try await MetricsServer(configuration: configuration, registry: registry, handler: handler, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let serving = Task { try await group.run() }
        return try await withTaskCancellationHandler {
            let result: T
            do {
                let port = try #require(await server.boundPort(), "the server did not start")
                let running = RunningServer(
                    port: port, server: server, group: group, scheme: configuration.tls.enabled ? "https" : "http")
                result = try await body(running)
            } catch {
                await group.triggerGracefulShutdown()
                _ = await serving.result
                throw error
            }
            await group.triggerGracefulShutdown()
            try await serving.value
            return result
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
