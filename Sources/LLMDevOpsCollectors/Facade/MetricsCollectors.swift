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
    /// The configuration the collectors were built from.
    public let configuration: CollectorsConfiguration
    private let logger: Logger
    private let started = Atomic<Bool>(false)
    /// Finished by ``shutdown()``; `run()` lasts until then even when no collector consumes.
    private let stopped = AsyncStream.makeStream(of: Never.self)

    /// Validates the configuration, registers every enabled collector's metrics in `registry`
    /// (a new one from ``CollectorsConfiguration/registry`` when nil) and prepares the pipelines.
    /// Nothing runs until ``run()``.
    ///
    /// - Throws: ``CollectorsError`` for an invalid configuration or a metric the registry refuses.
    public init(
        configuration: CollectorsConfiguration = CollectorsConfiguration(),
        registry: RegistryActor? = nil,
        logger: Logger
    ) async throws(CollectorsError) {
        try configuration.validate()
        let registry = registry ?? RegistryActor(configuration: configuration.registry, logger: logger)
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        let options = FamilyOptions(maxSeries: configuration.maxSeriesPerMetric)
        var latencyOptions = options
        latencyOptions.nativeHistogram = configuration.nativeHistograms
        do {
            let selfMetrics = try await CollectorSelfMetrics.register(in: registry)
            llm = try await Self.makeLLMCollector(
                configuration, registry: registry, options: options, latencyOptions: latencyOptions,
                selfMetrics: selfMetrics)
            agent = try await Self.makeAgentCollector(
                configuration, registry: registry, options: options, latencyOptions: latencyOptions,
                selfMetrics: selfMetrics)
            if configuration.process.isEnabled {
                try await registry.register(collector: ProcessCollector(procRoot: configuration.process.procRoot))
            }
            if configuration.runtime.isEnabled {
                try await registry.register(
                    collector: RuntimeCollector(
                        configuration: configuration.runtime, procRoot: configuration.process.procRoot,
                        clock: registry.configuration.clock))
            }
        } catch {
            throw .registration(error)
        }
        swiftMetricsFactory = configuration.swiftMetrics.map {
            RegistryMetricsFactory(registry: registry, configuration: $0, logger: logger)
        }
    }

    private static func makeLLMCollector(
        _ configuration: CollectorsConfiguration,
        registry: RegistryActor,
        options: FamilyOptions,
        latencyOptions: FamilyOptions,
        selfMetrics: CollectorSelfMetrics
    ) async throws(MetricsError) -> LLMCollector {
        let settings = configuration.llm
        guard settings.isEnabled else { return LLMCollector(pipeline: nil, apply: nil) }
        let families = try await LLMMetricFamilies.register(
            in: registry, options: options, latencyOptions: latencyOptions,
            exportsQueueDuration: settings.exportsQueueDuration,
            chargesTeams: !settings.teams.isEmpty)
        for model in settings.models {
            _ = try await families.modelInfo.labels(["model": model.name, "provider": model.provider, "family": model.family])
        }
        let models = LabelVocabulary(settings.models.map(\.name), fallback: "other")
        let teams = settings.teams.isEmpty ? nil : LabelVocabulary(settings.teams, fallback: "other")
        var prices: [LLMPrice?] = settings.models.map(\.price)
        prices.append(nil)  // `other`
        var pairs = Set<Int>()
        for chain in settings.fallbackChains {
            for (position, from) in chain.enumerated() {
                for to in chain.dropFirst(position + 1) {
                    pairs.insert(models.resolve(from).index * models.size + models.resolve(to).index)
                }
            }
        }
        let pipeline: EventPipeline<LLMEvent> = try await selfMetrics.makePipeline(
            collector: LLMCollector.collectorName, capacity: configuration.eventBufferSize)
        let applier = LLMEventApplier(
            families: families, models: models, teams: teams, prices: prices, fallbackPairs: pairs,
            overflow: OverflowCounter(selfMetrics.overflow))
        return LLMCollector(pipeline: pipeline) { event in await applier.apply(event) }
    }

    private static func makeAgentCollector(
        _ configuration: CollectorsConfiguration,
        registry: RegistryActor,
        options: FamilyOptions,
        latencyOptions: FamilyOptions,
        selfMetrics: CollectorSelfMetrics
    ) async throws(MetricsError) -> AgentCollector {
        let settings = configuration.agent
        guard settings.isEnabled else { return AgentCollector(pipeline: nil, apply: nil) }
        let families = try await AgentMetricFamilies.register(
            in: registry, options: options, latencyOptions: latencyOptions)
        let vocabulary = AgentVocabulary(configuration: settings)
        let pipeline: EventPipeline<AgentEvent> = try await selfMetrics.makePipeline(
            collector: AgentCollector.collectorName, capacity: configuration.eventBufferSize)
        let applier = AgentEventApplier(families: families, vocabulary: vocabulary, overflow: OverflowCounter(selfMetrics.overflow))
        return AgentCollector(pipeline: pipeline) { event in await applier.apply(event) }
    }

    /// Runs the consumers: one task per collector, plus the swift-metrics registrations. On
    /// graceful shutdown the pipelines are finished, queued events are applied, and `run()`
    /// returns. Runs on the global concurrent executor, never on the caller's actor.
    ///
    /// - Throws: ``CollectorsError/Code/alreadyRunning`` when called a second time.
    @concurrent
    public func run() async throws {
        guard started.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else {
            throw CollectorsError(.alreadyRunning, "MetricsCollectors.run() may be called once")
        }
        logger.debug("collectors starting", metadata: ["llmdevops.buffer_size": "\(configuration.eventBufferSize)"])
        let llm = self.llm
        let agent = self.agent
        let factory = self.swiftMetricsFactory
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
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
        logger.debug("collectors stopped")
    }

    /// Returns once every event recorded (and every swift-metrics handler created) before this
    /// call has been applied. Needs ``run()`` to be running.
    public func flush() async {
        await llm.flush()
        await agent.flush()
        await swiftMetricsFactory?.flush()
    }

    /// Finishes the pipelines: ``run()`` applies what is queued and returns. Later events are
    /// dropped and counted.
    public func shutdown() {
        stopped.continuation.finish()
        llm.finish()
        agent.finish()
        swiftMetricsFactory?.finish()
    }
}
