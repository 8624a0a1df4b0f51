import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// Golden outputs for both formats: every metric type, escaping, special values, canonical `le`
/// values, units, exemplars, `_created` and empty families.
@Suite struct ExpositionGoldenTests {
    /// A registry with one of everything, on a manual clock, without self-metrics.
    static func makeRegistry(exposeCreated: Bool = false) async throws -> RegistryActor {
        let time = ManualMetricsClock(wallSeconds: 1_700_000_000.5)
        let registry = RegistryActor(
            configuration: RegistryConfiguration(
                exposeCreatedSamples: exposeCreated,
                clock: time.clock,
                exposeSelfMetrics: false
            )
        )
        let requests = try await registry.makeCounterFamily(
            name: "app_requests_total",
            help: "Requests \"served\" \\ by\nroute.",
            labelNames: ["route", "code"]
        )
        try await requests.labels(["code": "200", "route": "/a\"b\\c\nd"]).increment(by: 3)
        try await requests.labels(values: ["/caf\u{E9}/\u{1F680}", "500"]).increment(by: 0.5, exemplar: ["trace_id": "4bf92f35"])
        try await requests.labels(values: ["/", "200"]).increment(by: 1_000_000)

        let latency = try await registry.makeHistogramFamily(
            name: "app_latency_seconds",
            help: "Request latency.",
            unit: "seconds",
            labelNames: ["route"],
            buckets: [1e6, 0.005, 1, 10, 100_000, 0.1, 1]
        )
        let root = try await latency.labels(["route": "/"])
        root.observe(0.004)
        root.observe(0.5, exemplar: ["trace_id": "abc", "span_id": "1"])
        root.observe(2e6)

        let temperature = try await registry.makeGaugeFamily(name: "app_temperature_celsius", unit: "celsius", labelNames: ["room"])
        try await temperature.labels(["room": "hot"]).set(to: .infinity)
        try await temperature.labels(["room": "cold"]).set(to: -.infinity)
        try await temperature.labels(["room": "broken"]).set(to: .nan)
        try await temperature.labels(["room": "tiny"]).set(to: 1e-05)

        _ = try await registry.makeInfo(name: "app_build_info", help: "Build facts.", labels: ["version": "1.2.0", "revision": "abc"])
        _ = try await registry.makeCounterFamily(name: "app_unused_total", help: "Never incremented.", labelNames: ["kind"])
        return registry
    }

