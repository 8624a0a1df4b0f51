/// An immutable applier of one collector's events for one vocabulary (a *generation*; see
/// ``ApplierGenerations``): ``LLMEventApplier`` and ``AgentEventApplier``.
protocol EventApplying: AnyObject, Sendable {
    associatedtype Event: Sendable

    /// Applies the steps of `event` from `step` on with cached series, without suspending;
    /// returns nil when every step ran, else where it stopped and what it needs.
    func apply(_ event: Event, from step: Int) -> ApplyMiss?
}
