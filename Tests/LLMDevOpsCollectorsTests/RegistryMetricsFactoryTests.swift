import CoreMetrics
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Testing

/// The swift-metrics backend, used through an injected factory (no global bootstrap).
@Suite(.timeLimit(minutes: 1)) struct RegistryMetricsFactoryTests {
    /// Runs a factory on a fresh registry for the duration of `body`.
    func withFactory(_ body: (RegistryMetricsFactory, RegistryActor) async throws -> Void) async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let factory = RegistryMetricsFactory(registry: registry, logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await factory.run() }
            try await body(factory, registry)
            factory.finish()
            try await group.waitForAll()
        }
    }

    @Test func mapsEveryHandlerKindWithSanitisedNames() async throws {
        try await withFactory { factory, registry in
            Counter(label: "hb.requests", dimensions: [("http.route", "/a"), ("method", "GET")], factory: factory).increment(by: 3)
            FloatingPointCounter(label: "energy.joules", factory: factory).increment(by: 1.5)
            Recorder(label: "queue.depth", aggregate: false, factory: factory).record(7)
            Recorder(label: "payload.size", factory: factory).record(300)
            Meter(label: "http.server.active_requests", dimensions: [("http.request.method", "GET")], factory: factory).increment(by: 2)
            CoreMetrics.Timer(label: "http.server.request.duration", factory: factory).recordNanoseconds(250_000_000)
            await factory.flush()
            try await registry.expectSample("hb_requests_total", labels: ["http_route": "/a", "method": "GET"], value: 3)
            try await registry.expectSample("energy_joules_total", value: 1.5)
            try await registry.expectSample("queue_depth", value: 7)
            try await registry.expectSample("payload_size_count", value: 1)
            try await registry.expectSample("payload_size_sum", value: 300)
            try await registry.expectSample("http_server_active_requests", labels: ["http_request_method": "GET"], value: 2)
            try await registry.expectSample("http_server_request_duration_seconds_sum", value: 0.25)
            try await registry.expectSample("http_server_request_duration_seconds_bucket", labels: ["le": "0.25"], value: 1)
        }
    }

    @Test func dimensionOrderDoesNotMatter() async throws {
        try await withFactory { factory, registry in
            let first = factory.makeCounter(label: "requests", dimensions: [("a", "1"), ("b", "2")])
            let second = factory.makeCounter(label: "requests", dimensions: [("b", "2"), ("a", "1")])
            #expect(first as AnyObject === second as AnyObject)
            first.increment(by: 1)
            second.increment(by: 2)
            await factory.flush()
            try await registry.expectSample("requests_total", labels: ["a": "1", "b": "2"], value: 3)
            let exposition = try await registry.parsedExposition()
            #expect(exposition.samples.filter { $0.name == "requests_total" }.count == 1)
        }
    }

    @Test func mismatchedDimensionSetsUnderOneLabelDoNotCrash() async throws {
        // hummingbird#586: the same label with different dimension names crashed swift-prometheus.
        try await withFactory { factory, registry in
            Counter(label: "hb.request.errors", dimensions: [("route", "/a"), ("method", "GET")], factory: factory).increment()
            Counter(label: "hb.request.errors", dimensions: [("route", "/a"), ("method", "GET"), ("error.type", "500")], factory: factory)
                .increment()
            Counter(label: "hb.request.errors", dimensions: [("route", "/b")], factory: factory).increment()
            Counter(label: "hb.request.errors", factory: factory).increment()
            CoreMetrics.Timer(label: "hb.request.errors", factory: factory).recordNanoseconds(1)  // another kind, same name
            await factory.flush()
            let exposition = try await registry.parsedExposition()
            // Extra dimensions are dropped, missing ones exported empty (absent); nothing is lost for counters.
            #expect(exposition.value("hb_request_errors_total", ["method": "GET", "route": "/a"]) == 2)
            // (An empty label value is the same as an absent label to Prometheus.)
            #expect(exposition.value("hb_request_errors_total", ["method": "", "route": "/b"]) == 1)
            #expect(exposition.value("hb_request_errors_total", ["method": "", "route": ""]) == 1)
            #expect(exposition.value("llmdevops_swift_metrics_problems_total", ["reason": "dimension_mismatch"]) == 3)
        }
    }

    @Test func dimensionValuesThatLookLikeSecretsAreRedactedAndCounted() async throws {
        try await withFactory { factory, registry in
            let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
            Counter(label: "http.requests", dimensions: [("route", "/api/v1/items/{id}"), ("user", "jane.doe@example.com")], factory: factory)
                .increment()
            Counter(label: "http.requests", dimensions: [("route", "/api/v1/items/{id}"), ("user", "Bearer \(token)")], factory: factory)
                .increment(by: 2)
            Counter(label: "http.requests", dimensions: [("route", "/api/v1/items/{id}"), ("user", "anonymous")], factory: factory)
                .increment(by: 5)
            await factory.flush()
            try await registry.expectSample("http_requests_total", labels: ["route": "/api/v1/items/{id}", "user": "_redacted"], value: 3)
            try await registry.expectSample("http_requests_total", labels: ["route": "/api/v1/items/{id}", "user": "anonymous"], value: 5)
            for reason in ["email", "bearer_token"] {
                try await registry.expectSample(
                    "llmdevops_registry_label_redactions_total", labels: ["family": "http_requests", "label": "user", "reason": reason], value: 1)
            }
            let body = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
            #expect(!body.contains("jane.doe") && !body.contains(token))
        }
    }

    @Test func destroyRemovesTheSeries() async throws {
        try await withFactory { factory, registry in
            let counter = Counter(label: "jobs", dimensions: [("queue", "q1")], factory: factory)
            counter.increment(by: 5)
            let meter = Meter(label: "workers", factory: factory)
            meter.set(4)
            await factory.flush()
            try await registry.expectSample("jobs_total", labels: ["queue": "q1"], value: 5)
            counter.destroy()
            meter.destroy()
            await factory.flush()
            let exposition = try await registry.parsedExposition()
            #expect(exposition.sample(named: "jobs_total", labels: ["queue": "q1"]) == nil)
            #expect(exposition.sample(named: "workers", labels: [:]) == nil)
            // A new handler for the same identity starts from zero.
            Counter(label: "jobs", dimensions: [("queue", "q1")], factory: factory).increment()
            await factory.flush()
            try await registry.expectSample("jobs_total", labels: ["queue": "q1"], value: 1)
        }
    }

    @Test func valuesRecordedBeforeTheSeriesExistsAreKept() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let factory = RegistryMetricsFactory(registry: registry, logger: .quiet)
        // Nothing runs yet: handlers buffer what they get.
        let counter = Counter(label: "early", factory: factory)
        let timer = CoreMetrics.Timer(label: "early.latency", factory: factory)
        let gauge = Meter(label: "early.level", factory: factory)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<1000 {
                        counter.increment()
                        timer.recordNanoseconds(1_000_000)
                    }
                }
            }
        }
        gauge.set(3.5)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await factory.run() }
            // Keep recording while the registrations are processed: none may be lost or doubled.
            for _ in 0..<1000 { counter.increment() }
            await factory.flush()
            try await registry.expectSample("early_total", value: 5000)
            try await registry.expectSample("early_latency_seconds_count", value: 4000)
            try await registry.expectSample("early_level", value: 3.5)
            factory.finish()
            try await group.waitForAll()
        }
    }
}
