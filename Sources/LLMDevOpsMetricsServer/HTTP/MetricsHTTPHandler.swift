import HTTPTypes
public import LLMDevOpsMetrics
public import Logging
import Synchronization
public import Tracing

/// The framework-neutral endpoint: turns a ``MetricsHTTPRequest`` into a
/// ``MetricsHTTPResponse`` for the metrics path, `/health`, `/ready`, `/` and, when
/// `debug.enabled`, `/debug/cardinality` (HTML) and `/debug/cardinality.json`. The Hummingbird
/// integration is a thin adapter over it; any other server can call ``handle(_:)`` directly.
///
/// ```swift
/// let handler = try await MetricsHTTPHandler(registry: registry, configuration: configuration)
/// let response = await handler.handle(MetricsHTTPRequest(method: .get, path: "/metrics"))
/// // response.status, response.headers, response.body
/// ```
///
/// A metrics request goes through: method check (405) → authentication (401/403) and the
/// per-client rate limit (429) → a fresh cached body, served at once → otherwise the
/// concurrency limit (503) and the exposition cache, bounded by the scrape timeout (the last
/// good body when it runs out) → gzip when accepted and large enough.
public final class MetricsHTTPHandler: Sendable {
    let registry: RegistryActor
    let configuration: ServiceConfiguration
    /// Auth and rate limiting: replaced as a whole by ``reload(_:)``.
    let access: Lock<AccessPolicy>
    /// Whether the authenticator was given by the caller (a reload then keeps it).
    private let injectedAuthenticator: Bool
    private let rateLimitClock: MetricsClock
    private let deadlineClock: any Clock<Duration>
    /// What `/ready` reports.
    public let readiness: ReadinessState
    private let tracer: (any Tracer)?
    let logger: Logger?
    /// Scrapes that render or compress, at most `limits.max_concurrent_scrapes` at once.
    private let gate: BoundedCounter
    let selfMetrics: ExporterSelfMetrics
    /// Debug pages being computed, at most ``debugPageConcurrency`` at once; never a scrape slot.
    let debugGate = BoundedCounter(limit: MetricsHTTPHandler.debugPageConcurrency)
    private let gzip: GzipCompressor
    private let lastGood = Lock<[ExpositionFormat: ExpositionBodies]>([:])
    private let landingPage: [UInt8]
    /// `formats`: what content negotiation may choose.
    private let offeredFormats: Set<ExpositionFormat>

    /// Creates the handler and registers its self-metrics in `registry`.
    ///
    /// - Parameters:
    ///   - registry: The registry to expose.
    ///   - configuration: Path, compression, auth, rate-limit and limit settings.
    ///   - authenticator: Overrides the bearer-token authenticator built from `configuration.auth`
    ///     (used when auth is enabled, or whenever one is given).
    ///   - readiness: Shared with the lifecycle services; a new one starts as not ready.
    ///   - tracer: The tracer for `prometheus_scrape` spans; `nil` uses the bootstrapped one.
    ///   - rateLimitClock: The rate limiter's time source (tests inject a manual clock).
    ///   - deadlineClock: The clock the scrape timeout is measured on. Tests that are not about
    ///     the timeout inject a manual clock, so that a test process busy with other suites
    ///     cannot turn their scrapes into 503s.
    ///   - logger: Where to log refusals, rate limiting, overload and timeouts; `nil` logs
    ///     nothing. Tokens are never logged, and the handler never creates a logger of its own.
    public init(
        registry: RegistryActor,
        configuration: ServiceConfiguration = ServiceConfiguration(),
        authenticator: (any MetricsAuthenticator)? = nil,
        readiness: ReadinessState = ReadinessState(),
        tracer: (any Tracer)? = nil,
        rateLimitClock: MetricsClock = .system,
        deadlineClock: any Clock<Duration> = ContinuousClock(),
        logger: Logger? = nil
    ) async throws(ServerError) {
        self.deadlineClock = deadlineClock
        self.registry = registry
        self.configuration = configuration
        self.injectedAuthenticator = authenticator != nil
        self.rateLimitClock = rateLimitClock
        self.access = Lock(
            try AccessPolicy(
                configuration: configuration, injected: authenticator, previous: nil, clock: rateLimitClock))
        self.readiness = readiness
        self.tracer = tracer
        self.logger = logger
        self.gate = BoundedCounter(limit: max(1, configuration.limits.maxConcurrentScrapes))
        self.gzip = GzipCompressor(level: configuration.compression.level)
        self.landingPage = LandingPage.html(
            version: BuildVersion.current, metricsPath: configuration.endpoint.path,
            debugPages: configuration.debug.enabled)
        self.offeredFormats = configuration.formats.offered
        do {
            self.selfMetrics = try await ExporterSelfMetrics.register(
                in: registry, debugPages: configuration.debug.enabled)
        } catch {
            throw ServerError(.registration, error.description)
        }
    }

    /// The paths this handler answers.
    public var paths: [String] {
        ["/", "/health", "/ready", configuration.endpoint.path]
            + (configuration.debug.enabled ? [Self.cardinalityPath, Self.cardinalityJSONPath] : [])
    }

