import Synchronization

/// The registry-wide series budget (ADR-001). Families acquire one unit per series they create
/// and release it when a series is removed or expires; admission is one compare-and-exchange.
final class CardinalityBudget: Sendable {
    let limit: Int
    private let used = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes one unit, or returns false when the budget is spent.
    func tryAcquire() -> Bool {
        var current = used.load(ordering: .relaxed)
        while current < limit {
            // Relaxed: the count is the only shared state; admission never publishes other memory.
            let (exchanged, original) = used.compareExchange(
                expected: current,
                desired: current + 1,
                ordering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Returns `count` units.
    func release(_ count: Int) {
        guard count > 0 else { return }
        used.wrappingSubtract(count, ordering: .relaxed)
    }

    /// Units currently held.
    var inUse: Int {
        used.load(ordering: .relaxed)
    }
}
