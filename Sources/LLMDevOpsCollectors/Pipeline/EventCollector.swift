/// An in-process collector: `record` puts the event into a bounded buffer and returns; the
/// consumer task started by ``MetricsCollectors/run()`` applies it. ``LLMCollector`` (behind
/// `metrics.llm`) and ``AgentCollector`` (behind `metrics.agent`) are its two forms.
///
/// Create it through ``MetricsCollectors``; use it through ``LLMEventRecording`` or
/// ``AgentEventRecording``.
public final class EventCollector<Event: Sendable>: Sendable {
    private let pipeline: EventPipeline<Event>?
    /// Makes the consumer's state (its cached series handles) and returns the function that
    /// applies one event with it; nil when the collector is disabled.
    private let makeApply: (@Sendable () -> (Event) async -> Void)?

    init(pipeline: EventPipeline<Event>?, makeApply: (@Sendable () -> (Event) async -> Void)?) {
        self.pipeline = pipeline
        self.makeApply = makeApply
    }

    /// Hands the event to the consumer; drops (and counts) it when the buffer is full. Does
    /// nothing when the collector is disabled.
    public func record(_ event: Event) async {
        pipeline?.yield(event)
    }

    /// Offers an event without `await`, for synchronous callers. Returns whether it was buffered.
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
        guard let pipeline, let makeApply else { return }
        let apply = makeApply()
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
