import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import Logging
import NIOHTTP1
import ServiceLifecycle
import Testing

/// Issue 17: `/debug/cardinality` and its JSON over real sockets: the switch, the `debug:read`
/// scope, the shared rate limit, no scrape slot, strict headers and escaped values.
@Suite struct CardinalityEndpointTests {
    static let hostile = #""><script>alert(1)</script>&"#
    static let debugToken = "debug-reader-token"
    static let metricsToken = "metrics-reader-token"

    static func configuration(_ adjust: (inout ServiceConfiguration) -> Void = { _ in }) -> ServiceConfiguration {
        RunningServer.configuration {
            $0.debug.enabled = true
            $0.cardinality.maxPerMetric = 5  // as the registry below is configured
            adjust(&$0)
        }
    }

    /// A registry with a family holding the hostile value and one at its limit (5 series).
    static func registry() async throws -> RegistryActor {
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 5, cacheTTL: .zero))
        let models = try await registry.makeCounterFamily(name: "app_model_requests_total", labelNames: ["model"])
        for model in ["gpt-4o", Self.hostile, "it's", "a&b"] { try await models.labels(values: [model]).increment() }
        let full = try await registry.makeGaugeFamily(name: "app_full", labelNames: ["tenant"])
        for tenant in 0..<7 { try await full.labels(values: ["t\(tenant)"]).set(to: 1) }
        return registry
    }

    @Test func disabledByDefaultAnswers404AndIsNotLinked() async throws {
        #expect(ServiceConfiguration().debug.enabled == false)
        try await RunningServer.with(RunningServer.configuration(), registry: try await Self.registry()) { server in
            try await TestHTTPClient.with { client in
                for path in ["/debug/cardinality", "/debug/cardinality.json"] {
                    let observed = try await client.fetch(server.url(path)).status
                    #expect(observed == 404, "\(path)")
                }
                let landing = try await client.fetch(server.url("/")).text
                #expect(!landing.contains("/debug/cardinality"))
                #expect(!server.handler.paths.contains("/debug/cardinality"))
                let metrics = try await client.fetch(server.url("/metrics")).text
                #expect(!metrics.contains("llmdevops_exporter_debug_requests_total"))
            }
        }
    }

    @Test func thePageHasStrictHeadersAndEscapesEveryValue() async throws {
        try await RunningServer.with(Self.configuration(), registry: try await Self.registry()) { server in
            try await TestHTTPClient.with { client in
                let page = try await client.fetch(server.url("/debug/cardinality"))
                #expect(page.status == 200)
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                #expect(page.header("X-Content-Type-Options") == "nosniff")
                #expect(page.header("Cache-Control") == "no-store")
                let csp = try #require(page.header("Content-Security-Policy"))
                let directives = Dictionary(
                    uniqueKeysWithValues: csp.split(separator: ";").map { directive in
                        let parts = directive.split(separator: " ", maxSplits: 1)
                        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
                    })
                #expect(directives["default-src"] == "'none'")
                #expect(directives["img-src"] == "'none'")
                #expect(directives["base-uri"] == "'none'")
                #expect(directives["form-action"] == "'none'")
                #expect(directives["frame-ancestors"] == "'none'")
                #expect(directives["script-src"] == nil)  // falls back to default-src 'none'
                #expect(!csp.contains("unsafe"))
                // The hash in the CSP is the hash of the page's one <style> block.
                let text = page.text
                let styleStart = try #require(text.range(of: "<style>"))
                let styleEnd = try #require(text.range(of: "</style>"))
                let style = String(text[styleStart.upperBound..<styleEnd.lowerBound])
                let digest = Data(SHA256.hash(data: Array(style.utf8))).base64EncodedString()
                #expect(directives["style-src"] == "'sha256-\(digest)'")
                #expect(text.components(separatedBy: "<style").count == 2)
                #expect(!text.contains(" style="))

                // Values from outside are text: no raw markup, every special character escaped.
                #expect(!text.lowercased().contains("<script"))
                #expect(text.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"))
                #expect(text.contains("it&#39;s"))
                #expect(text.contains("a&amp;b"))
                #expect(text.contains(#"data-family="app_full""#))
                #expect(text.contains(#"data-status="at_limit""#))
                #expect(text.contains("prometheus_metrics.cardinality.max_per_metric"))

                let json = try await client.fetch(server.url("/debug/cardinality.json"))
                #expect(json.status == 200)
                #expect(json.header("Content-Type") == "application/json")
                #expect(json.header("Cache-Control") == "no-store")
                #expect(json.header("X-Content-Type-Options") == "nosniff")
                let root = try #require(try JSONSerialization.jsonObject(with: Data(json.body)) as? [String: Any])
                let families = try #require(root["families"] as? [[String: Any]])
                let full = try #require(families.first { $0["name"] as? String == "app_full" })
                #expect(full["series"] as? Int == 5)
                #expect(full["status"] as? String == "at_limit")
                #expect(full["limit_key"] as? String == "prometheus_metrics.cardinality.max_per_metric")
                #expect((full["rejected"] as? [String: Int])?["metric_limit"] == 2)
                let models = try #require(families.first { $0["name"] as? String == "app_model_requests" })
                let labels = try #require(models["labels"] as? [[String: Any]])
                let values = (labels.first?["top_values"] as? [[String: Any]])?.compactMap { $0["value"] as? String }
                #expect(Set(values ?? []) == ["gpt-4o", Self.hostile, "it's", "a&b"])
                #expect((root["series"] as? [String: Any])?["limit_key"] as? String
                    == "prometheus_metrics.cardinality.total_limit")

                let head = try await client.fetch(server.url("/debug/cardinality"), method: .HEAD)
                #expect(head.status == 200 && head.body.isEmpty)
                let post = try await client.fetch(server.url("/debug/cardinality"), method: .POST)
                #expect(post.status == 405)

                let landing = try await client.fetch(server.url("/")).text
                #expect(landing.contains(#"<a href="/debug/cardinality">"#))
                let metrics = try await client.fetch(server.url("/metrics")).text
                #expect(metrics.contains(#"llmdevops_exporter_debug_requests_total{page="cardinality",code="200"} 2"#))
                #expect(
                    metrics.contains(#"llmdevops_exporter_debug_requests_total{page="cardinality.json",code="200"} 1"#))
                #expect(metrics.contains(#"llmdevops_exporter_debug_requests_total{page="cardinality",code="405"} 1"#))
            }
        }
    }

    static func authConfiguration() -> ServiceConfiguration {
        configuration {
            $0.auth = .init(
                enabled: true,
                tokens: [
                    .init(name: "prometheus", sha256: sha256Hex(metricsToken), scopes: ["metrics:read"]),
                    .init(name: "operator", sha256: sha256Hex(debugToken), scopes: ["debug:read"]),
                ])
        }
    }

    @Test(arguments: [
        (nil, "/debug/cardinality", 401),
        ("Bearer wrong", "/debug/cardinality.json", 401),
        ("Bearer \(metricsToken)", "/debug/cardinality", 403),
        ("Bearer \(metricsToken)", "/debug/cardinality.json", 403),
        ("Bearer \(debugToken)", "/debug/cardinality", 200),
        ("Bearer \(debugToken)", "/debug/cardinality.json", 200),
        ("Bearer \(debugToken)", "/metrics", 403),
        ("Bearer \(metricsToken)", "/metrics", 200),
    ] as [(String?, String, Int)])
    func theDebugReadScopeIsRequired(authorization: String?, path: String, status: Int) async throws {
        try await RunningServer.with(Self.authConfiguration(), registry: try await Self.registry()) { server in
            try await TestHTTPClient.with { client in
                let headers = authorization.map { [("Authorization", $0)] } ?? []
                let response = try await client.fetch(server.url(path), headers: headers)
                #expect(response.status == status)
                if status == 403, path.hasPrefix("/debug/") {
                    #expect(response.header("WWW-Authenticate")?.contains(#"scope="debug:read""#) == true)
                }
                if status != 200 { #expect(!response.text.contains("app_full")) }
                let metrics = try await client.fetch(
                    server.url("/metrics"), headers: [("Authorization", "Bearer \(Self.metricsToken)")]
                ).text
                let page = path.hasSuffix(".json") ? "cardinality.json" : "cardinality"
                if path.hasPrefix("/debug/") {
                    let sample = #"llmdevops_exporter_debug_requests_total{page="\#(page)",code="\#(status)"} 1"#
                    #expect(metrics.contains(sample))
                }
                if status == 403 {
                    #expect(metrics.contains(#"llmdevops_exporter_auth_failures_total{reason="insufficient_scope"} 1"#))
                }
            }
        }
    }

    @Test func theRateLimitOfTheMetricsPathAppliesAndIsShared() async throws {
        let configuration = Self.configuration {
            $0.rateLimit.enabled = true
            $0.rateLimit.burst = 3
            $0.rateLimit.requestsPerSecond = 0.01
        }
        try await RunningServer.with(configuration, registry: try await Self.registry()) { server in
            try await TestHTTPClient.with { client in
                #expect(try await client.fetch(server.url("/debug/cardinality")).status == 200)
                #expect(try await client.fetch(server.url("/debug/cardinality.json")).status == 200)
                #expect(try await client.fetch(server.url("/metrics")).status == 200)
                let limited = try await client.fetch(server.url("/debug/cardinality"))
                #expect(limited.status == 429)
                #expect(limited.header("Retry-After").flatMap(Int.init) != nil)
                #expect(try await client.fetch(server.url("/metrics")).status == 429)
                let counted = await server.handler.handle(
                    MetricsHTTPRequest(method: .get, path: "/metrics", remoteAddress: "192.0.2.1"))
                let text = String(decoding: counted.body, as: UTF8.self)
                #expect(text.contains(#"llmdevops_exporter_debug_requests_total{page="cardinality",code="429"} 1"#))
                #expect(text.contains("llmdevops_exporter_rate_limited_total 2"))
            }
        }
    }

    /// With the only scrape slot held by a slow render, /metrics answers 503 and the debug page
    /// still answers 200: it never takes a scrape slot.
    @Test func thePageNeedsNoScrapeSlot() async throws {
        let collector = try HeldCollector()
        let registry = try await Self.registry()
        try await registry.register(collector: collector)
        let configuration = Self.configuration { $0.limits.maxConcurrentScrapes = 1 }
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                var runs = collector.startedRuns.makeAsyncIterator()
                _ = await runs.next()  // the readiness service's first collection
                collector.hold()
                async let slow = client.fetch(server.url("/metrics"))
                _ = await runs.next()  // the slow scrape holds the slot now
                #expect(try await client.fetch(server.url("/metrics")).status == 503)
                let page = try await client.fetch(server.url("/debug/cardinality.json"))
                #expect(page.status == 200)
                collector.release()
                #expect(try await slow.status == 200)
            }
        }
    }

    /// The Hummingbird mount gets the pages from the same handler.
    @Test func theHummingbirdMountServesThePages() async throws {
        let registry = try await Self.registry()
        var configuration = ServiceConfiguration()
        configuration.debug.enabled = true
        configuration.rateLimit.enabled = false
        let handler = try await MetricsHTTPHandler(
            registry: registry, configuration: configuration, deadlineClock: ManualTestClock())
        let router = Router()
        router.addMetricsEndpoints(handler, includeLandingPage: false)
        try await RunningApplication.with(router) { bound in
            try await TestHTTPClient.with { client in
                let page = try await client.fetch("http://127.0.0.1:\(bound)/debug/cardinality")
                #expect(page.status == 200)
                #expect(page.text.contains(#"data-family="app_full""#))
                #expect(page.header("Content-Security-Policy")?.hasPrefix("default-src 'none'") == true)
                let json = try await client.fetch("http://127.0.0.1:\(bound)/debug/cardinality.json")
                #expect(json.status == 200)
                #expect(json.text.contains(#""schema":"llmdevops.cardinality.v1""#))
            }
        }
    }

    @Test func theSwitchIsReadFromYAMLAndTheEnvironment() throws {
        let yaml = "prometheus_metrics:\n  debug:\n    enabled: true\n"
        #expect(try ServiceConfigurationLoader().parse(yaml: yaml).debug.enabled)
        #expect(try ServiceConfigurationLoader().parse(yaml: "prometheus_metrics: {}\n").debug.enabled == false)
        let overridden = try ServiceConfigurationLoader(environment: ["PROMETHEUS_METRICS_DEBUG_ENABLED": "true"])
            .parse(yaml: "prometheus_metrics: {}\n")
        #expect(overridden.debug.enabled)
        #expect(throws: ConfigurationError.self) {
            try ServiceConfigurationLoader().parse(yaml: "prometheus_metrics:\n  debug: { enable: true }\n")
        }
        var changed = ServiceConfiguration()
        changed.debug.enabled = true
        #expect(MetricsHTTPHandler.keysNeedingRestart(from: ServiceConfiguration(), to: changed) == [
            "prometheus_metrics.debug"
        ])
    }
}
