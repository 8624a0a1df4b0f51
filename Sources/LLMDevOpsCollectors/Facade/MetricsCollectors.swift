public import LLMDevOpsMetrics
public import Logging
public import ServiceLifecycle
import Synchronization

/// The one object an application holds: the registry plus the LLM, agent, process, runtime
/// and swift-metrics collectors, built from a ``CollectorsConfiguration``.
///
/// ```swift
/// let metrics = try await MetricsCollectors(configuration: configuration, logger: logger)
/// let serviceGroup = ServiceGroup(services: [metrics, server], logger: logger)  // run() consumes events
/// await metrics.llm.recordRequest(model: "gpt-4o", status: .success, duration: .seconds(1.8),
///                                 inputTokens: 812, outputTokens: 240)
/// await metrics.agent.recordToolCall(agent: "support-router", tool: "search_docs", duration: .milliseconds(320))
/// ```
///
/// ``run()`` starts one consumer task per collector, off the main actor; it returns after a
/// graceful shutdown (once the queued events are applied) or when its task is cancelled.
public final class MetricsCollectors: Service, Sendable {
    /// The registry every collector writes to; render it for `/metrics`.
    public let registry: RegistryActor
    /// The LLM collector (`metrics.llm.recordRequest(...)`).
    public let llm: LLMCollector
    /// The agent collector (`metrics.agent.recordToolCall(...)`).
    public let agent: AgentCollector
    /// The swift-metrics backend, when configured; pass it to `MetricsSystem.bootstrap`.
    public let swiftMetricsFactory: RegistryMetricsFactory?
    /// The `/proc` process sampler, when enabled; ``run()`` runs it.
    package let process: ProcessCollector?
    /// The Swift runtime sampler, when enabled; ``run()`` runs it.
    package let runtime: RuntimeCollector?
    /// The configuration in effect: the one the collectors were built from, with the
    /// vocabulary of the last ``reload(_:)`` applied.
    public var configuration: CollectorsConfiguration {
        current.withLock { $0 }
    }
    let current: Lock<CollectorsConfiguration>
    /// The LLM collector's appliers and families; nil when it is disabled.
    let llmState: LLMState?
    /// The agent collector's appliers and families; nil when it is disabled.
    let agentState: AgentState?
    /// Serialises ``reload(_:)``.
    let reloading = ReloadGate()
    /// Where collector start and stop, and reloads, are logged; nil logs nothing.
    let logger: Logger?
    private let started = Atomic<Bool>(false)
    /// Finished by ``shutdown()``; `run()` lasts until then even when no collector consumes.
    private let stopped = AsyncStream.makeStream(of: Never.self)

    /// Validates the configuration, registers every enabled collector's metrics in `registry`
    /// (a new one from ``CollectorsConfiguration/registry`` when nil) and prepares the pipelines.
    /// Nothing runs until ``run()``. `logger` receives the collectors' start, stop and reloads,
    /// and is handed to the registry it creates and the swift-metrics backend; nil logs nothing.
    ///
    /// - Throws: ``CollectorsError`` for an invalid configuration or a metric the registry refuses.
    public init(
        configuration: CollectorsConfiguration = CollectorsConfiguration(),
        registry: RegistryActor? = nil,
        logger: Logger? = nil
    ) async throws(CollectorsError) {
        try configuration.validate()
        let registry = registry ?? RegistryActor(configuration: configuration.registry, logger: logger)
        self.registry = registry
        current = Lock(configuration)
        self.logger = logger
        let options = FamilyOptions(maxSeries: configuration.maxSeriesPerMetric)
        var latencyOptions = options
        latencyOptions.nativeHistogram = configuration.nativeHistograms
        do {
            let selfMetrics = try await CollectorSelfMetrics.register(in: registry)
            (llm, llmState) = try await Self.makeLLMCollector(
                configuration, registry: registry, options: options, latencyOptions: latencyOptions,
                selfMetrics: selfMetrics)
            (agent, agentState) = try await Self.makeAgentCollector(
                configuration, registry: registry, options: options, latencyOptions: latencyOptions,
                selfMetrics: selfMetrics)
            process = try await Self.makeProcessCollector(configuration, registry: registry)
            runtime = try await Self.makeRuntimeCollector(configuration, registry: registry)
        } catch {
            throw .registration(error)
        }
        swiftMetricsFactory = configuration.swiftMetrics.map {
            RegistryMetricsFactory(registry: registry, configuration: $0, logger: logger)
        }
    }

    private static func makeProcessCollector(
        _ configuration: CollectorsConfiguration,
        registry: RegistryActor
    ) async throws(MetricsError) -> ProcessCollector? {
        guard configuration.process.isEnabled else { return nil }
        return try await ProcessCollector(registry: registry, configuration: configuration.process)
    }

