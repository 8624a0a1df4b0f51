import Synchronization

/// The rarely used part of a counter series: its latest exemplar. Allocated when the first
/// exemplar arrives; until then the series references its ``SeriesContext`` directly, and
/// afterwards through `context` here, so a plain counter series stays in one small allocation
/// (see ``CounterMetric``).
final class SeriesExtras: Sendable {
    let context: SeriesContext
    private let latestExemplar = Lock<Exemplar?>(nil)

    init(context: SeriesContext) {
        self.context = context
    }

    func store(_ exemplar: Exemplar) {
        latestExemplar.withLock { $0 = exemplar }
    }

    var exemplar: Exemplar? {
        latestExemplar.withLock { $0 }
    }
}
