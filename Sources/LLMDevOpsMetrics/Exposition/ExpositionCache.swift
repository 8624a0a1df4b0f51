/// Rendered exposition bytes per format, served while younger than the TTL (ADR-002).
///
/// Regeneration is single-flight: scrapes that arrive while a body is being rendered await
/// that render instead of starting their own, and count as hits. ``invalidate()`` drops what
/// is cached; a render already in flight when it is called is not stored.
public actor ExpositionCache {
    private struct Entry {
        let body: [UInt8]
        let renderedAt: UInt64
    }

    /// How long a body is served; `.zero` disables caching.
    public nonisolated let ttl: Duration
    private let ttlNanoseconds: UInt64
    private let clock: MetricsClock
    private var entries: [ExpositionFormat: Entry] = [:]
    private var inFlight: [ExpositionFormat: Task<[UInt8], Never>] = [:]
    private var generation = 0
    private var hits: [ExpositionFormat: UInt64] = [:]
    private var misses: [ExpositionFormat: UInt64] = [:]

    /// Creates an empty cache.
    public init(ttl: Duration, clock: MetricsClock = .system) {
        self.ttl = ttl
        self.ttlNanoseconds = ttl.clampedNanoseconds
        self.clock = clock
    }

    /// The cached body for `format`, or the result of `render` when there is none fresh.
    public func body(
        for format: ExpositionFormat,
        render: @escaping @Sendable () async -> [UInt8]
    ) async -> [UInt8] {
        guard ttlNanoseconds > 0 else {
            misses[format, default: 0] += 1
            return await render()
        }
        if let entry = entries[format], clock.monotonicNanoseconds() &- entry.renderedAt < ttlNanoseconds {
            hits[format, default: 0] += 1
            return entry.body
        }
        if let running = inFlight[format] {
            hits[format, default: 0] += 1
            return await running.value
        }
        misses[format, default: 0] += 1
        let startedGeneration = generation
        let task = Task { await render() }
        inFlight[format] = task
        let body = await task.value
        // After an invalidate() the in-flight slot may belong to a newer render: leave it.
        if generation == startedGeneration {
            inFlight[format] = nil
            entries[format] = Entry(body: body, renderedAt: clock.monotonicNanoseconds())
        }
        return body
    }

    /// Drops every cached body; the next request renders.
    public func invalidate() {
        entries.removeAll()
        inFlight.removeAll()
        generation += 1
    }

    /// Hits and misses per format since the cache was created.
    public var statistics: (hits: [ExpositionFormat: UInt64], misses: [ExpositionFormat: UInt64]) {
        (hits, misses)
    }
}
