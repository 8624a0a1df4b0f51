import Synchronization

/// A count of units in use that never goes above a limit: taking a unit is one
/// compare-and-exchange and fails, without waiting, when all are taken.
///
/// The registry's series budget (see the "Cardinality Limits" article) and the HTTP server's
/// concurrent-scrape limit are both one of these.
package final class BoundedCounter: Sendable {
    /// The most units that can be in use at once.
    package let limit: Int
    private let used = Atomic<Int>(0)

    /// A counter with no unit in use; a `limit` of zero or less admits nothing.
    package init(limit: Int) {
        self.limit = limit
    }

    /// Takes one unit, or returns false when all are in use. Pair a true result with
    /// ``release(_:)``.
    package func tryAcquire() -> Bool {
        var current = used.load(ordering: .relaxed)
        while current < limit {
            // Relaxed: the count is the only shared state; taking a unit publishes no other memory.
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

    /// Gives back `count` units taken with ``tryAcquire()``.
    package func release(_ count: Int = 1) {
        guard count > 0 else { return }
        used.wrappingSubtract(count, ordering: .relaxed)
    }

    /// Units currently in use.
    package var inUse: Int {
        used.load(ordering: .relaxed)
    }
}
