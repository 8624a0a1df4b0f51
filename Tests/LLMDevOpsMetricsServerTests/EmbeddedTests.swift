import HTTPTypes
import Hummingbird
import InMemoryTracing
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing
import Tracing

/// The embedded pattern: one call mounts the endpoints on an application's router; the
/// framework-neutral handler answers without any server; each scrape is traced.
@Suite struct EmbeddedTests {
    @Test func oneCallMountsTheEndpointsOnAnApplicationRouter() async throws {
        let registry = RegistryActor()
        let requests = try await registry.makeCounter(name: "app_requests_total")
        requests.increment(by: 5)
        let handler = try await MetricsHTTPHandler(registry: registry, deadlineClock: ManualTestClock())
        handler.readiness.markReady()

        let router = Router()
        router.get("/hello") { _, _ in "world" }
        router.addMetricsEndpoints(handler, includeLandingPage: false)

        try await RunningApplication.with(router) { bound in
            try await TestHTTPClient.with { client in
                let base = "http://127.0.0.1:\(bound)"
                let hello = try await client.fetch(base + "/hello")
                #expect(hello.text == "world")
                let metrics = try await client.fetch(base + "/metrics")
                #expect(metrics.status == 200)
                #expect(metrics.text.contains("app_requests_total 5"))
                let post = try await client.fetch(base + "/metrics", method: .POST)
                #expect(post.status == 405)
                #expect(post.header("Allow") == "GET, HEAD")
                let ready = try await client.fetch(base + "/ready").status
                let root = try await client.fetch(base + "/").status
                #expect(ready == 200)
                #expect(root == 404)
            }
        }
    }

    @Test func theFrameworkNeutralHandlerReturnsStatusHeadersAndBody() async throws {
        let registry = RegistryActor()
        try await registry.makeGauge(name: "neutral_value").set(to: 3)
        let handler = try await MetricsHTTPHandler(registry: registry, deadlineClock: ManualTestClock())
        // Header names compare case-insensitively, however the request spells them.
        let lowercaseAccept = try #require(HTTPField.Name("accept"))
        let response = await handler.handle(
            MetricsHTTPRequest(
                method: .get, path: "/metrics?debug=1", headers: [lowercaseAccept: "application/openmetrics-text"]))
        #expect(response.status == .ok)
        let lowercaseContentType = try #require(HTTPField.Name("content-type"))
        #expect(response.headers[lowercaseContentType] == ExpositionFormat.openMetrics.contentType)
        #expect(response.headers[.contentLength] == String(response.body.count))
        #expect(String(decoding: response.body, as: UTF8.self).contains("neutral_value 3"))
        let head = await handler.handle(MetricsHTTPRequest(method: .head, path: "/metrics"))
        #expect(head.body.isEmpty)
        #expect(await handler.handle(MetricsHTTPRequest(method: .get, path: "/x")).status == .notFound)
        #expect(await handler.handle(MetricsHTTPRequest(method: .get, path: "/ready")).status == .serviceUnavailable)
        // Methods are case-sensitive (RFC 9110 §9.1): `get` is not `GET`.
        let lowercaseGet = try #require(HTTPRequest.Method("get"))
        let lowercaseResponse = await handler.handle(MetricsHTTPRequest(method: lowercaseGet, path: "/metrics"))
        #expect(lowercaseResponse.status == .methodNotAllowed)
    }

    @Test func eachScrapeIsTracedWithItsAttributes() async throws {
        let registry = RegistryActor()
        let family = try await registry.makeCounterFamily(name: "traced_total", labelNames: ["k"])
        for value in 0..<3 { try await family.labels(values: ["v\(value)"]).increment() }
        let tracer = InMemoryTracer()
        let handler = try await MetricsHTTPHandler(registry: registry, tracer: tracer, deadlineClock: ManualTestClock())
        let response = await handler.handle(
            MetricsHTTPRequest(method: .get, path: "/metrics", headers: [.acceptEncoding: "gzip"]))
        #expect(response.status == .ok)
        let spans = tracer.finishedSpans
        let span = try #require(spans.first)
        #expect(spans.count == 1)
        #expect(span.operationName == "prometheus_scrape")
        #expect(span.kind == .server)
        #expect(span.attributes["scrape.format"]?.toSpanAttribute() == .string("text"))
        #expect(span.attributes["scrape.body_bytes"]?.toSpanAttribute() == .int64(Int64(response.body.count)))
        let typeLines = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
            .split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.count
        #expect(span.attributes["scrape.metrics_count"]?.toSpanAttribute() == .int64(Int64(typeLines)))
        // Requests that are not scrapes make no span.
        _ = await handler.handle(MetricsHTTPRequest(method: .get, path: "/health"))
        #expect(tracer.finishedSpans.count == 1)
    }

    /// The scrape timeout runs on the handler's deadline clock: with the collection held, the
    /// scrape answers 503 once that clock passes the timeout, and not before (the clock the other
    /// in-process tests inject never moves, so a busy test process cannot time their scrapes out).
    @Test func theScrapeTimeoutRunsOnTheInjectedDeadlineClock() async throws {
        let collector = try HeldCollector()
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await registry.register(collector: collector)
        let clock = ManualTestClock()
        let handler = try await MetricsHTTPHandler(registry: registry, deadlineClock: clock)
        collector.hold()
        let scrape = Task { await handler.handle(MetricsHTTPRequest(method: .get, path: "/metrics")) }
        var runs = collector.startedRuns.makeAsyncIterator()
        _ = await runs.next()  // the collection started and is held
        // The deadline timer is armed (bounded: a handler on another clock never arms it).
        for _ in 0..<1_000_000 where clock.sleeperCount == 0 { await Task.yield() }
        try #require(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(9_999))
        #expect(clock.sleeperCount == 1)  // one tick short of the 10 s default: still waiting
        clock.advance(by: .milliseconds(1))
        let response = await scrape.value
        #expect(response.status == .serviceUnavailable)
        #expect(String(decoding: response.body, as: UTF8.self) == "collection timed out\n")
        collector.release()
    }
}