    private static func makeRuntimeCollector(
        _ configuration: CollectorsConfiguration,
        registry: RegistryActor
    ) async throws(MetricsError) -> RuntimeCollector? {
        guard configuration.runtime.isEnabled else { return nil }
        return try await RuntimeCollector(
            registry: registry, configuration: configuration.runtime, procRoot: configuration.process.procRoot,
            clock: registry.configuration.clock)
    }

    private static func makeLLMCollector(
        _ configuration: CollectorsConfiguration,
        registry: RegistryActor,
        options: FamilyOptions,
        latencyOptions: FamilyOptions,
        selfMetrics: CollectorSelfMetrics
    ) async throws(MetricsError) -> (LLMCollector, LLMState?) {
        let settings = configuration.llm
        guard settings.isEnabled else { return (LLMCollector(pipeline: nil, apply: nil), nil) }
        let families = try await LLMMetricFamilies.register(
            in: registry, options: options, latencyOptions: latencyOptions,
            exportsQueueDuration: settings.exportsQueueDuration,
            chargesTeams: !settings.teams.isEmpty)
        for model in settings.models {
            _ = try await families.modelInfo.labels(["model": model.name, "provider": model.provider, "family": model.family])
        }
        let overflow = OverflowCounter(selfMetrics.overflow)
        let generations = ApplierGenerations(LLMEventApplier.make(settings, families: families, overflow: overflow))
        let pipeline: EventPipeline<LLMEvent> = try await selfMetrics.makePipeline(
            collector: LLMCollector.collectorName, capacity: configuration.eventBufferSize)
        let collector = LLMCollector(pipeline: pipeline) { event in await generations.apply(event) }
        return (collector, LLMState(families: families, overflow: overflow, generations: generations))
    }

    private static func makeAgentCollector(
        _ configuration: CollectorsConfiguration,
        registry: RegistryActor,
        options: FamilyOptions,
        latencyOptions: FamilyOptions,
        selfMetrics: CollectorSelfMetrics
    ) async throws(MetricsError) -> (AgentCollector, AgentState?) {
        let settings = configuration.agent
        guard settings.isEnabled else { return (AgentCollector(pipeline: nil, apply: nil), nil) }
        let families = try await AgentMetricFamilies.register(
            in: registry, options: options, latencyOptions: latencyOptions)
        let overflow = OverflowCounter(selfMetrics.overflow)
        let generations = ApplierGenerations(AgentEventApplier.make(settings, families: families, overflow: overflow))
        let pipeline: EventPipeline<AgentEvent> = try await selfMetrics.makePipeline(
            collector: AgentCollector.collectorName, capacity: configuration.eventBufferSize)
        let collector = AgentCollector(pipeline: pipeline) { event in await generations.apply(event) }
        return (collector, AgentState(families: families, overflow: overflow, generations: generations))
    }

    /// Runs the consumers: one task per collector, plus the swift-metrics registrations, and the
    /// process and runtime samplers. On graceful shutdown the pipelines are finished, queued
    /// events are applied, the samplers stop, and `run()` returns. Runs on the global concurrent
    /// executor, never on the caller's actor.
    ///
    /// - Throws: ``CollectorsError/Code/alreadyRunning`` when called a second time.
    @concurrent
    public func run() async throws {
        guard started.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else {
            throw CollectorsError(.alreadyRunning, "MetricsCollectors.run() may be called once")
        }
        logger?.debug("collectors starting", metadata: ["llmdevops.buffer_size": "\(configuration.eventBufferSize)"])
        let llm = self.llm
        let agent = self.agent
        let factory = self.swiftMetricsFactory
        var samplers: [any Service] = []
        if let process { samplers.append(process) }
        if let runtime { samplers.append(runtime) }
        await withGracefulShutdownHandler {
            let stopped = self.stopped.stream
            await withDiscardingTaskGroup { group in
                // A service must not return before shutdown, even with every collector disabled.
                group.addTask { for await _ in stopped {} }
                group.addTask { await llm.consume() }
                group.addTask { await agent.consume() }
                if let factory {
                    group.addTask { await factory.run() }
                }
                for sampler in samplers {
                    // Each runs once, here: `started` guarantees it, so run() cannot throw.
                    group.addTask { try? await sampler.run() }
                }
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
        logger?.debug("collectors stopped")
    }

    /// Returns once every event recorded (and every swift-metrics handler created) before this
    /// call has been applied, and the process and runtime samplers have applied their first
    /// sample. Needs ``run()`` to be running.
    public func flush() async {
        await llm.flush()
        await agent.flush()
        await swiftMetricsFactory?.flush()
        await process?.wait(forSweep: 1)
        await runtime?.wait(forSweep: 1)
    }

    /// Finishes the pipelines and stops the samplers: ``run()`` applies what is queued and
    /// returns. Later events are dropped and counted.
    public func shutdown() {
        stopped.continuation.finish()
        llm.finish()
        agent.finish()
        swiftMetricsFactory?.finish()
        process?.finish()
        runtime?.finish()
    }
}
