import Synchronization

/// The two flags of a gauge, histogram or info series: updated since the family last checked
/// for idle series, and no longer exported. (A counter keeps both in its tagged word; see the
/// "Tagged Counter Word" article.)
///
/// Relaxed ordering: each flag is an independent bit that publishes no other memory.
struct SeriesFlags: ~Copyable, Sendable {
    private let active = Atomic<Bool>(false)
    private let detached = Atomic<Bool>(false)

    init() {}

    /// Records that the series was updated.
    func markActive() {
        active.store(true, ordering: .relaxed)
    }

    /// Whether the series was updated since the last call; clears the mark.
    func consumeActivity() -> Bool {
        active.exchange(false, ordering: .relaxed)
    }

    /// Stops exporting the series.
    func markDetached() {
        detached.store(true, ordering: .relaxed)
    }

    /// False once ``markDetached()`` was called.
    var isExported: Bool {
        !detached.load(ordering: .relaxed)
    }
}
