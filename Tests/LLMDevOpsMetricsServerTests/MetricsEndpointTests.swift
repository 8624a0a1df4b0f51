import CompressNIO
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import NIOCore
import NIOHTTP1
import Testing

/// The metrics endpoint over a real loopback socket: negotiation, gzip, HEAD, 404, 405, `/`.
@Suite struct MetricsEndpointTests {
    static let prometheus242Accept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
    static let prometheus3Accept =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"
    static let text = "text/plain; version=0.0.4; charset=utf-8"
    static let openMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    /// A registry with enough series that its body is well above 1 KiB.
    static func populatedRegistry() async throws -> RegistryActor {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let requests = try await registry.makeCounterFamily(
            name: "test_requests_total", help: "Requests.", labelNames: ["model", "status"])
        for model in 0..<20 {
            try await requests.labels(["model": "model-\(model)", "status": "ok"]).increment(by: Double(model + 1))
        }
        return registry
    }

    static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        var output = try buffer.decompress(with: .gzip)
        return output.readBytes(length: output.readableBytes) ?? []
    }

    @Test(arguments: [
        (prometheus242Accept, openMetrics),
        (prometheus3Accept, openMetrics),
        ("*/*", text),
        ("garbage;;;q=what, ,,;=", text),
        (nil, text),
        ("application/openmetrics-text;version=0.0.1", openMetrics),
        ("text/plain;version=0.0.4", text),
    ] as [(String?, String)])
    func negotiatesTheFormat(accept: String?, contentType: String) async throws {
        let registry = try await Self.populatedRegistry()
        try await RunningServer.with(RunningServer.configuration(), registry: registry) { server in
            try await TestHTTPClient.with { client in
                let headers = accept.map { [("Accept", $0)] } ?? []
                let response = try await client.fetch(server.url("/metrics"), headers: headers)
                #expect(response.status == 200)
                #expect(response.header("Content-Type") == contentType)
                #expect(response.header("Vary") == "Accept, Accept-Encoding")
                #expect(response.header("Content-Length") == String(response.body.count))
                #expect(response.header("Content-Encoding") == nil)
                #expect(response.text.contains(#"test_requests_total{model="model-7",status="ok"} 8"#))
                #expect(response.text.hasSuffix(contentType == Self.openMetrics ? "# EOF\n" : "\n"))
                #expect(response.text.contains("# EOF") == (contentType == Self.openMetrics))
            }
        }
    }

    @Test(arguments: ["gzip", "deflate, gzip;q=0.5", "*", "x-gzip"])
    func gzipWhenAcceptedAndLargeEnough(acceptEncoding: String) async throws {
        let registry = try await Self.populatedRegistry()
        try await RunningServer.with(RunningServer.configuration(), registry: registry) { server in
            try await TestHTTPClient.with { client in
                let plain = try await client.fetch(server.url("/metrics"))
                let compressed = try await client.fetch(
                    server.url("/metrics"), headers: [("Accept-Encoding", acceptEncoding)])
                #expect(compressed.status == 200)
                #expect(compressed.header("Content-Encoding") == "gzip")
                #expect(compressed.header("Content-Type") == Self.text)
                #expect(compressed.header("Vary") == "Accept, Accept-Encoding")
                #expect(compressed.header("Content-Length") == String(compressed.body.count))
                #expect(Array(compressed.body.prefix(2)) == [0x1f, 0x8b])
                #expect(compressed.body.count < plain.body.count)
                // zlib inflates it back to the plain body, except for the self-metrics that changed.
                let inflated = String(decoding: try Self.gunzip(compressed.body), as: UTF8.self)
                let stable = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("llmdevops_") } }
                #expect(stable(inflated) == stable(plain.text))
            }
        }
    }

    @Test(arguments: ["gzip;q=0", "identity", "br", "gzip;q=0, *;q=1", "*;q=0"])
    func noGzipWhenRefused(acceptEncoding: String) async throws {
        let registry = try await Self.populatedRegistry()
        try await RunningServer.with(RunningServer.configuration(), registry: registry) { server in
            try await TestHTTPClient.with { client in
                let response = try await client.fetch(server.url("/metrics"), headers: [("Accept-Encoding", acceptEncoding)])
                #expect(response.status == 200)
                #expect(response.header("Content-Encoding") == nil)
                #expect(response.text.hasPrefix("# HELP "))
                #expect(response.header("Vary") == "Accept, Accept-Encoding")
            }
        }
    }

    @Test func noGzipBelowTheMinimumSize() async throws {
        let registry = try await Self.populatedRegistry()
        let configuration = RunningServer.configuration { $0.compression.minSizeBytes = 10_000_000 }
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                let response = try await client.fetch(server.url("/metrics"), headers: [("Accept-Encoding", "gzip")])
                #expect(response.header("Content-Encoding") == nil)
                #expect(response.body.count > 1024)
                #expect(response.body.count < 10_000_000)
            }
        }
    }

    @Test func noGzipWhenCompressionIsDisabled() async throws {
        let registry = try await Self.populatedRegistry()
        let configuration = RunningServer.configuration { $0.compression.enabled = false }
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                let response = try await client.fetch(server.url("/metrics"), headers: [("Accept-Encoding", "gzip")])
                #expect(response.header("Content-Encoding") == nil)
                #expect(response.text.hasPrefix("# HELP "))
            }
        }
    }

    @Test func gzipBodiesComeFromTheCache() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .seconds(60)))
        let requests = try await registry.makeCounterFamily(name: "test_requests_total", labelNames: ["model"])
        for model in 0..<40 { try await requests.labels(["model": "model-\(model)"]).increment() }
        let configuration = RunningServer.configuration { $0.compression.minSizeBytes = 0 }
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                let first = try await client.fetch(server.url("/metrics"), headers: [("Accept-Encoding", "gzip")])
                let second = try await client.fetch(server.url("/metrics"), headers: [("Accept-Encoding", "gzip")])
                #expect(first.body == second.body)
                let plain = try await client.fetch(server.url("/metrics"))
                let inflated = try Self.gunzip(first.body)
                #expect(inflated == plain.body)
            }
        }
    }

    @Test func headAnswersWithTheHeadersOfGetAndNoBody() async throws {
        let registry = try await Self.populatedRegistry()
        try await RunningServer.with(RunningServer.configuration(), registry: registry) { server in
            try await TestHTTPClient.with { client in
                let get = try await client.fetch(server.url("/metrics"), headers: [("Accept", Self.prometheus242Accept)])
                let head = try await client.fetch(
                    server.url("/metrics"), method: .HEAD, headers: [("Accept", Self.prometheus242Accept)])
                #expect(head.status == 200)
                #expect(head.body.isEmpty)
                #expect(head.header("Content-Type") == Self.openMetrics)
                #expect(head.header("Vary") == "Accept, Accept-Encoding")
                // The registry renders on every request (TTL 0), so lengths agree only roughly:
                // the self-metrics grow by a few bytes between the two.
                let headLength = try #require(head.header("Content-Length").flatMap(Int.init))
                #expect(abs(headLength - get.body.count) < 200)
                #expect(headLength > 1000)
            }
        }
    }

    @Test(arguments: ["/metrics", "/health", "/ready", "/"])
    func otherMethodsGet405WithAllow(path: String) async throws {
        try await RunningServer.with(RunningServer.configuration()) { server in
            try await TestHTTPClient.with { client in
                for method in [HTTPMethodName.POST, .PUT, .DELETE, .PATCH] {
                    let response = try await client.fetch(server.url(path), method: method)
                    #expect(response.status == 405, "\(method) \(path)")
                    #expect(response.header("Allow") == "GET, HEAD")
                }
            }
        }
    }

    @Test(arguments: ["/nope", "/metrics/", "/metricsx", "/health/x"])
    func unknownPathsGet404(path: String) async throws {
        try await RunningServer.with(RunningServer.configuration()) { server in
            try await TestHTTPClient.with { client in
                let status = try await client.fetch(server.url(path)).status
                #expect(status == 404)
            }
        }
    }

    @Test func aConfiguredPathIsServedAndTheDefaultIsNot() async throws {
        let configuration = RunningServer.configuration { $0.endpoint.path = "/custom/metrics" }
        try await RunningServer.with(configuration) { server in
            try await TestHTTPClient.with { client in
                let custom = try await client.fetch(server.url("/custom/metrics")).status
                let standard = try await client.fetch(server.url("/metrics")).status
                #expect(custom == 200)
                #expect(standard == 404)
                let landing = try await client.fetch(server.url("/"))
                #expect(landing.text.contains(#"<a href="/custom/metrics">"#))
            }
        }
    }

    @Test func landingPageHealthAndReady() async throws {
        try await RunningServer.with(RunningServer.configuration()) { server in
            try await TestHTTPClient.with { client in
                let landing = try await client.fetch(server.url("/"))
                #expect(landing.status == 200)
                #expect(landing.header("Content-Type") == "text/html; charset=utf-8")
                #expect(landing.text.contains("llmdevops-metrics"))
                #expect(landing.text.contains(BuildVersion.current))
                for link in ["/metrics", "/health", "/ready"] { #expect(landing.text.contains(#"href="\#(link)""#)) }
                let health = try await client.fetch(server.url("/health"))
                #expect(health.status == 200)
                #expect(health.text == "OK\n")
            }
        }
    }

    @Test func scrapesAreCountedByFormatAndCode() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await RunningServer.with(RunningServer.configuration(), registry: registry) { server in
            try await TestHTTPClient.with { client in
                let first = try await client.fetch(server.url("/metrics")).text
                // Both formats' 200 series exist from the start, at 0.
                #expect(first.contains(#"llmdevops_exporter_scrapes_total{format="openmetrics",code="200"} 0"#))
                #expect(first.contains(#"llmdevops_exporter_scrapes_total{format="text",code="200"} 0"#))
                _ = try await client.fetch(server.url("/metrics"), headers: [("Accept", Self.prometheus242Accept)])
                _ = try await client.fetch(server.url("/metrics"), method: .POST)
                let body = try await client.fetch(server.url("/metrics")).text
                #expect(body.contains(#"llmdevops_exporter_scrapes_total{format="text",code="200"} 1"#))
                #expect(body.contains(#"llmdevops_exporter_scrapes_total{format="openmetrics",code="200"} 1"#))
                #expect(body.contains(#"llmdevops_exporter_scrapes_total{format="text",code="405"} 1"#))
                #expect(body.contains("llmdevops_exporter_requests_in_flight 1"))
                #expect(body.contains("llmdevops_exporter_scrape_duration_seconds_count 3"))
                #expect(body.contains(#"llmdevops_exporter_cache_misses_total{format="text"}"#))
            }
        }
    }
}

typealias HTTPMethodName = NIOHTTP1.HTTPMethod
