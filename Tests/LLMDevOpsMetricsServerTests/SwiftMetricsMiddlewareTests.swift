import CoreMetrics
import Hummingbird
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// Issue 4: Hummingbird's `MetricsMiddleware`, with our swift-metrics factory in place (task
/// local, no global bootstrap), puts its request metrics on our `/metrics`.
@Suite struct SwiftMetricsMiddlewareTests {
    @Test(.timeLimit(minutes: 1))
    func hummingbirdRequestMetricsAppearOnOurEndpoint() async throws {
        let logger = Logger(label: "test.swift-metrics", factory: { _ in SwiftLogNoOpLogHandler() })
        var configuration = CollectorsConfiguration()
        configuration.process.isEnabled = false
        configuration.runtime.isEnabled = false
        let collectors = try await MetricsCollectors(configuration: configuration, logger: logger)
        let factory = try #require(collectors.swiftMetricsFactory)
        let handler = try await MetricsHTTPHandler(registry: collectors.registry)
        handler.readiness.markReady()

        try await withMetricsFactory(factory) {
            let router = Router()
            router.add(middleware: MetricsMiddleware())
            router.get("/hello/{name}") { _, context in "hello \(context.parameters.get("name") ?? "")" }
            router.addMetricsEndpoints(handler, includeLandingPage: false)

            let port = Lock<Int?>(nil)
            let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
            let app = Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in
                    port.withLock { $0 = channel.localAddress?.port }
                    startedContinuation.finish()
                },
                logger: logger
            )
            let group = ServiceGroup(configuration: .init(services: [collectors, app], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                for await _ in started {}
                let bound = try #require(port.withLock { $0 })
                try await TestHTTPClient.with { client in
                    let base = "http://127.0.0.1:\(bound)"
                    for name in ["ada", "grace", "alan"] {
                        #expect(try await client.fetch(base + "/hello/\(name)").status == 200)
                    }
                    #expect(try await client.fetch(base + "/nowhere").status == 404)
                    await collectors.flush()  // the factory registers its families asynchronously
                    let body = try await client.fetch(base + "/metrics", headers: [("Accept", "application/openmetrics-text")])
                    let parsed = try ExpositionParser.parse(body.body, syntax: .openMetrics)
                    let requests = parsed.samples.filter {
                        $0.name.hasPrefix("hb_requests") && $0.labels.values.contains("/hello/{name}")
                    }
                    #expect(requests.map(\.value) == [3], "\(parsed.samples.filter { $0.name.hasPrefix("hb_") }.map(\.name))")
                    #expect(requests.first?.labels["http_request_method"] == "GET")
                    #expect(requests.first?.labels["http_response_status_code"] == "200")
                    let durations = parsed.samples.filter {
                        $0.name == "http_server_request_duration_seconds_count" && $0.labels["http_route"] == "/hello/{name}"
                    }
                    #expect(durations.map(\.value) == [3], "\(parsed.samples.filter { $0.name.hasPrefix("http_server") }.map(\.name))")
                    #expect(parsed.samples.contains { $0.name.hasPrefix("hb_request_errors") })
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
