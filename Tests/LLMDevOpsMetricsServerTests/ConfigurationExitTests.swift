import Foundation
import Testing

/// The built executable with bad configurations: one line on stderr naming the key and the
/// reason, exit status 2.
@Suite struct ConfigurationExitTests {
    static let digest = String(repeating: "a", count: 64)

    @Test(arguments: [
        ("missing file", nil, "configuration error: DIR/missing.yaml: no such file"),
        ("malformed YAML", "prometheus_metrics:\n  endpoint: [1, 2\n", "configuration error: DIR/config.yaml: malformed YAML"),
        ("negative ttl", "prometheus_metrics:\n  cache:\n    ttl_ms: -1\n",
         "configuration error: prometheus_metrics.cache.ttl_ms: must be between 0 and 3600000, got -1 (line 3)"),
        ("port out of range", "prometheus_metrics:\n  endpoint:\n    port: 65536\n",
         "configuration error: prometheus_metrics.endpoint.port: must be between 0 and 65535, got 65536 (line 3)"),
        ("unknown key", "prometheus_metrics:\n  endpoint:\n    hots: example\n",
         "configuration error: prometheus_metrics.endpoint.hots: unknown key (line 3)"),
        ("bad digest", "prometheus_metrics:\n  auth:\n    enabled: true\n    tokens:\n      prometheus: { sha256: \"not-a-digest\" }\n",
         "configuration error: prometheus_metrics.auth.tokens.prometheus.sha256: must be the 64-character hex SHA-256 digest"),
        ("negative price",
         "prometheus_metrics:\n  llm:\n    models:\n"
            + "      - { name: a, provider: x, price: { input_per_million: -1, output_per_million: 1 } }\n",
         "configuration error: prometheus_metrics.llm.models[0].price.input_per_million: "
            + "must not be negative, got -1 (line 4)"),
        ("unlisted alias target",
         "prometheus_metrics:\n  llm:\n    models: [{ name: a, provider: x }]\n"
            + "    aliases: [{ pattern: \"b-*\", model: b }]\n",
         "configuration error: prometheus_metrics.llm.aliases[0].model: "
            + "model 'b' is not in llm.models (line 4)"),
        ("reserved tool",
         "prometheus_metrics:\n  agent:\n    agents:\n      - { name: router, tools: [_unknown] }\n",
         "configuration error: prometheus_metrics.agent.agents[0].tools[0]: '_unknown' is reserved"),
    ] as [(String, String?, String)])
    func badConfigurationExitsWithOneLine(name: String, yaml: String?, expected: String) async throws {
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let file = try yaml.map { try directory.write("config.yaml", $0) } ?? directory.path("missing.yaml")
        let result = try await ChildProcess.run(executable, ["--config", file], directory: directory.url)
        #expect(result.status == 2, "\(name): \(result.error)")
        let lines = result.error.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "\(name): stderr must be one line, got \(result.error)")
        let prefix = "llmdevops-metrics: " + expected.replacingOccurrences(of: "DIR", with: directory.url.path)
        #expect(result.error.hasPrefix(prefix), "\(name): \(result.error)")
        #expect(result.output.isEmpty)
    }

    @Test func aBadEnvironmentOverrideExitsWithOneLine() async throws {
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let file = try directory.write("config.yaml", "prometheus_metrics:\n  enabled: true\n")
        let result = try await ChildProcess.run(
            executable, ["--config", file],
            environment: ChildProcess.environment(["PROMETHEUS_METRICS_ENDPOINT_PORT": "-3"]),
            directory: directory.url)
        #expect(result.status == 2)
        #expect(
            result.error
                == "llmdevops-metrics: configuration error: prometheus_metrics.endpoint.port: must be between 0 and 65535, got -3 (from PROMETHEUS_METRICS_ENDPOINT_PORT)\n"
        )
    }

    @Test func disabledStartsNoEndpoint() async throws {
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let file = try directory.write("config.yaml", "prometheus_metrics:\n  enabled: false\n")
        let result = try await ChildProcess.run(executable, ["--config", file], directory: directory.url)
        #expect(result.status == 0)
        #expect(result.error.contains("disabled"))
        #expect(!result.error.contains("Serving metrics"))
    }

    @Test func anUnknownArgumentExits2() async throws {
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let result = try await ChildProcess.run(executable, ["--bogus"], directory: directory.url)
        #expect(result.status == 2)
        #expect(result.error == "llmdevops-metrics: unknown argument '--bogus' (try --help)\n")
    }
}
