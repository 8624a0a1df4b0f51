/// An element of a sampler's stream (``ProcessSample``, ``RuntimeSample``): the cases a
/// ``BlockingSweeper`` produces itself, and the sweep a `finished` element ends.
protocol SweepSample: Sendable {
    /// What a sweep reads.
    associatedtype Source: Hashable & Sendable

    /// The read of `source` that sweep `sweep` started had not returned at the next tick.
    static func stalled(_ source: Source, sweep: UInt64) -> Self
    /// Sweep `sweep` could not read `source` at all (no thread could be started).
    static func unread(_ source: Source, sweep: UInt64) -> Self
    /// Sweep `sweep` has handed on every source it read.
    static func finished(sweep: UInt64) -> Self
    /// The sweep this element finishes, or nil.
    var finishedSweep: UInt64? { get }
}
