import LLMDevOpsFuzzSupport
import LLMDevOpsMetricsServer

/// The YAML configuration loader (`Sources/LLMDevOpsMetricsServer/Configuration/`): Yams'
/// parser, our node conversion, the schema reader and the environment overrides.
///
/// Input: a byte choosing up to two `PROMETHEUS_METRICS_*` overrides (each value up to a NUL),
/// then the YAML text. Properties:
/// - the loader returns a configuration or throws a `ConfigurationError` whose key is a
///   dotted path under `prometheus_metrics`, an environment variable, the file, or an unknown
///   top-level key (never empty), and whose description is one line;
/// - a configuration it returns re-validates: written back as YAML (every field, strings
///   quoted and escaped) and loaded without overrides, it is equal field for field.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    var environment: [String: String] = [:]
    let overrides = input.byte()
    for index in 0..<2 where overrides & (1 << index) != 0 {
        let name = input.pick(Overrides.names)
        environment[name] = String(decoding: input.bytes(until: 0), as: UTF8.self)
    }
    let yaml = String(decoding: input.remaining(), as: UTF8.self)

    let configuration: ServiceConfiguration
    do {
        configuration = try ServiceConfigurationLoader(environment: environment).parse(yaml: yaml, file: "fuzz.yaml")
    } catch {
        fuzzCheck(
            // The file (malformed YAML, a document root that is not a mapping, an empty top-level
            // key), a key path, an environment variable, or an unknown top-level key named as it
            // is (fuzzed bytes included); never an empty key.
            error.key == "fuzz.yaml" || error.key.hasPrefix("prometheus_metrics")
                || error.key.hasPrefix("PROMETHEUS_METRICS_")
                || (error.code == .unknownKey && !error.key.isEmpty),
            "error without a key: \(error) for \(quoted(yaml)) with \(environment)"
        )
        fuzzCheck(
            !error.description.contains(where: \.isNewline),
            "error on more than one line: \(quoted(error.description))"
        )
        return 0
    }
    let written = ConfigurationWriter.yaml(configuration)
    do {
        let again = try ServiceConfigurationLoader().parse(yaml: written, file: "written.yaml")
        fuzzCheck(
            again == configuration,
            "the loaded configuration does not survive being written back:\n\(written)\nloaded "
                + "\(configuration)\nreloaded \(again)"
        )
    } catch {
        fuzzCheck(
            false,
            "the loaded configuration, written back, is rejected: \(error)\n\(written)\nfrom \(quoted(yaml)) "
                + "with \(environment)"
        )
    }
    return 0
}

enum Overrides {
    static let names = [
        "PROMETHEUS_METRICS_ENABLED", "PROMETHEUS_METRICS_ENDPOINT_HOST", "PROMETHEUS_METRICS_ENDPOINT_PORT",
        "PROMETHEUS_METRICS_ENDPOINT_PATH", "PROMETHEUS_METRICS_CACHE_TTL_MS", "PROMETHEUS_METRICS_AUTH_ENABLED",
        "PROMETHEUS_METRICS_AUTH_TOKENS_CI_SHA256", "PROMETHEUS_METRICS_AUTH_TOKENS_PROMETHEUS_SHA256",
        "PROMETHEUS_METRICS_RATE_LIMIT_REQUESTS_PER_SECOND", "PROMETHEUS_METRICS_LOGGING_LEVEL",
        "PROMETHEUS_METRICS_SIDECAR_TCP_PORT", "PROMETHEUS_METRICS_SIDECAR_SOCKET_MODE", "PROMETHEUS_METRICS_BOGUS",
    ]
}

/// Writes every field of a configuration as YAML the loader reads back to the same values.
enum ConfigurationWriter {
    static func yaml(_ c: ServiceConfiguration) -> String {
        var lines = ["prometheus_metrics:"]
        func add(_ line: String) { lines.append("  " + line) }
        add("enabled: \(c.enabled)")
        add("endpoint: { host: \(quote(c.endpoint.host)), port: \(c.endpoint.port), path: \(quote(c.endpoint.path)) }")
        add("cache: { enabled: \(c.cache.enabled), ttl_ms: \(c.cache.ttlMilliseconds) }")
        add("cardinality: { max_per_metric: \(c.cardinality.maxPerMetric), total_limit: \(c.cardinality.totalLimit) }")
        add(
            "compression: { enabled: \(c.compression.enabled), min_size_bytes: \(c.compression.minSizeBytes), "
                + "level: \(c.compression.level) }"
        )
        add(
            "collectors: { llm: \(c.collectors.llm), agent: \(c.collectors.agent), process: \(c.collectors.process), "
                + "runtime: \(c.collectors.runtime) }"
        )
        add("auth:")
        add("  enabled: \(c.auth.enabled)")
        add("  protect_health: \(c.auth.protectHealth)")
        add("  tokens:" + (c.auth.tokens.isEmpty ? " {}" : ""))
        for token in c.auth.tokens {
            add(
                "    \(quote(token.name)): { sha256: \(quote(token.sha256)), scopes: "
                    + "[\(token.scopes.map(quote).joined(separator: ", "))] }"
            )
        }
        add(
            "rate_limit: { enabled: \(c.rateLimit.enabled), requests_per_second: \(c.rateLimit.requestsPerSecond), "
                + "burst: \(c.rateLimit.burst) }"
        )
        add(
            "tls: { enabled: \(c.tls.enabled), cert_file: \(quote(c.tls.certFile)), key_file: \(quote(c.tls.keyFile)), "
                + "client_ca_file: \(quote(c.tls.clientCAFile)) }"
        )
        add(
            "limits: { max_concurrent_scrapes: \(c.limits.maxConcurrentScrapes), scrape_timeout_ms: "
                + "\(c.limits.scrapeTimeoutMilliseconds), "
                + "scrape_timeout_offset_ms: \(c.limits.scrapeTimeoutOffsetMilliseconds), max_header_bytes: "
                + "\(c.limits.maxHeaderBytes), "
                + "idle_timeout_ms: \(c.limits.idleTimeoutMilliseconds) }"
        )
        add("lifecycle: { shutdown_delay_ms: \(c.lifecycle.shutdownDelayMilliseconds) }")
        add("logging: { level: \(quote(c.logging.level)) }")
        add(
            "sidecar: { enabled: \(c.sidecar.enabled), socket_path: \(quote(c.sidecar.socketPath)), "
                + "socket_mode: \"0\(String(c.sidecar.socketMode, radix: 8))\", tcp_port: "
                + "\(c.sidecar.tcpPort.map(String.init) ?? "null"), "
                + "max_line_bytes: \(c.sidecar.maxLineBytes), max_connections: \(c.sidecar.maxConnections), "
                + "idle_timeout_ms: \(c.sidecar.idleTimeoutMilliseconds), drain_timeout_ms: "
                + "\(c.sidecar.drainTimeoutMilliseconds) }"
        )
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar: printable ASCII as is, everything else escaped.
    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(scalar)
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out +=
                    scalar.value <= 0xFFFF
                    ? "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    : "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            }
        }
        return out + "\""
    }
}
