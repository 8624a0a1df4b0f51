/// The registry's rendered exposition bytes per format, plain and gzip-compressed, served
/// while younger than the TTL (see the "Exposition Cache" and "Rendered-Byte Cache" articles).
///
/// Rendering is single-flight whether or not the cache is on: requests that arrive while a
/// body of their format is being rendered await that render instead of starting their own,
/// and count as hits. With the cache off (a TTL of zero) that is all that is shared, as
/// client_golang's `CoalesceGather` does: a request never gets a body whose render had
/// finished before it arrived, because a render leaves the in-flight slot in the same step
/// that completes it. ``invalidate()`` drops what is cached; a render already in flight when
/// it is called is neither stored nor joined.
///
/// The core does not compress: callers that serve gzip pass a compressor (the server module
/// uses zlib through compress-nio) and the cache keeps its output next to the plain bytes, so a
/// body is compressed at most once per render, off the actor.
actor ExpositionCache {
    typealias Bodies = ExpositionBodies
    /// Compresses a plain body, or returns nil to decline (for example below a minimum size).
    typealias Compressor = @Sendable ([UInt8]) -> [UInt8]?

    /// What is known about the gzip variant of a cached body.
    private enum Compressed: Sendable {
        /// Nobody asked for gzip yet.
        case notComputed
        /// The compressor ran and declined.
        case declined
        case bytes([UInt8])

        var bytes: [UInt8]? {
            if case .bytes(let bytes) = self { return bytes }
            return nil
        }
    }

    private struct Rendered: Sendable {
        let plain: [UInt8]
        var compressed: Compressed
    }

    private struct Entry {
        var rendered: Rendered
        let renderedAt: UInt64
    }

    /// How long a body is served, on the monotonic clock; zero disables caching.
    private let ttlNanoseconds: UInt64
    private let clock: MetricsClock
    private var entries: [ExpositionFormat: Entry] = [:]
    private var inFlight: [ExpositionFormat: Task<Rendered, Never>] = [:]
    private var generation = 0
    private var hits: [ExpositionFormat: UInt64] = [:]
    private var misses: [ExpositionFormat: UInt64] = [:]

    /// Creates an empty cache.
    init(ttl: Duration, clock: MetricsClock = .system) {
        self.ttlNanoseconds = ttl.clampedNanoseconds
        self.clock = clock
    }

    /// The cached bodies for `format`, the result of the render in flight, or the result of a
    /// new `render` when there is neither.
    ///
    /// With a compressor the result carries `compress(plain)` as well, computed once per
    /// rendered body (by the render that produced it, or by the first gzip request for a body
    /// rendered without it) and cached with it. A compressor that declines returns `nil`; the
    /// decision is cached too. It runs off the actor.
    func bodies(
        for format: ExpositionFormat,
        render: @escaping @Sendable () async -> [UInt8],
        compress: Compressor?
    ) async -> Bodies {
        if ttlNanoseconds > 0, let entry = entries[format],
            clock.monotonicNanoseconds() &- entry.renderedAt < ttlNanoseconds
        {
            hits[format, default: 0] += 1
            return await complete(entry.rendered, format: format, compress: compress)
        }
        if let running = inFlight[format] {
            hits[format, default: 0] += 1
            return await complete(await running.value, format: format, compress: compress)
        }
        misses[format, default: 0] += 1
        let startedGeneration = generation
        // Isolated to this actor (it uses `self`): the render and the compression run elsewhere,
        // and `finish` runs here in the same step as the task's completion.
        let task = Task {
            let plain = await render()
            var compressed = Compressed.notComputed
            if let compress {
                compressed = await Self.compressOffActor(plain, compress).map(Compressed.bytes) ?? .declined
            }
            let rendered = Rendered(plain: plain, compressed: compressed)
            self.finish(rendered, format: format, generation: startedGeneration)
            return rendered
        }
        inFlight[format] = task
        return await complete(await task.value, format: format, compress: compress)
    }

    /// Ends the render started in `startedGeneration`: later requests no longer join it, and
    /// with the cache on its bodies are stored. After an ``invalidate()`` the in-flight slot
    /// may belong to a newer render and is left alone.
    private func finish(_ rendered: Rendered, format: ExpositionFormat, generation startedGeneration: Int) {
        guard generation == startedGeneration else { return }
        inFlight[format] = nil
        if ttlNanoseconds > 0 {
            entries[format] = Entry(rendered: rendered, renderedAt: clock.monotonicNanoseconds())
        }
    }

    /// The cached bodies for `format` when they are fresh and hold what is asked for (the gzip
    /// variant already computed or declined when `gzip` is true); `nil` when answering would mean
    /// rendering or compressing. Counts a hit when it returns bodies.
    func freshBodies(for format: ExpositionFormat, gzip: Bool) -> Bodies? {
        guard ttlNanoseconds > 0, let entry = entries[format],
            clock.monotonicNanoseconds() &- entry.renderedAt < ttlNanoseconds
        else { return nil }
        if gzip, case .notComputed = entry.rendered.compressed { return nil }
        hits[format, default: 0] += 1
        return Bodies(plain: entry.rendered.plain, gzip: gzip ? entry.rendered.compressed.bytes : nil)
    }

    /// Adds the gzip variant to `rendered` when it is wanted and not known yet, and stores it
    /// if the cached entry is still the same render.
    private func complete(
        _ rendered: Rendered,
        format: ExpositionFormat,
        compress: Compressor?
    ) async -> Bodies {
        guard let compress else { return Bodies(plain: rendered.plain, gzip: nil) }
        switch rendered.compressed {
        case .bytes(let bytes):
            return Bodies(plain: rendered.plain, gzip: bytes)
        case .declined:
            return Bodies(plain: rendered.plain, gzip: nil)
        case .notComputed:
            let startedGeneration = generation
            let bytes = await Self.compressOffActor(rendered.plain, compress)
            // Two gzip requests racing here both compress; the bytes are identical, so either
            // result may be kept. Only store into the entry that was compressed.
            if generation == startedGeneration, var entry = entries[format], entry.rendered.plain == rendered.plain,
               case .notComputed = entry.rendered.compressed {
                entry.rendered.compressed = bytes.map(Compressed.bytes) ?? .declined
                entries[format] = entry
            }
            return Bodies(plain: rendered.plain, gzip: bytes)
        }
    }

    @concurrent
    private static func compressOffActor(
        _ plain: [UInt8],
        _ compress: @Sendable ([UInt8]) -> [UInt8]?
    ) async -> [UInt8]? {
        compress(plain)
    }

    /// Drops every cached body; the next request renders.
    func invalidate() {
        entries.removeAll()
        inFlight.removeAll()
        generation += 1
    }

    /// Hits and misses per format since the cache was created.
    var statistics: (hits: [ExpositionFormat: UInt64], misses: [ExpositionFormat: UInt64]) {
        (hits, misses)
    }
}