    /// Answers one request.
    public func handle(_ request: MetricsHTTPRequest) async -> MetricsHTTPResponse {
        switch request.path {
        case configuration.endpoint.path:
            return await scrape(request)
        case "/health":
            return await probe(request) { .text(.ok, "OK\n") }
        case "/ready":
            return await probe(request) { [readiness] in
                switch readiness.current {
                case .ready: .text(.ok, "ready\n")
                case .starting: .text(.serviceUnavailable, "not ready: no collection yet\n")
                case .draining: .text(.serviceUnavailable, "not ready: shutting down\n")
                }
            }
        case Self.cardinalityPath where configuration.debug.enabled:
            return await cardinality(request, json: false)
        case Self.cardinalityJSONPath where configuration.debug.enabled:
            return await cardinality(request, json: true)
        case "/":
            guard Self.isGetOrHead(request.method) else { return .methodNotAllowed }
            var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
            headers.append(contentsOf: MetricsHTTPResponse.securityHeaders)
            return MetricsHTTPResponse(status: .ok, headers: headers, body: landingPage).finished(for: request.method)
        default:
            return MetricsHTTPResponse.text(.notFound, "not found\n").finished(for: request.method)
        }
    }

    // MARK: Probes

    private func probe(
        _ request: MetricsHTTPRequest,
        _ answer: @Sendable () -> MetricsHTTPResponse
    ) async -> MetricsHTTPResponse {
        guard Self.isGetOrHead(request.method) else { return .methodNotAllowed }
        let access = access.withLock { $0 }
        if access.auth.protectHealth, case .refused(let response, _)? = await access.authorize(request) {
            return response.finished(for: request.method)
        }
        return answer().finished(for: request.method)
    }

    // MARK: Scrape

    private func scrape(_ request: MetricsHTTPRequest) async -> MetricsHTTPResponse {
        let started = ContinuousClock.now
        let format = ExpositionFormat.negotiate(accept: request.headers[.accept], offering: offeredFormats)
        let response = await answerScrape(request, format: format)
        let elapsed = ContinuousClock.now - started
        await selfMetrics.recordScrape(format: format, status: response.status, seconds: elapsed.seconds)
        return response.finished(for: request.method)
    }

    private func answerScrape(_ request: MetricsHTTPRequest, format: ExpositionFormat) async -> MetricsHTTPResponse {
        guard Self.isGetOrHead(request.method) else { return .methodNotAllowed }

        if let refusal = await admit(request, scope: MetricsScope.read) { return refusal }

        let wantsGzip = configuration.compression.enabled && AcceptEncoding.allowsGzip(request.headers[.acceptEncoding])
        // A fresh cached body costs no collection and no compression: it is served without a
        // concurrency slot, so a flood of scrapes cannot crowd out a legitimate one while the
        // cache is fresh. Only a scrape that has to render (or compress) needs a slot.
        let cached = await registry.freshBodies(for: format, gzip: wantsGzip)
        let holdsSlot = cached == nil
        if holdsSlot, let busy = Self.enter(gate, busy: "too many concurrent scrapes\n") {
            logger?.warning("Too many concurrent scrapes", metadata: ["llmdevops.http.max_in_flight": "\(gate.limit)"])
            return busy
        }
        defer { if holdsSlot { gate.release() } }
        selfMetrics.inFlight.increment()
        defer { selfMetrics.inFlight.decrement() }

        let span = (tracer ?? InstrumentationSystem.tracer).startSpan("prometheus_scrape", ofKind: .server)
        defer { span.end() }

        let timeout = scrapeTimeout(header: request.headers[.prometheusScrapeTimeout])
        var stale = false
        let bodies: ExpositionBodies
        if let cached {
            bodies = cached
        } else if let fresh = await exposition(format, gzip: wantsGzip, timeout: timeout) {
            bodies = fresh
            lastGood.withLock { $0[format] = fresh }
        } else if let previous = lastGood.withLock({ $0[format] }) {
            logger?.warning(
                "Collection exceeded the scrape timeout; serving the last good body",
                metadata: ["llmdevops.scrape.timeout_ms": "\(timeout.milliseconds)"])
            bodies = previous
            stale = true
        } else {
            logger?.warning(
                "Collection exceeded the scrape timeout and no earlier body exists",
                metadata: ["llmdevops.scrape.timeout_ms": "\(timeout.milliseconds)"])
            span.attributes["http.response.status_code"] = 503
            span.setStatus(SpanStatus(code: .error, message: "collection timed out"))
            var response = MetricsHTTPResponse.text(.serviceUnavailable, "collection timed out\n")
            response.headers[.retryAfter] = "1"
            return response
        }

        var headers: HTTPFields = [.contentType: format.contentType]
        let body: [UInt8]
        if wantsGzip, let compressed = bodies.gzip {
            headers[.contentEncoding] = "gzip"
            body = compressed
        } else {
            body = bodies.plain
        }
        headers[.vary] = "Accept, Accept-Encoding"
        headers[.cacheControl] = "no-store"
        if stale { headers[.llmdevopsStale] = "true" }
        headers.append(contentsOf: MetricsHTTPResponse.securityHeaders)

        // Counting families walks the whole plain body: only for a span that is recorded (with
        // no tracer bootstrapped, a cached scrape must cost next to nothing).
        if span.isRecording {
            span.attributes["scrape.format"] = format.rawValue
            span.attributes["scrape.metrics_count"] =
                format == .protobuf ? Self.protobufFamilyCount(bodies.plain) : Self.familyCount(bodies.plain)
            span.attributes["scrape.body_bytes"] = body.count
            span.attributes["scrape.gzip"] = body.count != bodies.plain.count
            span.attributes["scrape.stale"] = stale
            span.attributes["http.response.status_code"] = 200
        }
        return MetricsHTTPResponse(status: .ok, headers: headers, body: body)
    }

