import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Synchronization
import Testing

/// A pull collector that counts its runs and can hold a run open until released.
final class CountingCollector: PullCollector {
    let name = "counting"
    let metrics: [MetricDescriptor]
    private let runs = Atomic<Int>(0)
    private let gate: Lock<[CheckedContinuation<Void, Never>]?>
    private let started: AsyncStream<Void>.Continuation
    let startedRuns: AsyncStream<Void>

    init(holdRuns: Bool = false) throws {
        metrics = [try MetricDescriptor(type: .gauge, name: "collector_runs")]
        gate = Lock(holdRuns ? [] : nil)
        (startedRuns, started) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded)
    }

    var runCount: Int { runs.load(ordering: .relaxed) }

    func collect() async throws -> [CollectedFamily] {
        let run = runs.add(1, ordering: .relaxed).newValue
        started.yield()
        await withCheckedContinuation { continuation in
            let held = gate.withLock { waiting -> Bool in
                guard waiting != nil else { return false }
                waiting?.append(continuation)
                return true
            }
            if !held { continuation.resume() }
        }
        return [CollectedFamily(name: "collector_runs", samples: [CollectedSample(value: .gauge(Double(run)))])]
    }

    /// Lets held runs finish and stops holding new ones.
    func release() {
        let waiting = gate.withLock { waiting -> [CheckedContinuation<Void, Never>] in
            defer { waiting = nil }
            return waiting ?? []
        }
        for continuation in waiting { continuation.resume() }
    }
}

@Suite struct ExpositionCacheTests {
    let time = ManualMetricsClock()

