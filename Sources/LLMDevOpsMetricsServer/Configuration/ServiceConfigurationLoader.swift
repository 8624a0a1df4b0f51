#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
import LLMDevOpsCollectors

/// Reads `Config/llmdevops-metrics.yaml`-style files into a validated ``ServiceConfiguration``,
/// applying environment overrides (`PROMETHEUS_METRICS_ENDPOINT_PORT=9100`).
///
/// ```swift
/// let configuration = try ServiceConfigurationLoader(environment: ProcessInfo.processInfo.environment)
///     .load(path: "Config/llmdevops-metrics.yaml")
/// ```
///
/// Every problem is a ``ConfigurationError`` naming the key and the reason: unknown keys, wrong
/// types, out-of-range values, malformed digests, TLS files that do not exist.
public struct ServiceConfigurationLoader: Sendable {
    /// The environment to take overrides from.
    public var environment: [String: String]

    /// Creates a loader; pass the process environment to enable overrides.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    /// Reads and validates the file at `path`.
    public func load(path: String) throws(ConfigurationError) -> ServiceConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            throw ConfigurationError(.unreadableFile, key: path, reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(.unreadableFile, key: path, "the file is not UTF-8")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: text, file: path, directory: directory)
    }

    /// Validates YAML text; `file` names it in messages. A relative `llm.prices_file` is read
    /// from the current directory (``load(path:)`` reads it from the configuration file's).
    public func parse(yaml: String, file: String = "<yaml>") throws(ConfigurationError) -> ServiceConfiguration {
        try parse(yaml: yaml, file: file, directory: FileManager.default.currentDirectoryPath)
    }

    private func parse(
        yaml: String,
        file: String,
        directory: String
    ) throws(ConfigurationError) -> ServiceConfiguration {
        let document = try ConfigNode.parse(yaml, file: file)
        let overrides = EnvironmentOverrides(environment: environment)
        let root = try ConfigReader.document(document, file: file, environment: overrides)
        let configuration = try Self.read(
            try root.section("prometheus_metrics"),
            overrides: overrides,
            directory: directory
        )
        try root.finish()
        if let unused = overrides.firstUnused {
            throw ConfigurationError(.unknownKey, key: unused, "environment variable matches no configuration key")
        }
        return configuration
    }

    // MARK: Schema

    private static func read(
        _ section: ConfigReader,
        overrides: EnvironmentOverrides,
        directory: String
    ) throws(ConfigurationError) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        let defaults = configuration
        configuration.enabled = try section.bool("enabled", default: defaults.enabled)

        let endpoint = try section.section("endpoint")
        configuration.endpoint.host = try endpoint.string("host", default: defaults.endpoint.host) {
            $0.isEmpty || $0.contains(where: \.isWhitespace) ? "must be a host name or address" : nil
        }
        configuration.endpoint.port = try endpoint.int("port", default: defaults.endpoint.port, in: 0...65535)
        configuration.endpoint.path = try endpoint.string("path", default: defaults.endpoint.path) { path in
            guard path.hasPrefix("/"), path.count > 1, !path.contains(where: { $0 == "?" || $0 == "#" || $0.isWhitespace })
            else { return "must be an absolute path such as /metrics, got '\(path)'" }
            return ["/health", "/ready"].contains(path) ? "'\(path)' is reserved" : nil
        }
        try endpoint.finish()

        let cache = try section.section("cache")
        configuration.cache.enabled = try cache.bool("enabled", default: defaults.cache.enabled)
        configuration.cache.ttlMilliseconds = try cache.int("ttl_ms", default: defaults.cache.ttlMilliseconds, in: 0...3_600_000)
        try cache.finish()

        let cardinality = try section.section("cardinality")
        configuration.cardinality.maxPerMetric = try cardinality.int(
            "max_per_metric", default: defaults.cardinality.maxPerMetric, in: 1...Int.max)
        configuration.cardinality.totalLimit = try cardinality.int(
            "total_limit", default: defaults.cardinality.totalLimit, in: 1...Int.max)
        try cardinality.finish()

        let compression = try section.section("compression")
        configuration.compression.enabled = try compression.bool("enabled", default: defaults.compression.enabled)
        configuration.compression.minSizeBytes = try compression.int(
            "min_size_bytes", default: defaults.compression.minSizeBytes, in: 0...Int.max)
        configuration.compression.level = try compression.int("level", default: defaults.compression.level, in: 1...9)
        try compression.finish()

        let collectors = try section.section("collectors")
        configuration.collectors.llm = try collectors.bool("llm", default: defaults.collectors.llm)
        configuration.collectors.agent = try collectors.bool("agent", default: defaults.collectors.agent)
        configuration.collectors.process = try collectors.bool("process", default: defaults.collectors.process)
        configuration.collectors.runtime = try collectors.bool("runtime", default: defaults.collectors.runtime)
        configuration.collectors.processIntervalMilliseconds = try collectors.int(
            "process_interval_ms", default: defaults.collectors.processIntervalMilliseconds, in: 10...60_000)
        configuration.collectors.runtimeIntervalMilliseconds = try collectors.int(
            "runtime_interval_ms", default: defaults.collectors.runtimeIntervalMilliseconds, in: 10...60_000)
        try collectors.finish()

        configuration.auth = try readAuth(try section.section("auth"), overrides: overrides)

        let rateLimit = try section.section("rate_limit")
        configuration.rateLimit.enabled = try rateLimit.bool("enabled", default: defaults.rateLimit.enabled)
        configuration.rateLimit.requestsPerSecond = try rateLimit.double(
            "requests_per_second", default: defaults.rateLimit.requestsPerSecond, minimumExclusive: 0, maximum: 1_000_000)
        configuration.rateLimit.burst = try rateLimit.int("burst", default: defaults.rateLimit.burst, in: 1...1_000_000)
        try rateLimit.finish()

        let tls = try section.section("tls")
        configuration.tls.enabled = try tls.bool("enabled", default: defaults.tls.enabled)
        configuration.tls.certFile = try tls.string("cert_file", default: "")
        configuration.tls.keyFile = try tls.string("key_file", default: "")
        configuration.tls.clientCAFile = try tls.string("client_ca_file", default: "")
        if configuration.tls.enabled {
            for (key, file) in [
                ("cert_file", configuration.tls.certFile), ("key_file", configuration.tls.keyFile),
                ("client_ca_file", configuration.tls.clientCAFile),
            ] {
                if file.isEmpty {
                    guard key == "client_ca_file" else {
                        throw ConfigurationError(.missingValue, key: tls.keyPath(key), "required when tls.enabled is true")
                    }
                } else if !FileManager.default.isReadableFile(atPath: file) {
                    throw ConfigurationError(.invalidValue, key: tls.keyPath(key), "cannot read '\(file)'")
                }
            }
        }
        try tls.finish()

        let limits = try section.section("limits")
        configuration.limits.maxConcurrentScrapes = try limits.int(
            "max_concurrent_scrapes", default: defaults.limits.maxConcurrentScrapes, in: 1...100_000)
        configuration.limits.scrapeTimeoutMilliseconds = try limits.int(
            "scrape_timeout_ms", default: defaults.limits.scrapeTimeoutMilliseconds, in: 1...3_600_000)
        configuration.limits.scrapeTimeoutOffsetMilliseconds = try limits.int(
            "scrape_timeout_offset_ms", default: defaults.limits.scrapeTimeoutOffsetMilliseconds, in: 0...3_600_000)
        configuration.limits.maxHeaderBytes = try limits.int(
            "max_header_bytes", default: defaults.limits.maxHeaderBytes, in: 1024...1_048_576)
        configuration.limits.idleTimeoutMilliseconds = try limits.int(
            "idle_timeout_ms", default: defaults.limits.idleTimeoutMilliseconds, in: 1...3_600_000)
        try limits.finish()

        let lifecycle = try section.section("lifecycle")
        configuration.lifecycle.shutdownDelayMilliseconds = try lifecycle.int(
            "shutdown_delay_ms", default: defaults.lifecycle.shutdownDelayMilliseconds, in: 0...600_000)
        try lifecycle.finish()

        let logging = try section.section("logging")
        configuration.logging.level = try logging.string("level", default: defaults.logging.level) { level in
            ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level)
                ? nil : "must be one of trace, debug, info, notice, warning, error, critical; got '\(level)'"
        }
        try logging.finish()

        configuration.sidecar = try readSidecar(try section.section("sidecar"))
        configuration.formats = try readFormats(try section.section("formats"))
        configuration.nativeHistograms = try readNativeHistograms(try section.section("native_histograms"))

        (configuration.llm, configuration.agent) = try readVocabulary(
            llm: try section.section("llm"), agent: try section.section("agent"), directory: directory)
        configuration.llm.isEnabled = configuration.collectors.llm
        configuration.agent.isEnabled = configuration.collectors.agent

        let debug = try section.section("debug")
        configuration.debug.enabled = try debug.bool("enabled", default: defaults.debug.enabled)
        try debug.finish()

        try section.finish()
        return configuration
    }

    private static func readAuth(
        _ auth: ConfigReader,
        overrides: EnvironmentOverrides
    ) throws(ConfigurationError) -> ServiceConfiguration.Auth {
        var result = ServiceConfiguration.Auth()
        result.enabled = try auth.bool("enabled", default: false)
        result.protectHealth = try auth.bool("protect_health", default: false)
        for (name, token) in try auth.sections("tokens") {
            let tokenPath = token.path
            guard isValidTokenName(name) else {
                throw ConfigurationError(.invalidValue, key: tokenPath, "token names use letters, digits, '_' and '-'")
            }
            let digest = try token.string("sha256", default: "") { digestProblem($0) }
            guard !digest.isEmpty else {
                throw ConfigurationError(.missingValue, key: token.keyPath("sha256"), "every token needs its sha256 digest")
            }
            let scopes = try token.strings("scopes") ?? ["metrics:read"]
            if let bad = scopes.first(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
                throw ConfigurationError(.invalidValue, key: token.keyPath("scopes"), "invalid scope '\(bad)'")
            }
            try token.finish()
            result.tokens.append(.init(name: name, sha256: digest.lowercased(), scopes: scopes))
        }
        // Tokens defined only in the environment: PROMETHEUS_METRICS_AUTH_TOKENS_<NAME>_SHA256.
        let tokensPrefix = EnvironmentOverrides.variableName(for: auth.keyPath("tokens")) + "_"
        for (variable, middle, value) in overrides.claim(prefix: tokensPrefix, suffix: "_SHA256") {
            let name = middle.lowercased()
            if let problem = digestProblem(value) {
                throw ConfigurationError(.invalidValue, key: variable, problem)
            }
            guard isValidTokenName(name), !result.tokens.contains(where: { $0.name == name }) else {
                throw ConfigurationError(.invalidValue, key: variable, "cannot define a token named '\(name)'")
            }
            result.tokens.append(.init(name: name, sha256: value.lowercased(), scopes: ["metrics:read"]))
        }
        if result.enabled && result.tokens.isEmpty {
            throw ConfigurationError(.missingValue, key: auth.keyPath("tokens"), "auth is enabled but no token is configured")
        }
        try auth.finish()
        return result
    }

    private static func readSidecar(_ sidecar: ConfigReader) throws(ConfigurationError) -> ServiceConfiguration.Sidecar {
        var result = ServiceConfiguration.Sidecar()
        let defaults = result
        result.enabled = try sidecar.bool("enabled", default: defaults.enabled)
        result.socketPath = try sidecar.string("socket_path", default: defaults.socketPath) { path in
            if path.utf8.count >= 108 { return "must be shorter than 108 bytes (the sun_path limit), got \(path.utf8.count)" }
            return path.utf8.contains(0) ? "must not contain NUL" : nil
        }
        let mode = try sidecar.string("socket_mode", default: String(defaults.socketMode, radix: 8)) { text in
            parseMode(text) == nil ? "must be octal permission bits such as \"0660\", got '\(text)'" : nil
        }
        result.socketMode = parseMode(mode) ?? defaults.socketMode
        result.tcpPort = try sidecar.optionalInt("tcp_port", in: 0...65535)
        result.maxLineBytes = try sidecar.int("max_line_bytes", default: defaults.maxLineBytes, in: 256...16_777_216)
        result.maxConnections = try sidecar.int("max_connections", default: defaults.maxConnections, in: 1...100_000)
        result.idleTimeoutMilliseconds = try sidecar.int(
            "idle_timeout_ms", default: defaults.idleTimeoutMilliseconds, in: 1...86_400_000)
        result.drainTimeoutMilliseconds = try sidecar.int(
            "drain_timeout_ms", default: defaults.drainTimeoutMilliseconds, in: 0...600_000)
        if result.enabled, result.socketPath.isEmpty, result.tcpPort == nil {
            throw ConfigurationError(
                .missingValue, key: sidecar.keyPath("socket_path"), "the sidecar needs a socket_path or a tcp_port")
        }
        try sidecar.finish()
        return result
    }

    /// `0660`, `660` or `0o660` as permission bits (at most 0777); nil otherwise.
    static func parseMode(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.hasPrefix("0o") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 4, let mode = Int(digits, radix: 8), (0...0o777).contains(mode) else { return nil }
        return mode
    }

    private static func isValidTokenName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// Why `digest` is not a SHA-256 hex digest, or nil.
    static func digestProblem(_ digest: String) -> String? {
        guard digest.count == 64, digest.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            return "must be the 64-character hex SHA-256 digest of the token (printf %s \"$TOKEN\" | sha256sum), got \(digest.count) characters"
        }
        return nil
    }
}