    private func exposition(
        _ format: ExpositionFormat,
        gzip wantsGzip: Bool,
        timeout: Duration
    ) async -> ExpositionBodies? {
        let registry = registry
        let minimumSize = configuration.compression.minSizeBytes
        let gzip = gzip
        let compress: (@Sendable ([UInt8]) -> [UInt8]?)?
        if wantsGzip {
            compress = { @Sendable plain in plain.count >= minimumSize ? gzip.compress(plain) : nil }
        } else {
            compress = nil
        }
        return await Deadline.race(timeout, on: deadlineClock) {
            await registry.bodies(for: format, gzip: compress)
        }
    }

    /// The time collection may take: the client's timeout less the offset (half of it when the
    /// offset would eat it all), never more than `limits.scrape_timeout_ms`.
    package func scrapeTimeout(header: String?) -> Duration {
        let limit = configuration.limits.scrapeTimeoutMilliseconds
        guard let header, let seconds = Double(Substring(header).trimmingSpaces), seconds.isFinite, seconds > 0 else {
            return .milliseconds(limit)
        }
        let clientMilliseconds = seconds * 1000
        let offset = Double(configuration.limits.scrapeTimeoutOffsetMilliseconds)
        let usable = clientMilliseconds > offset ? clientMilliseconds - offset : clientMilliseconds / 2
        return .milliseconds(Int(min(Double(limit), max(1, usable))))
    }

    // MARK: Reload

    /// The sections of the configuration that a reload applies at once: `auth` (enabled,
    /// protect_health, tokens and scopes) and `rate_limit`. Every other section needs a restart.
    public static let reloadableKeys = ["prometheus_metrics.auth", "prometheus_metrics.rate_limit"]

    /// Applies the `auth` and `rate_limit` settings of `new` at once (requests already past the
    /// check keep the old ones); a rate limit with unchanged settings keeps its buckets. An
    /// authenticator given to ``init(registry:configuration:authenticator:readiness:tracer:rateLimitClock:deadlineClock:logger:)``
    /// is kept.
    ///
    /// - Returns: The sections that differ from the running configuration but take effect only
    ///   after a restart (for example `prometheus_metrics.endpoint`), in file order.
    /// - Throws: ``ServerError`` with code `configuration` (nothing changed) when a token is unusable.
    @discardableResult
    public func reload(_ new: ServiceConfiguration) throws(ServerError) -> [String] {
        let previous = access.withLock { $0 }
        let injected = injectedAuthenticator ? previous.authenticator : nil
        let next = try AccessPolicy(configuration: new, injected: injected, previous: previous, clock: rateLimitClock)
        access.withLock { $0 = next }
        return Self.keysNeedingRestart(from: configuration, to: new)
    }

    /// The sections (other than `auth` and `rate_limit`) that differ.
    package static func keysNeedingRestart(from old: ServiceConfiguration, to new: ServiceConfiguration) -> [String] {
        var keys: [String] = []
        func check<T: Equatable>(_ name: String, _ path: KeyPath<ServiceConfiguration, T>) {
            if old[keyPath: path] != new[keyPath: path] { keys.append("prometheus_metrics.\(name)") }
        }
        check("enabled", \.enabled)
        check("endpoint", \.endpoint)
        check("cache", \.cache)
        check("cardinality", \.cardinality)
        check("compression", \.compression)
        check("collectors", \.collectors)
        check("tls", \.tls)
        check("limits", \.limits)
        check("lifecycle", \.lifecycle)
        check("logging", \.logging)
        check("sidecar", \.sidecar)
        check("debug", \.debug)
        check("formats", \.formats)
        check("native_histograms", \.nativeHistograms)
        return keys
    }

    // MARK: Helpers

    static func isGetOrHead(_ method: HTTPRequest.Method) -> Bool { method == .get || method == .head }

    /// The number of metric families in a text or OpenMetrics body: its `# TYPE` lines.
    package static func familyCount(_ body: [UInt8]) -> Int {
        let marker = Array("# TYPE ".utf8)
        var count = 0
        var lineStart = true
        var index = 0
        while index < body.count {
            if lineStart, body[index] == marker[0], index + marker.count <= body.count,
               body[index..<index + marker.count].elementsEqual(marker) {
                count += 1
            }
            lineStart = body[index] == UInt8(ascii: "\n")
            index += 1
        }
        return count
    }
}
