import Hummingbird
import LLMDevOpsMetrics
import Logging
import ServiceLifecycle
import Testing

/// An application's own Hummingbird server, as the embedded pattern runs it: `router` served
/// on 127.0.0.1 at a port the system picks.
enum RunningApplication {
    /// Starts the application, runs `body` with the bound port, then shuts it down gracefully
    /// and waits for it, also when `body` throws.
    static func with<T: Sendable>(
        _ router: Router<BasicRequestContext>,
        _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let port = Lock<Int?>(nil)
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let logger = Logger(label: "test.app", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                port.withLock { $0 = channel.localAddress?.port }
                startedContinuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for await _ in started {}
            let result: T
            do {
                let bound = try #require(port.withLock { $0 })
                result = try await body(bound)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}
