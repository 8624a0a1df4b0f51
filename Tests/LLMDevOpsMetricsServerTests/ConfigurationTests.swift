import Foundation
import LLMDevOpsMetricsServer
import Testing

/// The YAML schema in process: defaults, overrides, validation messages.
@Suite struct ConfigurationTests {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func theShippedFileHoldsTheDocumentedDefaults() throws {
        let path = Self.packageRoot.appendingPathComponent("Config/llmdevops-metrics.yaml").path
        let loaded = try ServiceConfigurationLoader().load(path: path)
        #expect(loaded == ServiceConfiguration())
    }

    @Test func theContractSchemaParses() throws {
        let digest = sha256Hex("t")
        let yaml = """
            prometheus_metrics:
              enabled: true
              endpoint: { host: "0.0.0.0", port: 9100, path: "/m" }
              cache: { enabled: false, ttl_ms: 250 }
              cardinality: { max_per_metric: 10, total_limit: 100 }
              compression: { enabled: false, min_size_bytes: 0 }
              collectors: { llm: false, agent: true, process: false, runtime: true }
              auth:
                enabled: true
                tokens:
                  prometheus: { sha256: "\(digest.uppercased())", scopes: ["metrics:read", "other"] }
              rate_limit: { enabled: false, requests_per_second: 2.5, burst: 5 }
              tls: { enabled: false, cert_file: "", key_file: "", client_ca_file: "" }
            """
        let configuration = try ServiceConfigurationLoader().parse(yaml: yaml)
        #expect(configuration.endpoint.host == "0.0.0.0")
        #expect(configuration.endpoint.port == 9100)
        #expect(configuration.endpoint.path == "/m")
        #expect(!configuration.cache.enabled)
        #expect(configuration.cache.ttlMilliseconds == 250)
        #expect(configuration.cardinality.totalLimit == 100)
        #expect(configuration.compression.minSizeBytes == 0)
        #expect(!configuration.collectors.llm)
        #expect(configuration.auth.tokens == [.init(name: "prometheus", sha256: digest, scopes: ["metrics:read", "other"])])
        #expect(configuration.rateLimit.requestsPerSecond == 2.5)
        #expect(configuration.rateLimit.burst == 5)
    }

    @Test func environmentOverridesScalarKeys() throws {
        let loader = ServiceConfigurationLoader(environment: [
            "PROMETHEUS_METRICS_ENDPOINT_PORT": "9100",
            "PROMETHEUS_METRICS_CACHE_TTL_MS": "0",
            "PROMETHEUS_METRICS_AUTH_ENABLED": "true",
            "PROMETHEUS_METRICS_AUTH_TOKENS_CI_BOT_SHA256": sha256Hex("x"),
            "PROMETHEUS_METRICS_COMPRESSION_ENABLED": "false",
            "UNRELATED": "1",
        ])
        let configuration = try loader.parse(yaml: "prometheus_metrics:\n  endpoint: { port: 1 }\n")
        #expect(configuration.endpoint.port == 9100)
        #expect(configuration.cache.ttlMilliseconds == 0)
        #expect(configuration.auth.enabled)
        #expect(configuration.auth.tokens == [.init(name: "ci_bot", sha256: sha256Hex("x"), scopes: ["metrics:read"])])
        #expect(!configuration.compression.enabled)
    }

    @Test(arguments: [
        (["PROMETHEUS_METRICS_ENDPOINT_PORT": "70000"], "PROMETHEUS_METRICS_ENDPOINT_PORT" as String?, "prometheus_metrics.endpoint.port"),
        (["PROMETHEUS_METRICS_ENDPOINT_PROT": "1"], nil, "PROMETHEUS_METRICS_ENDPOINT_PROT"),
        (["PROMETHEUS_METRICS_CACHE_ENABLED": "maybe"], "PROMETHEUS_METRICS_CACHE_ENABLED", "prometheus_metrics.cache.enabled"),
        (["PROMETHEUS_METRICS_AUTH_TOKENS_X_SHA256": "abc"], nil, "PROMETHEUS_METRICS_AUTH_TOKENS_X_SHA256"),
    ] as [([String: String], String?, String)])
    func badOverridesNameTheKey(environment: [String: String], source: String?, key: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceConfigurationLoader(environment: environment).parse(yaml: "")
        }
        #expect(error?.key == key)
        if let source { #expect(error?.reason.contains(source) == true) }
    }

    @Test(arguments: [
        ("prometheus_metrics:\n  cache: { ttl_ms: -5 }", "prometheus_metrics.cache.ttl_ms", "must be between 0 and 3600000, got -5"),
        ("prometheus_metrics:\n  endpoint: { port: 70000 }", "prometheus_metrics.endpoint.port", "must be between 0 and 65535"),
        ("prometheus_metrics:\n  endpoint: { port: nine }", "prometheus_metrics.endpoint.port", "expected an integer"),
        ("prometheus_metrics:\n  endpoint: { path: metrics }", "prometheus_metrics.endpoint.path", "absolute path"),
        ("prometheus_metrics:\n  endpoint: { path: /health }", "prometheus_metrics.endpoint.path", "reserved"),
        ("prometheus_metrics:\n  cache: { ttl: 5 }", "prometheus_metrics.cache.ttl", "unknown key"),
        ("prometheus_metrics:\n  extra: 1", "prometheus_metrics.extra", "unknown key"),
        ("other: 1", "other", "unknown key"),
        ("prometheus_metrics:\n  compression: { level: 11 }", "prometheus_metrics.compression.level", "between 1 and 9"),
        ("prometheus_metrics:\n  rate_limit: { requests_per_second: 0 }", "prometheus_metrics.rate_limit.requests_per_second", "greater than 0"),
        ("prometheus_metrics:\n  auth: { enabled: true }", "prometheus_metrics.auth.tokens", "no token"),
        ("prometheus_metrics:\n  auth:\n    tokens:\n      p: { sha256: xyz }", "prometheus_metrics.auth.tokens.p.sha256", "64-character hex"),
        ("prometheus_metrics:\n  auth:\n    tokens:\n      p: { scopes: [a] }", "prometheus_metrics.auth.tokens.p.sha256", "needs its sha256"),
        ("prometheus_metrics:\n  tls: { enabled: true }", "prometheus_metrics.tls.cert_file", "required"),
        ("prometheus_metrics:\n  tls: { enabled: true, cert_file: /nonexistent.pem, key_file: /k }", "prometheus_metrics.tls.cert_file", "cannot read"),
        ("prometheus_metrics:\n  logging: { level: loud }", "prometheus_metrics.logging.level", "must be one of"),
        ("prometheus_metrics: [1, 2]", "prometheus_metrics", "expected a mapping"),
        ("prometheus_metrics:\n  enabled: true\n  enabled: false", "<yaml>", "duplicated key"),
        ("prometheus_metrics: {\n", "<yaml>", "malformed YAML"),
    ])
    func invalidValuesNameTheKeyAndTheReason(yaml: String, key: String, reason: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceConfigurationLoader().parse(yaml: yaml)
        }
        #expect(error?.key == key)
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func anEmptyFileMeansDefaults() throws {
        #expect(try ServiceConfigurationLoader().parse(yaml: "") == ServiceConfiguration())
        #expect(try ServiceConfigurationLoader().parse(yaml: "prometheus_metrics:\n") == ServiceConfiguration())
    }
}
