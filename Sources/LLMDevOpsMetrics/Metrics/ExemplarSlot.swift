import Synchronization

/// The latest exemplar of a counter series. Allocated on a series' first exemplar, so series
/// that never get one pay only for an empty lazy reference.
final class ExemplarSlot: Sendable {
    private let latest = Mutex<Exemplar?>(nil)

    func store(_ exemplar: Exemplar) {
        latest.withLock { $0 = exemplar }
    }

    func load() -> Exemplar? {
        latest.withLock { $0 }
    }
}
