import LLMDevOpsMetrics

/// The in-process agent collector behind `metrics.agent`: `record` puts the event into a bounded
/// buffer and returns; the consumer task started by ``MetricsCollectors/run()`` applies it.
///
/// Create it through ``MetricsCollectors``; use it through ``AgentEventRecording``.
public final class AgentCollector: AgentEventRecording {
    /// The `collector` label value of the pipeline self-metrics.
    public static let collectorName = "agent"

    private let pipeline: EventPipeline<AgentEvent>?
    private let makeApplier: (@Sendable () -> AgentEventApplier)?

    init(pipeline: EventPipeline<AgentEvent>?, makeApplier: (@Sendable () -> AgentEventApplier)?) {
        self.pipeline = pipeline
        self.makeApplier = makeApplier
    }

    /// Hands the event to the consumer; drops (and counts) it when the buffer is full. Does
    /// nothing when the collector is disabled.
    public func record(_ event: AgentEvent) async {
        pipeline?.yield(event)
    }

    /// Offers an event without `await`, for synchronous callers. Returns whether it was buffered.
    @discardableResult
    public func recordNow(_ event: AgentEvent) -> Bool {
        pipeline?.yield(event) ?? false
    }

    /// Returns once every event recorded before this call has been applied. Needs
    /// ``MetricsCollectors/run()`` to be running.
    public func flush() async {
        await pipeline?.flush()
    }

    /// Applies events until the pipeline finishes or the task is cancelled.
    func consume() async {
        guard let pipeline, let makeApplier else { return }
        let applier = makeApplier()
        await pipeline.consume { event in await applier.apply(event) }
    }

    func finish() {
        pipeline?.finish()
    }
}
