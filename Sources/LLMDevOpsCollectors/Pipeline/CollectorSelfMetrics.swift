import LLMDevOpsMetrics

/// The collectors' own metrics: events offered and dropped per collector, and label values
/// that were folded into `other` / `_unknown`.
struct CollectorSelfMetrics: Sendable {
    static let eventsName = "llmdevops_collector_events_total"
    static let droppedName = "llmdevops_collector_events_dropped_total"
    static let overflowName = "llmdevops_collector_label_overflow_total"

    let events: CounterFamily
    let dropped: CounterFamily
    let overflow: CounterFamily

    static func register(in registry: RegistryActor) async throws(MetricsError) -> CollectorSelfMetrics {
        let events = try await registry.makeCounterFamily(
            name: eventsName,
            help: "Events offered to the collector's pipeline by record calls, whether buffered or dropped.",
            labelNames: ["collector"]
        )
        let dropped = try await registry.makeCounterFamily(
            name: droppedName,
            help: "Events dropped because the collector's bounded event buffer was full (or the pipeline had stopped).",
            labelNames: ["collector"]
        )
        let overflow = try await registry.makeCounterFamily(
            name: overflowName,
            help:
                "Events whose label value was not listed, aliased or admitted (or was refused by the secret screen) "
                + "and was folded into other or _unknown.",
            labelNames: ["metric", "label"]
        )
        return CollectorSelfMetrics(events: events, dropped: dropped, overflow: overflow)
    }

    /// A pipeline whose counters are resolved for `collector`.
    func makePipeline<Event: Sendable>(
        collector: String,
        capacity: Int,
        of: Event.Type = Event.self
    ) async throws(MetricsError) -> EventPipeline<Event> {
        EventPipeline(
            collector: collector,
            capacity: capacity,
            received: try await events.labels(["collector": collector]),
            dropped: try await dropped.labels(["collector": collector])
        )
    }
}