    func makeRegistry(ttl: Duration, collector: CountingCollector) async throws -> RegistryActor {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: ttl, clock: time.clock))
        try await registry.register(collector: collector)
        return registry
    }

    @Test func servesCachedBytesUntilTheTTLPasses() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .milliseconds(1000), collector: collector)
        let first = await registry.exposition(.prometheusText)
        time.advance(by: .milliseconds(999))
        #expect(await registry.exposition(.prometheusText) == first)
        #expect(collector.runCount == 1)
        time.advance(by: .milliseconds(1))
        #expect(await registry.exposition(.prometheusText) != first)
        #expect(collector.runCount == 2)
        // Formats are cached separately.
        _ = await registry.exposition(.openMetrics)
        #expect(collector.runCount == 3)
        let statistics = await registry.cacheStatistics
        #expect(statistics.hits[.prometheusText] == 1)
        #expect(statistics.misses[.prometheusText] == 2)
        #expect(statistics.misses[.openMetrics] == 1)
    }

    @Test func zeroTTLDisablesTheCache() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .zero, collector: collector)
        for _ in 0..<3 { _ = await registry.exposition(.openMetrics) }
        #expect(collector.runCount == 3)
    }

    @Test func invalidateForcesARender() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .seconds(60), collector: collector)
        _ = await registry.exposition(.prometheusText)
        _ = await registry.exposition(.prometheusText)
        await registry.invalidateCache()
        _ = await registry.exposition(.prometheusText)
        #expect(collector.runCount == 2)
    }

    /// Scrapes that arrive during a render share it: one collection, identical bodies, and the
    /// waiting scrapes count as hits.
    @Test func concurrentScrapesShareOneRender() async throws {
        let collector = try CountingCollector(holdRuns: true)
        let registry = try await makeRegistry(ttl: .seconds(60), collector: collector)
        let scrapes = 10
        let bodies = await withTaskGroup(of: [UInt8].self) { group in
            group.addTask { await registry.exposition(.prometheusText) }
            var iterator = collector.startedRuns.makeAsyncIterator()
            _ = await iterator.next()  // the first render is now in flight
            for _ in 1..<scrapes {
                group.addTask { await registry.exposition(.prometheusText) }
            }
            // Wait (bounded) until all the others have joined the in-flight render.
            for _ in 0..<10_000 where (await registry.cacheStatistics.hits[.prometheusText] ?? 0) < scrapes - 1 {
                await Task.yield()
            }
            collector.release()
            var bodies: [[UInt8]] = []
            for await body in group { bodies.append(body) }
            return bodies
        }
        #expect(collector.runCount == 1)
        #expect(bodies.count == scrapes)
        #expect(Set(bodies).count == 1)
        let statistics = await registry.cacheStatistics
        #expect(statistics.hits[.prometheusText] == UInt64(scrapes - 1))
        #expect(statistics.misses[.prometheusText] == 1)
    }

    /// With the cache off, scrapes that arrive during a render still share it (coalescing, as
    /// client_golang's `CoalesceGather`): one collection, one body. A scrape that arrives after
    /// that render finished starts a new one and never gets the older body.
    @Test func cacheOffConcurrentScrapesShareOneRenderAndLaterOnesRenderAgain() async throws {
        let collector = try CountingCollector(holdRuns: true)
        let registry = try await makeRegistry(ttl: .zero, collector: collector)
        let scrapes = 10
        let bodies = await withTaskGroup(of: [UInt8].self) { group in
            group.addTask { await registry.exposition(.prometheusText) }
            var iterator = collector.startedRuns.makeAsyncIterator()
            _ = await iterator.next()  // the first render is now in flight
            for _ in 1..<scrapes {
                group.addTask { await registry.exposition(.prometheusText) }
            }
            // Wait (bounded) until all the others have joined the in-flight render.
            for _ in 0..<10_000 where (await registry.cacheStatistics.hits[.prometheusText] ?? 0) < scrapes - 1 {
                await Task.yield()
            }
            collector.release()
            var bodies: [[UInt8]] = []
            for await body in group { bodies.append(body) }
            return bodies
        }
        #expect(collector.runCount == 1)
        #expect(bodies.count == scrapes)
        #expect(Set(bodies).count == 1)
        let first = try #require(bodies.first)
        #expect(String(decoding: first, as: UTF8.self).contains("collector_runs 1\n"))
        // Arriving after the shared render finished: a new render, with the newer value.
        let later = await registry.exposition(.prometheusText)
        #expect(collector.runCount == 2)
        #expect(String(decoding: later, as: UTF8.self).contains("collector_runs 2\n"))
        let statistics = await registry.cacheStatistics
        #expect(statistics.hits[.prometheusText] == UInt64(scrapes - 1))
        #expect(statistics.misses[.prometheusText] == 2)
    }

    /// With the cache off, gzip scrapes during a render share the render and its compression.
    @Test func cacheOffConcurrentGzipScrapesShareOneRenderAndOneCompression() async throws {
        let collector = try CountingCollector(holdRuns: true)
        let registry = try await makeRegistry(ttl: .zero, collector: collector)
        let compressor = FakeCompressor()
        let scrapes = 8
        let results = await withTaskGroup(of: ExpositionBodies.self) { group in
            group.addTask { await self.gzipBodies(registry, .openMetrics, gzip: true, compressor) }
            var iterator = collector.startedRuns.makeAsyncIterator()
            _ = await iterator.next()
            for _ in 1..<scrapes {
                group.addTask { await self.gzipBodies(registry, .openMetrics, gzip: true, compressor) }
            }
            for _ in 0..<10_000 where (await registry.cacheStatistics.hits[.openMetrics] ?? 0) < scrapes - 1 {
                await Task.yield()
            }
            collector.release()
            var results: [ExpositionBodies] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(results.count == scrapes)
        #expect(Set(results).count == 1)
        #expect(results.first?.gzip != nil)
        #expect(collector.runCount == 1)
        #expect(compressor.callCount == 1)
    }

    @Test func cacheCountersAreExposed() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .seconds(60), collector: collector)
        _ = await registry.exposition(.prometheusText)
        _ = await registry.exposition(.prometheusText)
        _ = await registry.exposition(.prometheusText)
        let lines = await renderLines(registry)
        #expect(lines.contains(#"llmdevops_exporter_cache_hits_total{format="text"} 2"#))
        #expect(lines.contains(#"llmdevops_exporter_cache_misses_total{format="text"} 1"#))
    }

    // MARK: gzip variant

    /// A stand-in compressor: the core has no zlib, so the tests check what the cache does with
    /// the compressor's output and how often it calls it.
    final class FakeCompressor: Sendable {
        private let calls = Atomic<Int>(0)
        let minimumSize: Int
        init(minimumSize: Int = 0) { self.minimumSize = minimumSize }
        var callCount: Int { calls.load(ordering: .relaxed) }
        var compress: @Sendable ([UInt8]) -> [UInt8]? {
            { [self] plain in
                calls.add(1, ordering: .relaxed)
                return plain.count >= minimumSize ? [0x1f, 0x8b] + plain.reversed() : nil
            }
        }
    }

    func gzipBodies(_ registry: RegistryActor, _ format: ExpositionFormat, gzip: Bool, _ compressor: FakeCompressor)
        async -> ExpositionBodies
    {
        await registry.bodies(for: format, gzip: gzip ? compressor.compress : nil)
    }

    @Test func keepsPlainAndGzipBytesOfARender() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .seconds(60), collector: collector)
        let compressor = FakeCompressor()
        let first = await gzipBodies(registry, .prometheusText, gzip: true, compressor)
        #expect(first.gzip == [0x1f, 0x8b] + first.plain.reversed())
        let second = await gzipBodies(registry, .prometheusText, gzip: true, compressor)
        #expect(second == first)
        // A plain request is served from the same render and carries no gzip bytes.
        let plain = await gzipBodies(registry, .prometheusText, gzip: false, compressor)
        #expect(plain.plain == first.plain)
        #expect(plain.gzip == nil)
        #expect(await registry.exposition(.prometheusText) == first.plain)
        #expect(collector.runCount == 1)
        #expect(compressor.callCount == 1)
        let statistics = await registry.cacheStatistics
        #expect(statistics.misses[.prometheusText] == 1)
        #expect(statistics.hits[.prometheusText] == 3)
    }

    @Test func compressesABodyRenderedWithoutGzipOnlyOnce() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .seconds(60), collector: collector)
        let compressor = FakeCompressor()
        let plain = await registry.exposition(.openMetrics)
        #expect(compressor.callCount == 0)
        let first = await gzipBodies(registry, .openMetrics, gzip: true, compressor)
        let second = await gzipBodies(registry, .openMetrics, gzip: true, compressor)
        #expect(first.plain == plain)
        #expect(first.gzip == [0x1f, 0x8b] + plain.reversed())
        #expect(second == first)
        #expect(compressor.callCount == 1)
        #expect(collector.runCount == 1)
    }

    @Test func aDeclinedCompressionIsCachedAsDeclined() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .seconds(60), collector: collector)
        let compressor = FakeCompressor(minimumSize: 1_000_000)
        let first = await gzipBodies(registry, .prometheusText, gzip: true, compressor)
        let second = await gzipBodies(registry, .prometheusText, gzip: true, compressor)
        #expect(first.gzip == nil)
        #expect(second.gzip == nil)
        #expect(compressor.callCount == 1)
    }

    @Test func gzipBodiesFollowTheTTLAndInvalidation() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .milliseconds(1000), collector: collector)
        let compressor = FakeCompressor()
        let first = await gzipBodies(registry, .prometheusText, gzip: true, compressor)
        time.advance(by: .milliseconds(1000))
        let second = await gzipBodies(registry, .prometheusText, gzip: true, compressor)
        #expect(second.plain != first.plain)
        #expect(second.gzip == [0x1f, 0x8b] + second.plain.reversed())
        await registry.invalidateCache()
        let third = await gzipBodies(registry, .prometheusText, gzip: true, compressor)
        #expect(third.plain != second.plain)
        #expect(collector.runCount == 3)
        #expect(compressor.callCount == 3)
    }

    @Test func zeroTTLCompressesEveryRequest() async throws {
        let collector = try CountingCollector()
        let registry = try await makeRegistry(ttl: .zero, collector: collector)
        let compressor = FakeCompressor()
        for _ in 0..<3 {
            let bodies = await gzipBodies(registry, .prometheusText, gzip: true, compressor)
            #expect(bodies.gzip == [0x1f, 0x8b] + bodies.plain.reversed())
        }
        #expect(collector.runCount == 3)
        #expect(compressor.callCount == 3)
    }

    /// Gzip scrapes that arrive during a render share it and its compression.
    @Test func concurrentGzipScrapesShareOneRenderAndOneCompression() async throws {
        let collector = try CountingCollector(holdRuns: true)
        let registry = try await makeRegistry(ttl: .seconds(60), collector: collector)
        let compressor = FakeCompressor()
        let scrapes = 8
        let results = await withTaskGroup(of: ExpositionBodies.self) { group in
            group.addTask { await self.gzipBodies(registry, .openMetrics, gzip: true, compressor) }
            var iterator = collector.startedRuns.makeAsyncIterator()
            _ = await iterator.next()
            for _ in 1..<scrapes {
                group.addTask { await self.gzipBodies(registry, .openMetrics, gzip: true, compressor) }
            }
            for _ in 0..<10_000 where (await registry.cacheStatistics.hits[.openMetrics] ?? 0) < scrapes - 1 {
                await Task.yield()
            }
            collector.release()
            var results: [ExpositionBodies] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(Set(results).count == 1)
        #expect(results.first?.gzip != nil)
        #expect(collector.runCount == 1)
        #expect(compressor.callCount == 1)
    }
}
