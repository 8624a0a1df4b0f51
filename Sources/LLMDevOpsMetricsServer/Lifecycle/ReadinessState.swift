import Synchronization

/// What `/ready` reports: not ready while starting, ready once the registry has produced its
/// first collection, not ready again as soon as a graceful shutdown begins (and for good).
///
/// ```swift
/// let readiness = ReadinessState()
/// _ = await registry.exposition(.prometheusText)   // first collection
/// readiness.markReady()
/// ```
public final class ReadinessState: Sendable {
    /// The phases, in the only order they can happen.
    public enum Phase: UInt8, Sendable {
        /// Before the first collection.
        case starting = 0
        /// Serving.
        case ready = 1
        /// Graceful shutdown has begun.
        case draining = 2
    }

    private let phase = Atomic<UInt8>(Phase.starting.rawValue)

    /// Creates a state in ``Phase/starting``.
    public init() {}

    /// The current phase.
    public var current: Phase {
        // Acquiring pairs with the releasing updates; nothing else is published through it.
        Phase(rawValue: phase.load(ordering: .acquiring)) ?? .draining
    }

    /// Whether `/ready` answers 200.
    public var isReady: Bool { current == .ready }

    /// Moves from starting to ready; does nothing once draining.
    public func markReady() {
        _ = phase.compareExchange(
            expected: Phase.starting.rawValue, desired: Phase.ready.rawValue, ordering: .releasing)
    }

    /// Enters draining; final.
    public func markDraining() {
        phase.store(Phase.draining.rawValue, ordering: .releasing)
    }
}