    @Test func prometheusText() async throws {
        let registry = try await Self.makeRegistry()
        let body = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
        #expect(body == #"""
            # HELP app_build_info Build facts.
            # TYPE app_build_info gauge
            app_build_info{revision="abc",version="1.2.0"} 1
            # HELP app_latency_seconds Request latency.
            # TYPE app_latency_seconds histogram
            app_latency_seconds_bucket{route="/",le="0.005"} 1
            app_latency_seconds_bucket{route="/",le="0.1"} 1
            app_latency_seconds_bucket{route="/",le="1.0"} 2
            app_latency_seconds_bucket{route="/",le="10.0"} 2
            app_latency_seconds_bucket{route="/",le="100000.0"} 2
            app_latency_seconds_bucket{route="/",le="1e+06"} 2
            app_latency_seconds_bucket{route="/",le="+Inf"} 3
            app_latency_seconds_sum{route="/"} 2000000.504
            app_latency_seconds_count{route="/"} 3
            # HELP app_requests_total Requests "served" \\ by\nroute.
            # TYPE app_requests_total counter
            app_requests_total{route="/",code="200"} 1000000
            app_requests_total{route="/a\"b\\c\nd",code="200"} 3
            app_requests_total{route="/café/🚀",code="500"} 0.5
            # TYPE app_temperature_celsius gauge
            app_temperature_celsius{room="broken"} NaN
            app_temperature_celsius{room="cold"} -Inf
            app_temperature_celsius{room="hot"} +Inf
            app_temperature_celsius{room="tiny"} 1e-05
            # HELP app_unused_total Never incremented.
            # TYPE app_unused_total counter

            """#)
    }

    @Test func openMetrics() async throws {
        let registry = try await Self.makeRegistry()
        let body = String(decoding: await registry.render(.openMetrics), as: UTF8.self)
        #expect(body == #"""
            # TYPE app_build info
            # HELP app_build Build facts.
            app_build_info{revision="abc",version="1.2.0"} 1
            # TYPE app_latency_seconds histogram
            # UNIT app_latency_seconds seconds
            # HELP app_latency_seconds Request latency.
            app_latency_seconds_bucket{route="/",le="0.005"} 1
            app_latency_seconds_bucket{route="/",le="0.1"} 1
            app_latency_seconds_bucket{route="/",le="1.0"} 2 # {span_id="1",trace_id="abc"} 0.5 1700000000.5
            app_latency_seconds_bucket{route="/",le="10.0"} 2
            app_latency_seconds_bucket{route="/",le="100000.0"} 2
            app_latency_seconds_bucket{route="/",le="1e+06"} 2
            app_latency_seconds_bucket{route="/",le="+Inf"} 3
            app_latency_seconds_sum{route="/"} 2000000.504
            app_latency_seconds_count{route="/"} 3
            # TYPE app_requests counter
            # HELP app_requests Requests \"served\" \\ by\nroute.
            app_requests_total{route="/",code="200"} 1000000
            app_requests_total{route="/a\"b\\c\nd",code="200"} 3
            app_requests_total{route="/café/🚀",code="500"} 0.5 # {trace_id="4bf92f35"} 0.5 1700000000.5
            # TYPE app_temperature_celsius gauge
            # UNIT app_temperature_celsius celsius
            app_temperature_celsius{room="broken"} NaN
            app_temperature_celsius{room="cold"} -Inf
            app_temperature_celsius{room="hot"} +Inf
            app_temperature_celsius{room="tiny"} 1e-05
            # TYPE app_unused counter
            # HELP app_unused Never incremented.
            # EOF

            """#)
    }

    @Test func openMetricsWithCreatedSamples() async throws {
        let registry = try await Self.makeRegistry(exposeCreated: true)
        let body = String(decoding: await registry.render(.openMetrics), as: UTF8.self)
        let created = body.split(separator: "\n").filter { $0.contains("_created") }
        #expect(created == [
            #"app_latency_seconds_created{route="/"} 1700000000.5"#,
            #"app_requests_created{route="/",code="200"} 1700000000.5"#,
            #"app_requests_created{route="/a\"b\\c\nd",code="200"} 1700000000.5"#,
            #"app_requests_created{route="/café/🚀",code="500"} 1700000000.5"#,
        ])
        // Text 0.0.4 has no _created samples.
        let text = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
        #expect(!text.contains("_created"))
    }

    /// Names that sort differently in the two formats: a counter next to a gauge that extends
    /// its family name, an info family next to a gauge that extends its name, and the same for a
    /// pull collector's counter merged with a registered gauge.
    static func makeOrderingRegistry() async throws -> RegistryActor {
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        try await registry.makeCounter(name: "app_executions_total", help: "Runs.").increment()
        try await registry.makeGauge(name: "app_executions_in_flight", help: "Running.").set(to: 2)
        _ = try await registry.makeInfo(name: "app_build_info", help: "Build.", labels: ["version": "1"])
        try await registry.makeGauge(name: "app_build_extra", help: "Extra.").set(to: 1)
        try await registry.makeGauge(name: "app_pulled_last", help: "Last pull.").set(to: 5)
        try await registry.register(collector: try PulledCounter())
        return registry
    }

    /// A pull collector with one counter, `app_pulled_total` = 7.
    struct PulledCounter: PullCollector {
        let name = "pulled"
        let metrics: [MetricDescriptor]

        init() throws {
            metrics = [try MetricDescriptor(type: .counter, name: "app_pulled_total", help: "Pulled.")]
        }

        func collect() async throws -> [CollectedFamily] {
            [CollectedFamily(name: "app_pulled", samples: [CollectedSample(value: .counter(7))])]
        }
    }

    /// Families sort by the name as each format prints it (`../FORMAT-RULES.md`): text 0.0.4
    /// puts `app_executions_in_flight` before `app_executions_total`, as client_golang does,
    /// and OpenMetrics puts `app_executions` first.
    @Test func familiesSortByTheNameEachFormatPrints() async throws {
        let registry = try await Self.makeOrderingRegistry()
        let text = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
        #expect(text == #"""
            # HELP app_build_extra Extra.
            # TYPE app_build_extra gauge
            app_build_extra 1
            # HELP app_build_info Build.
            # TYPE app_build_info gauge
            app_build_info{version="1"} 1
            # HELP app_executions_in_flight Running.
            # TYPE app_executions_in_flight gauge
            app_executions_in_flight 2
            # HELP app_executions_total Runs.
            # TYPE app_executions_total counter
            app_executions_total 1
            # HELP app_pulled_last Last pull.
            # TYPE app_pulled_last gauge
            app_pulled_last 5
            # HELP app_pulled_total Pulled.
            # TYPE app_pulled_total counter
            app_pulled_total 7

            """#)
        let openMetrics = String(decoding: await registry.render(.openMetrics), as: UTF8.self)
        #expect(openMetrics == #"""
            # TYPE app_build info
            # HELP app_build Build.
            app_build_info{version="1"} 1
            # TYPE app_build_extra gauge
            # HELP app_build_extra Extra.
            app_build_extra 1
            # TYPE app_executions counter
            # HELP app_executions Runs.
            app_executions_total 1
            # TYPE app_executions_in_flight gauge
            # HELP app_executions_in_flight Running.
            app_executions_in_flight 2
            # TYPE app_pulled counter
            # HELP app_pulled Pulled.
            app_pulled_total 7
            # TYPE app_pulled_last gauge
            # HELP app_pulled_last Last pull.
            app_pulled_last 5
            # EOF

            """#)
    }

    @Test func emptyRegistryRendersOnlyTheTerminator() async {
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        #expect(await registry.render(.prometheusText).isEmpty)
        #expect(String(decoding: await registry.render(.openMetrics), as: UTF8.self) == "# EOF\n")
    }

    @Test func outputIsDeterministicAcrossRegistrationOrder() async throws {
        let first = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let second = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let names = (0..<20).map { "family_\($0)" }
        for name in names {
            try await first.makeGaugeFamily(name: name, labelNames: ["k"]).labels(["k": "v\(name.count)"]).set(to: 1)
        }
        for name in names.reversed() {
            try await second.makeGaugeFamily(name: name, labelNames: ["k"]).labels(["k": "v\(name.count)"]).set(to: 1)
        }
        let firstBody = await first.render(.openMetrics)
        #expect(firstBody == (await second.render(.openMetrics)))
        #expect(firstBody == (await first.render(.openMetrics)))
    }
}
