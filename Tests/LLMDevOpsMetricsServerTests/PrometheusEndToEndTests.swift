import AsyncHTTPClient
import Foundation
import LLMDevOpsTestSupport
import Testing

/// The real Prometheus server scrapes the real service binary with a bearer token, and its
/// HTTP API must report the target up with no error and the counters at exactly the values
/// the service recorded.
@Suite(.requires(.prometheus)) struct PrometheusEndToEndTests {
    struct Targets: Decodable {
        struct Target: Decodable {
            let health: String
            let lastError: String
            let scrapeUrl: String
        }
        struct Data: Decodable { let activeTargets: [Target] }
        let data: Data
    }

    /// Starts the service binary with `arguments` and a bearer token, and a real Prometheus
    /// scraping it every second; runs `body` with Prometheus' API; stops both by PID.
    private func withScrapedService(
        arguments: [String],
        _ body: (_ prometheus: PrometheusProcess, _ client: TestHTTPClient) async throws -> Void
    ) async throws {
        try ExternalTool.prometheus.require()
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let token = "e2e-\(UUID().uuidString)"
        let config = try directory.write(
            "service.yaml",
            """
            prometheus_metrics:
              endpoint: { host: "127.0.0.1", port: 0, path: "/metrics" }
              cardinality: { max_per_metric: 1000, total_limit: 50000 }
              auth:
                enabled: true
                tokens:
                  prometheus: { sha256: "\(sha256Hex(token))", scopes: ["metrics:read"] }
            """)
        let service = try ChildProcess(
            executable: executable, arguments: ["--config", config] + arguments,
            environment: ChildProcess.environment([:]), directory: directory.url)
        var prometheus: PrometheusProcess?
        do {
            let port = try #require(
                try await service.waitForStandardError(#"llmdevops\.http\.port=(\d+)"#, timeout: ChildProcess.startupTimeout),
                "the service did not report its port: \(service.standardError)")
            let tokenFile = try directory.write("token", token)
            let started = try PrometheusProcess.start(
                directory: directory, job: "llmdevops", target: "127.0.0.1:\(port)", tokenFile: tokenFile)
            prometheus = started
            let api = started.api
            try await TestHTTPClient.with { client in
                // Bounded polling (at most 60 s) until Prometheus has scraped the target successfully.
                var target: Targets.Target?
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline, target?.health != "up" {
                    if let response = try? await client.fetch("\(api)/targets"), response.status == 200 {
                        target = try JSONDecoder().decode(Targets.self, from: Data(response.body)).data.activeTargets.first
                    }
                    if target?.health != "up" { try await Task.sleep(for: .milliseconds(250)) }
                }
                let up = try #require(target, "Prometheus never listed the target")
                #expect(up.health == "up")
                #expect(up.lastError == "")
                try await body(started, client)
            }
        } catch {
            await prometheus?.stop()
            await service.stop()
            throw error
        }
        let prometheusStatus = await prometheus?.stop()
        let serviceStatus = await service.stop()
        #expect(prometheusStatus != nil)
        #expect(serviceStatus == 0, "the service must exit 0 after SIGTERM: \(service.standardError)")
    }

    /// Polls (bounded: 80 x 250 ms) until the query's value satisfies `done`.
    private func poll(
        _ promQL: String, _ prometheus: PrometheusProcess, _ client: TestHTTPClient, until done: (String?) -> Bool
    ) async throws -> String? {
        var value: String?
        for _ in 0..<80 {
            value = try await prometheus.query(promQL, client)
            if done(value) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return value
    }

    /// The test records the seeded demo workload itself, in-process, and Prometheus must hold
    /// exactly the same totals after scraping the service that ran it.
    @Test(.timeLimit(minutes: 2))
    func prometheusStoresExactlyTheValuesTheServiceRecorded() async throws {
        let events = 3000
        let expected = try await DemoExpectation.record(events: events)
        try await withScrapedService(arguments: ["--demo-events", "\(events)"]) { prometheus, client in
            for (promQL, value) in expected.queries {
                let stored = try await poll(promQL, prometheus, client) { $0.flatMap(Double.init) == value }
                #expect(stored.flatMap(Double.init) == value, "\(promQL)")
            }
            #expect(try await prometheus.query(#"up{job="llmdevops"}"#, client) == "1")
            // A scrape is counted after its body was rendered, so the counter shows up from a
            // later scrape on; Prometheus negotiates OpenMetrics.
            let scrapes = try await poll(#"sum(llmdevops_exporter_scrapes_total{format="openmetrics",code="200"})"#, prometheus, client) {
                ($0.flatMap(Double.init) ?? 0) > 0
            }
            #expect((scrapes.flatMap(Double.init) ?? 0) > 0)
        }
    }

    /// With `--demo` streaming, PromQL sees the request rate rise.
    @Test(.timeLimit(minutes: 2))
    func demoTrafficShowsAPositiveRequestRate() async throws {
        try await withScrapedService(arguments: ["--demo", "--demo-rate", "300"]) { prometheus, client in
            let rate = try await poll("sum(rate(llmdevops_llm_requests_total[30s]))", prometheus, client) {
                ($0.flatMap(Double.init) ?? 0) > 0
            }
            #expect((rate.flatMap(Double.init) ?? 0) > 0, "sum(rate(llmdevops_llm_requests_total[30s])) = \(rate ?? "none")")
        }
    }
}
