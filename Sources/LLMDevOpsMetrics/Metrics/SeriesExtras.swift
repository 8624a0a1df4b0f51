import Synchronization

/// The rarely used parts of a counter series: its creation time (kept only when the registry
/// exposes `_created` samples) and its latest exemplar. Allocated when first needed; until then
/// the series references its ``SeriesContext`` directly, and afterwards through `context` here,
/// so a plain counter series stays in a 48-byte allocation (see ``CounterMetric``).
final class SeriesExtras: Sendable {
    let context: SeriesContext
    let createdAt: Double?
    private let latestExemplar = Lock<Exemplar?>(nil)

    init(context: SeriesContext, createdAt: Double?) {
        self.context = context
        self.createdAt = createdAt
    }

    func store(_ exemplar: Exemplar) {
        latestExemplar.withLock { $0 = exemplar }
    }

    var exemplar: Exemplar? {
        latestExemplar.withLock { $0 }
    }
}
