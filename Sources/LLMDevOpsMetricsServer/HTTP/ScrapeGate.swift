import Synchronization

/// Admits at most `limit` concurrent scrapes; the rest are turned away (503) instead of queued.
final class ScrapeGate: Sendable {
    let limit: Int
    private let active = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a slot; false when all are taken. Pair a true result with ``leave()``.
    func tryEnter() -> Bool {
        // Relaxed suffices: the counter guards no other memory, only the count matters.
        var current = active.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = active.compareExchange(
                expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func leave() {
        active.subtract(1, ordering: .relaxed)
    }

    var inUse: Int { active.load(ordering: .relaxed) }
}
