import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import NIOHTTP1
import Testing

/// The protobuf format over a real loopback socket: negotiated from the Accept header
/// Prometheus 2.42 sends with native histograms on, served with gzip and from the rendered-byte
/// cache like the text formats, and switched off by `formats.protobuf: false`. Bodies are
/// decoded by the Python protobuf runtime (`Scripts/protobuf-exposition.py`).
@Suite struct ProtobufEndpointTests {
    /// Captured from Debian's Prometheus 2.42 started with `--enable-feature=native-histograms`.
    static let prometheus242NativeAccept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
        + "application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
    static let protobuf = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

    /// The populated registry with a cache and a native histogram.
    static func registry(cacheTTL: Duration = .zero) async throws -> RegistryActor {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: cacheTTL))
        let requests = try await registry.makeCounterFamily(
            name: "test_requests_total",
            help: "Requests.",
            labelNames: ["model", "status"]
        )
        for model in 0..<20 {
            try await requests.labels(["model": "model-\(model)", "status": "ok"]).increment(by: Double(model + 1))
        }
        let latency = try await registry.makeHistogramFamily(
            name: "test_latency_seconds",
            help: "Latency.",
            unit: "seconds",
            labelNames: ["model"],
            options: FamilyOptions(nativeHistogram: NativeHistogramOptions())
        )
        for value in [0.02, 0.2, 2] { try await latency.labels(["model": "a"]).observe(value) }
        return registry
    }

    private static func family(_ name: String, in families: [[String: Any]]) -> [String: Any]? {
        families.first { $0["name"] as? String == name }
    }

    @Test(.requires(.protobufDecoder))
    func prometheusWithNativeHistogramsGetsProtobufPlainAndGzipped() async throws {
        try ExternalTool.protobufDecoder.require()
        try await RunningServer.with(RunningServer.configuration(), registry: try await Self.registry()) { server in
            try await TestHTTPClient.with { client in
                let plain = try await client.fetch(
                    server.url("/metrics"),
                    headers: [("Accept", Self.prometheus242NativeAccept)]
                )
                #expect(plain.status == 200)
                #expect(plain.header("Content-Type") == Self.protobuf)
                #expect(plain.header("Vary") == "Accept, Accept-Encoding")
                #expect(plain.header("Content-Length") == String(plain.body.count))
                let families = try ProtobufOracle.decode(plain.body)
                let requests = try #require(Self.family("test_requests_total", in: families))
                #expect((requests["metric"] as? [Any])?.count == 20)
                let latency = try #require(Self.family("test_latency_seconds", in: families))
                let histogram = try #require(
                    ((latency["metric"] as? [[String: Any]])?.first)?["histogram"] as? [String: Any]
                )
                #expect(histogram["schema"] as? Int == 3)
                #expect(histogram["sampleCount"] as? String == "3")
                // Prometheus always accepts gzip.
                let compressed = try await client.fetch(
                    server.url("/metrics"),
                    headers: [("Accept", Self.prometheus242NativeAccept), ("Accept-Encoding", "gzip")]
                )
                #expect(compressed.header("Content-Encoding") == "gzip")
                #expect(compressed.header("Content-Type") == Self.protobuf)
                let inflated = try MetricsEndpointTests.gunzip(compressed.body)
                let again = try ProtobufOracle.decode(inflated)
                #expect(again.compactMap { $0["name"] as? String } == families.compactMap { $0["name"] as? String })
                // The self-metrics count scrapes by negotiated format.
                let text = try await client.fetch(server.url("/metrics"))
                #expect(text.text.contains(#"llmdevops_exporter_scrapes_total{format="protobuf",code="200"} 2"#))
            }
        }
    }

    /// Within the TTL a protobuf scrape is answered from the rendered-byte cache, separately
    /// from the text formats: the same bytes, a cache hit counted for `format="protobuf"`.
    @Test func protobufBodiesAreCachedPerFormat() async throws {
        let registry = try await Self.registry(cacheTTL: .seconds(60))
        try await RunningServer.with(RunningServer.configuration(), registry: registry) { server in
            try await TestHTTPClient.with { client in
                let headers = [("Accept", Self.prometheus242NativeAccept)]
                let first = try await client.fetch(server.url("/metrics"), headers: headers)
                try await registry.makeCounter(name: "late_total").increment()
                let second = try await client.fetch(server.url("/metrics"), headers: headers)
                #expect(second.body == first.body)
                let statistics = await registry.cacheStatistics
                #expect(statistics.misses[.protobuf] == 1)
                #expect(statistics.hits[.protobuf] == 1)
                // Protobuf scrapes never touch the text entry (the readiness check's warm-up
                // render of text 0.0.4 may or may not have run by now: a miss, never a hit).
                #expect(statistics.hits[.prometheusText] == nil)
            }
        }
    }

    @Test(arguments: [
        (false, true, prometheus242NativeAccept, MetricsEndpointTests.openMetrics),
        (false, false, prometheus242NativeAccept, MetricsEndpointTests.text),
        (true, false, MetricsEndpointTests.prometheus242Accept, MetricsEndpointTests.text),
        (true, true, prometheus242NativeAccept, protobuf),
    ])
    func formatsCanBeTurnedOff(protobuf: Bool, openMetrics: Bool, accept: String, contentType: String) async throws {
        let configuration = RunningServer.configuration {
            $0.formats.protobuf = protobuf
            $0.formats.openMetrics = openMetrics
        }
        try await RunningServer.with(configuration, registry: try await Self.registry()) { server in
            try await TestHTTPClient.with { client in
                let response = try await client.fetch(server.url("/metrics"), headers: [("Accept", accept)])
                #expect(response.status == 200)
                #expect(response.header("Content-Type") == contentType)
                if contentType != Self.protobuf {
                    // Text formats show the classic buckets only.
                    #expect(response.text.contains(#"test_latency_seconds_bucket{model="a",le="0.25"} 2"#))
                }
            }
        }
    }

    @Test func headAnswersWithTheProtobufHeadersAndNoBody() async throws {
        try await RunningServer.with(RunningServer.configuration(), registry: try await Self.registry()) { server in
            try await TestHTTPClient.with { client in
                let response = try await client.fetch(
                    server.url("/metrics"),
                    method: .HEAD,
                    headers: [("Accept", Self.prometheus242NativeAccept)]
                )
                #expect(response.status == 200)
                #expect(response.header("Content-Type") == Self.protobuf)
                #expect(response.body.isEmpty)
                #expect(Int(response.header("Content-Length") ?? "") ?? 0 > 100)
            }
        }
    }

    @Test func theFamilyCountOfAProtobufBodyCountsItsMessages() async throws {
        let registry = try await Self.registry()
        let body = await registry.render(.protobuf)
        let text = await registry.render(.prometheusText)
        // Protobuf leaves out families without series (text 0.0.4 prints their # TYPE line).
        let parsed = try ExpositionParser.parse(text, syntax: .prometheusText)
        let withSeries = parsed.families.filter { !$0.samples.isEmpty }.count
        #expect(withSeries > 2)
        #expect(MetricsHTTPHandler.protobufFamilyCount(body) == withSeries)
        #expect(MetricsHTTPHandler.protobufFamilyCount(Array(body.dropLast())) == withSeries - 1)
        #expect(MetricsHTTPHandler.protobufFamilyCount([0xFF]) == 0)
    }
}
