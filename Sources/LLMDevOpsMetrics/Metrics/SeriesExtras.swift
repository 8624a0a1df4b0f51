import Synchronization

/// The rarely used parts of a counter series: its creation time (kept only when the registry
/// exposes `_created` samples) and its latest exemplar. Allocated when first needed, so a plain
/// counter series pays for one empty lazy reference and stays in a 64-byte allocation.
final class SeriesExtras: Sendable {
    let createdAt: Double?
    private let latestExemplar = Mutex<Exemplar?>(nil)

    init(createdAt: Double?) {
        self.createdAt = createdAt
    }

    func store(_ exemplar: Exemplar) {
        latestExemplar.withLock { $0 = exemplar }
    }

    var exemplar: Exemplar? {
        latestExemplar.withLock { $0 }
    }
}
