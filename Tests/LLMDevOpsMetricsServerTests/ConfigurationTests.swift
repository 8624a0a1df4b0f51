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
        // The document root is not a mapping, or has an empty key: the error names the file.
        ("just words", "<yaml>", "expected a mapping at the top of the document, got a scalar (line 1)"),
        ("- prometheus_metrics\n", "<yaml>", "expected a mapping at the top of the document, got a sequence (line 1)"),
        ("\"\": 1\n", "<yaml>", "unknown key '' (line 1)"),
        // A key with a line break keeps the description on one line (config-yaml fuzz finding).
        ("\"a\\nb\": 1\n", #"a\nb"#, "unknown key (line 1)"),
        ("prometheus_metrics:\n  \"a\\r\\nb\": 1\n", #"prometheus_metrics.a\r\nb"#, "unknown key (line 2)"),
    ])
    func invalidValuesNameTheKeyAndTheReason(yaml: String, key: String, reason: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceConfigurationLoader().parse(yaml: yaml)
        }
        #expect(error?.key == key)
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("\n") == false)
    }

    /// The config-yaml fuzz target's finding (`Tests/Fuzz/Findings/config-yaml-scalar-document-empty-key`):
    /// a document that is a scalar gave `configuration error: : expected a mapping`, an error
    /// without a key. It names the file now.
    @Test func aScalarDocumentNamesTheFile() {
        // The finding's bytes after its first (no environment overrides); 38 bytes 0xFF decode to U+FFFD.
        let yaml = "promrometheustrmrometheustr\"0660\"\"0660\" endtokens:[0, "
            + String(repeating: "\u{FFFD}", count: 38) + "2\n"
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceConfigurationLoader().parse(yaml: yaml, file: "fuzz.yaml")
        }
        #expect(error?.key == "fuzz.yaml")
        let reason = "expected a mapping at the top of the document, got a scalar (line 1)"
        #expect(error?.description == "configuration error: fuzz.yaml: \(reason)")
    }

    @Test func anEmptyFileMeansDefaults() throws {
        #expect(try ServiceConfigurationLoader().parse(yaml: "") == ServiceConfiguration())
        #expect(try ServiceConfigurationLoader().parse(yaml: "prometheus_metrics:\n") == ServiceConfiguration())
    }

    @Test func sidecarDefaultsAndKeys() throws {
        let defaults = ServiceConfiguration.Sidecar()
        #expect(!defaults.enabled)
        #expect(defaults.socketMode == 0o660)
        #expect(defaults.maxLineBytes == 65_536)
        #expect(defaults.tcpPort == nil)
        let loader = ServiceConfigurationLoader(environment: ["PROMETHEUS_METRICS_SIDECAR_MAX_CONNECTIONS": "3"])
        let configuration = try loader.parse(
            yaml: """
                prometheus_metrics:
                  sidecar:
                    enabled: true
                    socket_path: /tmp/x.sock
                    socket_mode: "0600"
                    tcp_port: 0
                    max_line_bytes: 4096
                    max_connections: 8
                    idle_timeout_ms: 1000
                    drain_timeout_ms: 100
                """)
        #expect(configuration.sidecar.enabled)
        #expect(configuration.sidecar.socketPath == "/tmp/x.sock")
        #expect(configuration.sidecar.socketMode == 0o600)
        #expect(configuration.sidecar.tcpPort == 0)
        #expect(configuration.sidecar.maxLineBytes == 4096)
        #expect(configuration.sidecar.maxConnections == 3)
        #expect(configuration.sidecar.idleTimeoutMilliseconds == 1000)
        #expect(configuration.sidecar.drainTimeoutMilliseconds == 100)
    }

    @Test(arguments: [
        ("socket_mode: \"0999\"", "prometheus_metrics.sidecar.socket_mode"),
        ("socket_mode: \"rw\"", "prometheus_metrics.sidecar.socket_mode"),
        ("tcp_port: 70000", "prometheus_metrics.sidecar.tcp_port"),
        ("max_line_bytes: 10", "prometheus_metrics.sidecar.max_line_bytes"),
        ("max_connections: 0", "prometheus_metrics.sidecar.max_connections"),
        ("socket_path: \"\(String(repeating: "a", count: 120))\"", "prometheus_metrics.sidecar.socket_path"),
        ("enabled: true\n    socket_path: \"\"", "prometheus_metrics.sidecar.socket_path"),
        ("socket: /x", "prometheus_metrics.sidecar.socket"),
    ])
    func invalidSidecarSettingsNameTheirKey(_ line: String, _ key: String) {
        let yaml = "prometheus_metrics:\n  sidecar:\n    \(line)\n"
        #expect(throws: ConfigurationError.self) { try ServiceConfigurationLoader().parse(yaml: yaml) }
        do {
            _ = try ServiceConfigurationLoader().parse(yaml: yaml)
        } catch {
            #expect(error.key == key, "\(error)")
        }
    }

    /// The Kubernetes ConfigMap's service configuration uses this schema (TLS files and the
    /// token digest come from Secrets there, so the test overrides them).
    @Test func theKubernetesConfigMapLoads() throws {
        let text = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("Config/kubernetes/configmap.yaml"), encoding: .utf8)
        let marker = "llmdevops-metrics.yaml: |\n"
        let start = try #require(text.range(of: marker))
        let embedded = text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }.joined(separator: "\n")
        let loader = ServiceConfigurationLoader(environment: [
            "PROMETHEUS_METRICS_AUTH_TOKENS_PROMETHEUS_SHA256": sha256Hex("token"),
            "PROMETHEUS_METRICS_TLS_ENABLED": "false",
        ])
        let configuration = try loader.parse(yaml: embedded)
        #expect(configuration.sidecar.enabled)
        #expect(configuration.sidecar.socketPath == "/var/run/llmdevops/metrics.sock")
        #expect(configuration.sidecar.socketMode == 0o660)
    }

    @Test func theSidecarExampleLoads() throws {
        let path = Self.packageRoot.appendingPathComponent("Config/llmdevops-metrics-sidecar.yaml").path
        let configuration = try ServiceConfigurationLoader().load(path: path)
        #expect(configuration.sidecar.enabled)
        #expect(configuration.sidecar.socketPath == "/var/run/llmdevops/metrics.sock")
    }
}
