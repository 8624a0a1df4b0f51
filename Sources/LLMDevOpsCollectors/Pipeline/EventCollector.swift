/// An in-process collector: `record` applies the event on the caller's task when nothing is
/// queued (atomic updates of cached series; it suspends only to create a series it has not seen
/// yet), otherwise puts it into a bounded buffer that the consumer task started by
/// ``MetricsCollectors/run()`` applies in order. ``LLMCollector`` (behind
/// `metrics.llm`) and ``AgentCollector`` (behind `metrics.agent`) are its two forms.
///
/// Create it through ``MetricsCollectors``; use it through ``LLMEventRecording`` or
/// ``AgentEventRecording``.
public final class EventCollector<Event: Sendable>: Sendable {
    private let pipeline: EventPipeline<Event>?
    /// Applies one event with the shared, lock-free series caches; nil when the collector is
    /// disabled. Called by producers (direct path) and by the consumer (queued path).
    private let apply: (@Sendable (Event) async -> Void)?

    init(pipeline: EventPipeline<Event>?, apply: (@Sendable (Event) async -> Void)?) {
        self.pipeline = pipeline
        self.apply = apply
    }

    /// Applies the event before returning when no earlier event is still queued; otherwise
    /// hands it to the consumer, dropping (and counting) it when the buffer is full. After
    /// ``MetricsCollectors/shutdown()`` the event is dropped and counted. Does nothing when the
    /// collector is disabled.
    public func record(_ event: Event) async {
        guard let pipeline, let apply else { return }
        if pipeline.admitDirect() {
            await apply(event)
        } else {
            pipeline.yield(event)
        }
    }

    /// Offers an event without `await`, for synchronous callers: it always goes through the
    /// buffer to the consumer. Returns whether it was buffered.
    @discardableResult
    public func recordNow(_ event: Event) -> Bool {
        pipeline?.yield(event) ?? false
    }

    /// Returns once every event recorded before this call has been applied. Needs
    /// ``MetricsCollectors/run()`` to be running.
    public func flush() async {
        await pipeline?.flush()
    }

    /// Applies events until the pipeline finishes or the task is cancelled.
    func consume() async {
        guard let pipeline, let apply else { return }
        await pipeline.consume { event in await apply(event) }
    }

    func finish() {
        pipeline?.finish()
    }
}

/// The LLM collector behind `metrics.llm`.
public typealias LLMCollector = EventCollector<LLMEvent>
/// The agent collector behind `metrics.agent`.
public typealias AgentCollector = EventCollector<AgentEvent>

extension EventCollector: LLMEventRecording where Event == LLMEvent {
    /// The `collector` label value of the LLM pipeline's self-metrics.
    public static var collectorName: String { "llm" }
}

extension EventCollector: AgentEventRecording where Event == AgentEvent {
    /// The `collector` label value of the agent pipeline's self-metrics.
    public static var collectorName: String { "agent" }
}
