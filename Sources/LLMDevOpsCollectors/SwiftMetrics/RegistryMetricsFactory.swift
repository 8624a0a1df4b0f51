public import CoreMetrics
public import LLMDevOpsMetrics
public import Logging
import Synchronization

/// A swift-metrics backend that puts `Counter`, `FloatingPointCounter`, `Recorder`, `Timer` and
/// `Meter` values into a `RegistryActor`.
///
/// | swift-metrics | registry family |
/// |---|---|
/// | `Counter`, `FloatingPointCounter` | counter (`reset()` is ignored: counters never go down) |
/// | `Recorder(aggregate: true)` | histogram with ``SwiftMetricsBackendConfiguration/recorderBuckets`` |
/// | `Recorder(aggregate: false)`, `Meter` | gauge |
/// | `Timer` | histogram in seconds, `_seconds` appended to the name |
///
/// Names and dimension names are sanitised explicitly (`hb.requests` → `hb_requests`,
/// `http.route` → `http_route`; `le` and `quantile` become `le_` and `quantile_`). The same
/// label and dimensions in any order give the same handler; `destroy…` removes the series.
///
/// Handler creation is synchronous, the registry is an actor: a handler records immediately
/// (into a small pending buffer), and the factory's registration consumer, running inside
/// ``run()``, creates the family and series and attaches them. A dimension set that differs from
/// the first one seen under a label never traps (hummingbird#586): missing dimensions are
/// exported as empty values, extra ones are dropped, and both are counted in
/// `llmdevops_swift_metrics_problems_total{reason="dimension_mismatch"}`.
///
/// ```swift
/// let factory = RegistryMetricsFactory(registry: registry, logger: logger)
/// let counter = Counter(label: "hb.requests", dimensions: [("method", "GET")], factory: factory)
/// counter.increment()
/// ```
public final class RegistryMetricsFactory: MetricsFactory, Sendable {
    enum Registration: Sendable {
        case counter(SwiftMetricsCounter)
        case gauge(SwiftMetricsGauge)
        case histogram(SwiftMetricsHistogram)
        case destroy(SwiftMetricsKey)
        case flush(CheckedContinuation<Void, Never>)
    }

    /// The registry the metrics go into.
    public let registry: RegistryActor
    let configuration: SwiftMetricsBackendConfiguration
    let logger: Logger?
    private let handlers = Lock<[SwiftMetricsKey: any Sendable]>([:])
    private let registrations: AsyncStream<Registration>
    private let continuation: AsyncStream<Registration>.Continuation
    private let running = Atomic<Bool>(false)

    /// Creates a factory for `registry`. Values are recorded at once; they appear in the
    /// registry once ``run()`` (or ``MetricsCollectors/run()``) processes the registrations.
    /// `logger` receives a warning for each metric the registry refuses; nil logs nothing.
    public init(
        registry: RegistryActor,
        configuration: SwiftMetricsBackendConfiguration = SwiftMetricsBackendConfiguration(),
        logger: Logger? = nil
    ) {
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        // Unbounded on purpose: registrations are rare (one per new label set) and a dropped one
        // would leave its handler without a series for good.
        (registrations, continuation) = AsyncStream.makeStream(of: Registration.self, bufferingPolicy: .unbounded)
    }

    // MARK: MetricsFactory

    /// A counter handler; the same label and dimensions in any order return the same handler.
    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        handler(SwiftMetricsKey(kind: .counter, label: label, dimensions: dimensions), make: SwiftMetricsCounter.init, Registration.counter)
    }

    /// A floating-point counter handler, sharing series with integer counters of the same identity.
    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        handler(SwiftMetricsKey(kind: .counter, label: label, dimensions: dimensions), make: SwiftMetricsCounter.init, Registration.counter)
    }

    /// A histogram handler when `aggregate`, else a gauge handler.
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        if aggregate {
            let maxPending = configuration.maxPendingObservations
            return handler(
                SwiftMetricsKey(kind: .histogram, label: label, dimensions: dimensions),
                make: { SwiftMetricsHistogram(key: $0, maxPending: maxPending) },
                Registration.histogram
            )
        }
        return handler(SwiftMetricsKey(kind: .gauge, label: label, dimensions: dimensions), make: SwiftMetricsGauge.init, Registration.gauge)
    }

    /// A gauge handler.
    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        handler(SwiftMetricsKey(kind: .gauge, label: label, dimensions: dimensions), make: SwiftMetricsGauge.init, Registration.gauge)
    }

    /// A histogram handler in seconds.
    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let maxPending = configuration.maxPendingObservations
        return handler(
            SwiftMetricsKey(kind: .timer, label: label, dimensions: dimensions),
            make: { SwiftMetricsHistogram(key: $0, maxPending: maxPending) },
            Registration.histogram
        )
    }

    /// Removes the counter's series.
    public func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? SwiftMetricsCounter { destroy(counter.key) { counter.detach() } }
    }

    /// Removes the floating-point counter's series.
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? SwiftMetricsCounter { destroy(counter.key) { counter.detach() } }
    }

    /// Removes the recorder's series.
    public func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? SwiftMetricsGauge {
            destroy(gauge.key) { gauge.detach() }
        } else if let histogram = handler as? SwiftMetricsHistogram {
            destroy(histogram.key) { histogram.detach() }
        }
    }

    /// Removes the meter's series.
    public func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? SwiftMetricsGauge { destroy(gauge.key) { gauge.detach() } }
    }

    /// Removes the timer's series.
    public func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? SwiftMetricsHistogram { destroy(histogram.key) { histogram.detach() } }
    }

    // MARK: Registration

    private func handler<Handler: Sendable>(
        _ key: SwiftMetricsKey,
        make: (SwiftMetricsKey) -> Handler,
        _ registration: (Handler) -> Registration
    ) -> Handler {
        handlers.withLock { table in
            if let existing = table[key] as? Handler { return existing }
            let created = make(key)
            table[key] = created
            // Yielded under the table lock so that a later destroy of this key is queued after it.
            continuation.yield(registration(created))
            return created
        }
    }

    private func destroy(_ key: SwiftMetricsKey, detach: () -> Void) {
        handlers.withLock { table in
            guard table.removeValue(forKey: key) != nil else { return }
            continuation.yield(.destroy(key))
        }
        detach()
    }

    /// Returns once every handler created (or destroyed) before this call has its series
    /// attached (or removed). Needs ``run()`` to be running.
    public func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            if case .terminated = continuation.yield(.flush(done)) { done.resume() }
        }
    }

    /// Processes registrations until the task is cancelled or ``finish()`` is called. Runs once;
    /// later calls return at once.
    @concurrent
    public func run() async {
        guard running.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else {
            return
        }
        let consumer = SwiftMetricsRegistrar(factory: self)
        for await registration in registrations {
            await consumer.apply(registration)
        }
    }

    /// Ends the registration stream; ``run()`` returns after processing what is queued.
    public func finish() {
        continuation.finish()
    }

    func buckets(for key: SwiftMetricsKey) -> [Double] {
        if let configured = configuration.bucketsByLabel[key.name] { return configured }
        return key.kind == .timer ? configuration.timerBuckets : configuration.recorderBuckets
    }
}
