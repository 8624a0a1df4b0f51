/// What a running collector keeps for reloads: its families, its overflow counter and its
/// appliers (``ApplierGenerations``).
struct CollectorRuntime<Families: Sendable, Applier: EventApplying>: Sendable {
    let families: Families
    let overflow: OverflowCounter
    let generations: ApplierGenerations<Applier>
}

/// The LLM collector's runtime.
typealias LLMState = CollectorRuntime<LLMMetricFamilies, LLMEventApplier>
/// The agent collector's runtime.
typealias AgentState = CollectorRuntime<AgentMetricFamilies, AgentEventApplier>
