import AsyncHTTPClient
import Foundation
import Testing

/// The real Prometheus server scrapes the real service binary with a bearer token, and its
/// HTTP API must report the target up with no error and the counters at exactly the values
/// the service recorded.
@Suite(.requires(.prometheus)) struct PrometheusEndToEndTests {
    struct Sample: Decodable {
        struct Result: Decodable {
            let metric: [String: String]
            let value: [Value]
        }
        enum Value: Decodable {
            case number(Double)
            case text(String)
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Double.self) { self = .number(number) } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }
        struct Data: Decodable { let result: [Result] }
        let status: String
        let data: Data
    }

    struct Targets: Decodable {
        struct Target: Decodable {
            let health: String
            let lastError: String
            let scrapeUrl: String
        }
        struct Data: Decodable { let activeTargets: [Target] }
        let data: Data
    }

    @Test(.timeLimit(.minutes(2)))
    func prometheusScrapesTheServiceWithABearerToken() async throws {
        try ExternalTool.prometheus.require()
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let token = "e2e-\(UUID().uuidString)"
        let config = try directory.write(
            "service.yaml",
            """
            prometheus_metrics:
              endpoint: { host: "127.0.0.1", port: 0, path: "/metrics" }
              auth:
                enabled: true
                tokens:
                  prometheus: { sha256: "\(sha256Hex(token))", scopes: ["metrics:read"] }
            """)
        let service = try ChildProcess(
            executable: executable, arguments: ["--config", config, "--demo"],
            environment: ChildProcess.environment([:]), directory: directory.url)
        var prometheus: ChildProcess?
        do {
            let port = try #require(
                try await service.waitForStandardError(#"llmdevops\.http\.port=(\d+)"#, timeout: .seconds(30)),
                "the service did not report its port: \(service.standardError)")
            let tokenFile = try directory.write("token", token)
            let prometheusConfig = try directory.write(
                "prometheus.yml",
                """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: llmdevops
                    metrics_path: /metrics
                    authorization:
                      type: Bearer
                      credentials_file: \(tokenFile)
                    static_configs:
                      - targets: ["127.0.0.1:\(port)"]
                """)
            let prometheusPort = try freeLoopbackPort()
            prometheus = try ChildProcess(
                executable: ExternalTool.prometheus.rawValue,
                arguments: [
                    "--config.file=\(prometheusConfig)", "--storage.tsdb.path=\(directory.path("tsdb"))",
                    "--web.listen-address=127.0.0.1:\(prometheusPort)", "--log.level=warn",
                ],
                environment: ChildProcess.environment([:]), directory: directory.url)
            let api = "http://127.0.0.1:\(prometheusPort)/api/v1"
            try await TestHTTPClient.with { client in
                // Bounded polling of Prometheus' API (at most 60 s) until it has scraped the
                // target successfully and stored the demo counter.
                var target: Targets.Target?
                var value: String?
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline {
                    if let response = try? await client.fetch("\(api)/targets"), response.status == 200 {
                        target = try JSONDecoder().decode(Targets.self, from: Data(response.body)).data.activeTargets.first
                    }
                    if target?.health == "up" {
                        let query = #"llmdevops_demo_llm_requests_total{model="demo-small",status="ok"}"#
                        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                        let response = try await client.fetch("\(api)/query?query=\(encoded)")
                        let sample = try JSONDecoder().decode(Sample.self, from: Data(response.body))
                        if case .text(let text)? = sample.data.result.first?.value.last {
                            value = text
                            break
                        }
                    }
                    try await Task.sleep(for: .milliseconds(250))
                }
                let up = try #require(target, "Prometheus never listed the target")
                #expect(up.health == "up")
                #expect(up.lastError == "")
                #expect(value == "42")
                // More exact values, and the service's own scrape counter for Prometheus' format.
                for (query, expected) in [
                    (#"llmdevops_demo_llm_requests_total{model="demo-large"}"#, "7"),
                    (#"llmdevops_demo_llm_tokens_total{type="input"}"#, "1200"),
                    ("llmdevops_demo_llm_request_duration_seconds_count", "6"),
                    (#"up{job="llmdevops"}"#, "1"),
                ] {
                    let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                    let response = try await client.fetch("\(api)/query?query=\(encoded)")
                    let sample = try JSONDecoder().decode(Sample.self, from: Data(response.body))
                    guard case .text(let text)? = sample.data.result.first?.value.last else {
                        Issue.record("no sample for \(query)")
                        continue
                    }
                    #expect(text == expected, "\(query)")
                }
                // A scrape is counted after its body was rendered, so the counter shows up from a
                // later scrape on: poll (bounded, 20 s) until Prometheus has stored it.
                let scrapes = "llmdevops_exporter_scrapes_total > 0"
                let encoded = scrapes.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? scrapes
                var sample: Sample?
                for _ in 0..<80 {
                    let response = try await client.fetch("\(api)/query?query=\(encoded)")
                    sample = try JSONDecoder().decode(Sample.self, from: Data(response.body))
                    if sample?.data.result.isEmpty == false { break }
                    try await Task.sleep(for: .milliseconds(250))
                }
                let counted = try #require(sample)
                let formats = Set(counted.data.result.map { $0.metric["format"] ?? "" })
                let codes = Set(counted.data.result.map { $0.metric["code"] ?? "" })
                #expect(formats == ["openmetrics"])
                #expect(codes == ["200"])
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
}
