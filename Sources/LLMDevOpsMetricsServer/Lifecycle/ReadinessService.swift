public import LLMDevOpsMetrics
public import Logging
public import ServiceLifecycle

/// Drives ``ReadinessState``: performs the registry's first collection and marks the service
/// ready, then waits for graceful shutdown, marks it draining and holds for the shutdown delay
/// (so `/ready` answers 503 while the listener still serves) before returning.
///
/// Run it after the HTTP server in the same `ServiceGroup`: the group shuts services down in
/// reverse order, so this one drains before the listener closes.
public struct ReadinessService: Service {
    private let registry: RegistryActor
    private let readiness: ReadinessState
    private let shutdownDelay: Duration
    private let logger: Logger

    /// Creates the service.
    public init(registry: RegistryActor, readiness: ReadinessState, shutdownDelay: Duration = .zero, logger: Logger) {
        self.registry = registry
        self.readiness = readiness
        self.shutdownDelay = shutdownDelay
        self.logger = logger
    }

    /// Runs until graceful shutdown has been requested and the delay has passed.
    public func run() async throws {
        // The first collection: renders every family, runs every pull collector once and fills the cache.
        _ = await registry.exposition(.prometheusText)
        if !Task.isShuttingDownGracefully {
            readiness.markReady()
            logger.info("Ready", metadata: ["llmdevops.readiness": "ready"])
        }
        try? await gracefulShutdown()
        readiness.markDraining()
        logger.info(
            "Graceful shutdown started; not ready",
            metadata: ["llmdevops.shutdown.delay_ms": "\(shutdownDelay.milliseconds)"])
        if shutdownDelay > .zero {
            // Ignore cancellation of the sleep: the delay ends early only if the group is cancelled.
            try? await Task.sleep(for: shutdownDelay)
        }
    }
}
