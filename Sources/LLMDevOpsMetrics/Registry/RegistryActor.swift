public import Logging

/// Owns the metric families by name, enforces cardinality limits, runs pull collectors and
/// renders the exposition, which it caches (see <doc:ExpositionCache>).
///
/// ```swift
/// let registry = RegistryActor()
/// let tokens = try await registry.makeCounterFamily(
///     name: "llmdevops_llm_tokens_total", help: "Tokens processed.", labelNames: ["model", "type"])
/// try await tokens.labels(["model": "gpt-4o", "type": "input"]).increment(by: 812)
/// let body = await registry.exposition(.openMetrics)
/// ```
///
/// Registration never traps: conflicting or invalid registrations throw ``MetricsError``, and
/// registering an equal descriptor again returns the existing family.
public actor RegistryActor {
    /// The settings the registry was created with.
    public nonisolated let configuration: RegistryConfiguration
    /// Rendered bodies per format; only the registry's own methods reach it.
    private nonisolated let cache: ExpositionCache
    /// The global series budget; read by the cardinality report.
    let budget: BoundedCounter
    private let rejectionLog: RejectionLog
    private var families: [String: any CollectableFamily] = [:]
    /// Every family and sample name in use, mapped to the family that produces it.
    private var claimedNames: [String: String] = [:]
    private var collectors: [RegisteredCollector] = []
    private var lastBodySize: [ExpositionFormat: Int] = [:]
    /// Registered families in each format's output order; emptied when registrations change.
    private var sortedFamilies: [ExpositionFormat: [any CollectableFamily]] = [:]
    /// Buffers the encoder reuses from render to render.
    private var scratch = ExpositionScratch()
    /// Buffers the protobuf encoder reuses from render to render.
    private var protobufScratch = ProtobufScratch()

    /// Creates an empty registry.
    ///
    /// - Parameters:
    ///   - configuration: Limits, cache TTL, clock and self-metrics.
    ///   - logger: Where to log refused series (a rate-limited warning); `nil` logs nothing.
    ///     The registry never creates a logger of its own.
    public init(configuration: RegistryConfiguration = RegistryConfiguration(), logger: Logger? = nil) {
        self.configuration = configuration
        self.cache = ExpositionCache(ttl: configuration.cacheTTL, clock: configuration.clock)
        self.budget = BoundedCounter(limit: configuration.maxSeries)
        self.rejectionLog = RejectionLog(
            logger: logger,
            interval: configuration.rejectionLogInterval,
            clock: configuration.clock
        )
        for descriptor in SelfMetrics.descriptors {
            for name in descriptor.claimedNames { claimedNames[name] = descriptor.name }
        }
    }

    // MARK: Registration

    /// A counter without labels. Registering the same name again returns the same series.
    public func makeCounter(name: String, help: String? = nil, unit: String? = nil) async throws(MetricsError) -> CounterMetric {
        try await makeCounterFamily(name: name, help: help, unit: unit).labels([:])
    }

    /// A family of counters with the given label names.
    public func makeCounterFamily(
        name: String,
        help: String? = nil,
        unit: String? = nil,
        labelNames: [String] = [],
        options: FamilyOptions = FamilyOptions()
    ) throws(MetricsError) -> CounterFamily {
        try family(MetricDescriptor(type: .counter, name: name, help: help, unit: unit, labelNames: labelNames), name, options)
    }

    /// A gauge without labels.
    public func makeGauge(name: String, help: String? = nil, unit: String? = nil) async throws(MetricsError) -> GaugeMetric {
        try await makeGaugeFamily(name: name, help: help, unit: unit).labels([:])
    }

    /// A family of gauges with the given label names.
    public func makeGaugeFamily(
        name: String,
        help: String? = nil,
        unit: String? = nil,
        labelNames: [String] = [],
        options: FamilyOptions = FamilyOptions()
    ) throws(MetricsError) -> GaugeFamily {
        try family(MetricDescriptor(type: .gauge, name: name, help: help, unit: unit, labelNames: labelNames), name, options)
    }

    /// A histogram without labels. Buckets are sorted and de-duplicated; `+Inf` is implicit.
    public func makeHistogram(
        name: String,
        help: String? = nil,
        unit: String? = nil,
        buckets: [Double] = HistogramBuckets.default
    ) async throws(MetricsError) -> HistogramMetric {
        try await makeHistogramFamily(name: name, help: help, unit: unit, buckets: buckets).labels([:])
    }

    /// A family of histograms with the given label names (`le` is reserved).
    public func makeHistogramFamily(
        name: String,
        help: String? = nil,
        unit: String? = nil,
        labelNames: [String] = [],
        buckets: [Double] = HistogramBuckets.default,
        options: FamilyOptions = FamilyOptions()
    ) throws(MetricsError) -> HistogramFamily {
        let descriptor = try MetricDescriptor(
            type: .histogram,
            name: name,
            help: help,
            unit: unit,
            labelNames: labelNames,
            buckets: buckets
        )
        return try family(descriptor, name, options)
    }

    /// An info series such as `llmdevops_build_info{version="1.0.0"} 1`.
    public func makeInfo(name: String, help: String? = nil, labels: [String: String]) async throws(MetricsError) -> InfoMetric {
        try await makeInfoFamily(name: name, help: help, labelNames: labels.keys.sorted()).labels(labels)
    }

    /// A family of info series with the given label names.
    public func makeInfoFamily(
        name: String,
        help: String? = nil,
        labelNames: [String],
        options: FamilyOptions = FamilyOptions()
    ) throws(MetricsError) -> InfoFamily {
        try family(MetricDescriptor(type: .info, name: name, help: help, labelNames: labelNames), name, options)
    }

    /// Adds a pull collector; its metrics must not clash with any registered family.
    public func register(collector: some PullCollector) throws(MetricsError) {
        let declared = collector.metrics
        guard !declared.isEmpty, Set(declared.map(\.name)).count == declared.count else {
            throw MetricsError(.invalidCollector, metric: collector.name, "a collector must declare each metric once")
        }
        for descriptor in declared { try checkClaims(descriptor, rawName: descriptor.name) }
        for descriptor in declared { claim(descriptor) }
        collectors.append(RegisteredCollector(collector: collector))
    }

    /// Removes a family and all its series; returns whether it existed.
    @discardableResult
    public func unregister(name: String) async -> Bool {
        guard let family = families.removeValue(forKey: name) else { return false }
        sortedFamilies.removeAll()
        for (claimed, owner) in claimedNames where owner == name { claimedNames[claimed] = nil }
        await family.removeAll()
        return true
    }

    private func family<Metric: MetricSeries>(
        _ descriptor: MetricDescriptor,
        _ rawName: String,
        _ options: FamilyOptions
    ) throws(MetricsError) -> MetricFamily<Metric> {
        if let existing = families[descriptor.name] {
            if let mismatch = existing.descriptor.mismatch(with: descriptor, metric: rawName) { throw mismatch }
            guard let typed = existing as? MetricFamily<Metric> else {
                throw MetricsError(.typeMismatch, metric: rawName, "already registered with another series type")
            }
            return typed
        }
        try checkClaims(descriptor, rawName: rawName)
        let family = MetricFamily<Metric>(
            descriptor: descriptor,
            context: SeriesContext(
                familyName: descriptor.name,
                clock: configuration.clock,
                bounds: descriptor.buckets,
                nativeLayout: try Self.nativeLayout(descriptor, options, rawName)
            ),
            limits: FamilyLimits(
                maxSeries: options.maxSeries ?? configuration.maxSeriesPerMetric,
                budget: budget,
                idleTTLNanoseconds: options.idleTTL.map(\.clampedNanoseconds),
                log: rejectionLog,
                screensLabelValues: options.screensLabelValues ?? configuration.screensLabelValues
            )
        )
        families[descriptor.name] = family
        sortedFamilies.removeAll()
        claim(descriptor)
        return family
    }

    private func checkClaims(_ descriptor: MetricDescriptor, rawName: String) throws(MetricsError) {
        for name in descriptor.claimedNames {
            if let owner = claimedNames[name] {
                throw MetricsError(
                    .sampleNameClash,
                    metric: rawName,
                    "'\(name)' is already produced by the family '\(owner)'"
                )
            }
        }
    }

    private func claim(_ descriptor: MetricDescriptor) {
        for name in descriptor.claimedNames { claimedNames[name] = descriptor.name }
    }

    // MARK: Collection and exposition

    // The cache methods are nonisolated: they go straight to the cache actor, so a scrape
    // answered from the cache never waits for a render of the registry (of another format)
    // to leave the registry actor.

    /// The exposition for `format`, from the cache while it is fresh (see <doc:ExpositionCache>).
    public nonisolated func exposition(_ format: ExpositionFormat) async -> [UInt8] {
        await bodies(for: format).plain
    }

    /// The exposition for `format` and, when a compressor is given, its gzip compression, from
    /// the cache while it is fresh.
    ///
    /// `gzip` compresses a plain body into a gzip stream, or returns `nil` to decline (for
    /// example below a minimum size, or when compression fails); the core does not compress by
    /// itself. It runs at most once per rendered body, off the registry actor, and its result
    /// (or the refusal) is cached with the body, so concurrent and later requests within the
    /// TTL get the same bytes (see <doc:RenderedByteCache>). Without a compressor,
    /// ``ExpositionBodies/gzip`` is `nil`.
    ///
    /// ```swift
    /// let bodies = await registry.bodies(for: .openMetrics, gzip: { plain in
    ///     plain.count >= 1024 ? try? zlibGzip(plain) : nil
    /// })
    /// let body = acceptsGzip ? bodies.gzip ?? bodies.plain : bodies.plain
    /// ```
    public nonisolated func bodies(
        for format: ExpositionFormat,
        gzip: (@Sendable ([UInt8]) -> [UInt8]?)? = nil
    ) async -> ExpositionBodies {
        await cache.bodies(for: format, render: { await self.render(format) }, compress: gzip)
    }

    /// The cached bodies for `format` when they are fresh and hold what is asked for (the gzip
    /// variant already computed or declined when `gzip` is true); `nil` when answering would
    /// mean rendering or compressing. Counts a cache hit when it returns bodies.
    ///
    /// The HTTP server answers from here before it takes a concurrency slot: serving these
    /// bytes costs no collection and no compression.
    package nonisolated func freshBodies(for format: ExpositionFormat, gzip: Bool) async -> ExpositionBodies? {
        await cache.freshBodies(for: format, gzip: gzip)
    }

    /// Cache hits and misses per format since the registry was created (also exported as
    /// `llmdevops_exporter_cache_hits_total` and `..._misses_total`).
    package nonisolated var cacheStatistics: (hits: [ExpositionFormat: UInt64], misses: [ExpositionFormat: UInt64]) {
        get async { await cache.statistics }
    }

    /// Renders `format` now, bypassing the cache.
    ///
    /// Registered families are written straight from their series tables into one buffer (no
    /// per-family snapshot), merged with what pull collectors and the self-metrics produce, in
    /// the order of the family names as `format` prints them (in text 0.0.4 a counter family
    /// sorts by its name with `_total`, as client_golang sorts it). Families with an idle TTL
    /// expire their idle series first.
    public func render(_ format: ExpositionFormat) async -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity((lastBodySize[format] ?? 4096) + 1024)
        await render(format, into: &body)
        return body
    }

    /// Renders `format` now, bypassing the cache, appending to `body`: what ``render(_:)``
    /// returns, into a buffer the caller keeps from render to render
    /// (`removeAll(keepingCapacity: true)` in between), so that a render of an unchanged
    /// registry allocates no body.
    public func render(_ format: ExpositionFormat, into body: inout [UInt8]) async {
        let registered = orderedFamilies(for: format)
        for family in registered where family.expiresIdleSeries {
            await family.expireIdleSeries()
        }
        var others = collectors.isEmpty ? [] : await collectPullCollectors()
        if configuration.exposeSelfMetrics {
            let cacheStatistics = await cache.statistics
            others.append(
                contentsOf: SelfMetrics.snapshots(
                    families: registered.map { $0.tallies() },
                    collectors: collectors,
                    cache: cacheStatistics
                )
            )
        }
        others.sort { $0.descriptor.precedes($1.descriptor, in: format) }
        let start = body.count
        if format == .protobuf {
            ProtobufEncoder().render(registered, others, scratch: &protobufScratch, into: &body)
            lastBodySize[format] = body.count - start
            return
        }

        // No suspension from here on, so the scratch buffers cannot be shared by two renders.
        var scratch = ExpositionScratch()
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        let encoder = ExpositionEncoder(format: format, exposeCreated: configuration.exposeCreatedSamples)
        var next = others.startIndex
        for family in registered {
            let descriptor = family.descriptor
            while next < others.endIndex, others[next].descriptor.precedes(descriptor, in: format) {
                encoder.encode(others[next], scratch: &scratch, into: &body)
                next += 1
            }
            family.encode(with: encoder, into: &body, scratch: &scratch)
        }
        for snapshot in others[next...] {
            encoder.encode(snapshot, scratch: &scratch, into: &body)
        }
        encoder.finish(into: &body)
        lastBodySize[format] = body.count - start
    }

    /// Drops cached bodies so the next request renders: the explicit flush of
    /// <doc:ExpositionCache>. A render in flight when it is called is not cached.
    public nonisolated func invalidateCache() async {
        await cache.invalidate()
    }

    /// The number of series held by all families.
    public var seriesCount: Int { budget.inUse }

    /// The registered families in `format`'s output order, cached until registrations change.
    private func orderedFamilies(for format: ExpositionFormat) -> [any CollectableFamily] {
        if let sorted = sortedFamilies[format] { return sorted }
        let sorted = families.values.sorted { $0.descriptor.precedes($1.descriptor, in: format) }
        sortedFamilies[format] = sorted
        return sorted
    }

    /// The registered families, for the cardinality report (which works outside the actor).
    func familiesForReport() -> [any CollectableFamily] {
        Array(families.values)
    }

    private func collectPullCollectors() async -> [FamilySnapshot] {
        let running = collectors
        return await withTaskGroup(of: [FamilySnapshot].self) { group in
            for registered in running {
                group.addTask {
                    do {
                        return registered.snapshots(from: try await registered.collector.collect())
                    } catch {
                        registered.recordFailure()
                        return []
                    }
                }
            }
            var snapshots: [FamilySnapshot] = []
            for await collected in group { snapshots.append(contentsOf: collected) }
            return snapshots
        }
    }
}

/// What the registry needs from a family of any series type.
protocol CollectableFamily: Actor {
    nonisolated var descriptor: MetricDescriptor { get }
    nonisolated var expiresIdleSeries: Bool { get }
    func expireIdleSeries()
    nonisolated func encode(with encoder: ExpositionEncoder, into out: inout [UInt8], scratch: inout ExpositionScratch)
    nonisolated func encode(with encoder: ProtobufEncoder, into out: inout [UInt8], scratch: inout ProtobufScratch)
    nonisolated func tallies() -> FamilyTallies
    nonisolated func cardinality(counterValues: Bool) -> FamilyCardinality
    func removeAll()
}

extension MetricFamily: CollectableFamily {}
