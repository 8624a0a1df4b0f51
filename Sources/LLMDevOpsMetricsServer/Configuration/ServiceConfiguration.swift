public import LLMDevOpsCollectors

/// The typed service configuration: the `prometheus_metrics` section of
/// `Config/llmdevops-metrics.yaml`. Every default here is the documented default.
///
/// ```swift
/// var configuration = ServiceConfiguration()
/// configuration.endpoint.port = 0          // any free port
/// configuration.auth = .init(enabled: true, tokens: [
///     .init(name: "prometheus", sha256: digest, scopes: ["metrics:read"])])
/// ```
public struct ServiceConfiguration: Sendable, Hashable {
    /// `enabled`: whether the HTTP endpoint starts at all.
    public var enabled = true
    /// `endpoint`: where to listen.
    public var endpoint = Endpoint()
    /// `cache`: the exposition cache.
    public var cache = Cache()
    /// `cardinality`: registry series limits.
    public var cardinality = Cardinality()
    /// `compression`: gzip of `/metrics` bodies.
    public var compression = Compression()
    /// `collectors`: which collectors run (consumed by the collectors module).
    public var collectors = Collectors()
    /// `auth`: bearer tokens.
    public var auth = Auth()
    /// `rate_limit`: per-client token buckets.
    public var rateLimit = RateLimit()
    /// `tls`: certificate, key and optional client CA.
    public var tls = TLS()
    /// `limits`: concurrency, timeouts and header sizes.
    public var limits = Limits()
    /// `lifecycle`: shutdown behaviour.
    public var lifecycle = Lifecycle()
    /// `logging`: log level.
    public var logging = Logging()
    /// `sidecar`: the event listener of the sidecar deployment.
    public var sidecar = Sidecar()
    /// `llm`: the LLM collector's vocabulary (models, aliases, prices, fallback chains, teams,
    /// admission); `isEnabled` follows `collectors.llm`. The loader reads `llm.prices_file`
    /// into `LLMCollectorConfiguration.prices`.
    public var llm = LLMCollectorConfiguration()
    /// `agent`: the agent collector's vocabulary (agents and their tools, guardrails,
    /// admission); `isEnabled` follows `collectors.agent`.
    public var agent = AgentCollectorConfiguration()
    /// `debug`: the operator pages under `/debug/`.
    public var debug = Debug()
    /// `formats`: which exposition formats `/metrics` offers besides text 0.0.4.
    public var formats = Formats()
    /// `native_histograms`: native buckets of the collectors' latency histograms.
    public var nativeHistograms = NativeHistograms()

    /// The documented defaults.
    public init() {}

    /// `prometheus_metrics.endpoint`.
    public struct Endpoint: Sendable, Hashable {
        /// `host`: the address to bind; loopback by default.
        public var host = "127.0.0.1"
        /// `port`: the TCP port; 0 picks a free one.
        public var port = 9090
        /// `path`: the metrics path.
        public var path = "/metrics"
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.cache`.
    public struct Cache: Sendable, Hashable {
        /// `enabled`: serve rendered bodies for `ttl_ms`.
        public var enabled = true
        /// `ttl_ms`: how long a rendered body is served, in milliseconds.
        public var ttlMilliseconds = 1000
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.cardinality`.
    public struct Cardinality: Sendable, Hashable {
        /// `max_per_metric`: series one family may hold.
        public var maxPerMetric = 1000
        /// `total_limit`: series all families may hold together.
        public var totalLimit = 10_000
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.compression`.
    public struct Compression: Sendable, Hashable {
        /// `enabled`: gzip bodies for clients that accept it.
        public var enabled = true
        /// `min_size_bytes`: smaller bodies are sent uncompressed.
        public var minSizeBytes = 1024
        /// `level`: zlib compression level, 1 (fast) to 9 (small).
        public var level = 6
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.collectors`.
    public struct Collectors: Sendable, Hashable {
        /// `llm`.
        public var llm = true
        /// `agent`.
        public var agent = true
        /// `process`.
        public var process = true
        /// `runtime`.
        public var runtime = true
        /// `process_interval_ms`: how often the process collector samples `/proc` (10 to 60000).
        public var processIntervalMilliseconds = 1000
        /// `runtime_interval_ms`: how often the runtime collector samples (10 to 60000).
        public var runtimeIntervalMilliseconds = 1000
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.auth`.
    public struct Auth: Sendable, Hashable {
        /// `enabled`: require a bearer token on the metrics path.
        public var enabled = false
        /// `protect_health`: require a token on `/health` and `/ready` too.
        public var protectHealth = false
        /// `tokens`: the accepted tokens, by name.
        public var tokens: [Token] = []
        /// Creates a configuration.
        public init(enabled: Bool = false, protectHealth: Bool = false, tokens: [Token] = []) {
            self.enabled = enabled
            self.protectHealth = protectHealth
            self.tokens = tokens
        }
    }

    /// One entry of `prometheus_metrics.auth.tokens`.
    public struct Token: Sendable, Hashable {
        /// The entry's key; the rate limiter's client name.
        public var name: String
        /// `sha256`: the lowercase hex SHA-256 digest of the token.
        public var sha256: String
        /// `scopes`: what the token may do; `metrics:read` reads the metrics.
        public var scopes: [String]
        /// Creates a token entry.
        public init(name: String, sha256: String, scopes: [String] = ["metrics:read"]) {
            self.name = name
            self.sha256 = sha256
            self.scopes = scopes
        }
    }

    /// `prometheus_metrics.rate_limit`.
    public struct RateLimit: Sendable, Hashable {
        /// `enabled`.
        public var enabled = true
        /// `requests_per_second`: the refill rate of each client's bucket.
        public var requestsPerSecond = 10.0
        /// `burst`: the bucket size.
        public var burst = 20
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.tls`.
    public struct TLS: Sendable, Hashable {
        /// `enabled`: serve HTTPS only.
        public var enabled = false
        /// `cert_file`: PEM certificate chain.
        public var certFile = ""
        /// `key_file`: PEM private key.
        public var keyFile = ""
        /// `client_ca_file`: PEM CA bundle; when set, clients must present a certificate it signed.
        public var clientCAFile = ""
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.limits` (an extension of the design's schema).
    public struct Limits: Sendable, Hashable {
        /// `max_concurrent_scrapes`: metrics requests served at once; more get 503.
        public var maxConcurrentScrapes = 10
        /// `scrape_timeout_ms`: the longest a scrape waits for collection when the client sends no
        /// `X-Prometheus-Scrape-Timeout-Seconds`; after it the last good body is served.
        public var scrapeTimeoutMilliseconds = 10_000
        /// `scrape_timeout_offset_ms`: subtracted from the client's scrape timeout so the answer
        /// arrives before the client gives up.
        public var scrapeTimeoutOffsetMilliseconds = 500
        /// `max_header_bytes`: the largest request head accepted.
        public var maxHeaderBytes = 8192
        /// `idle_timeout_ms`: a connection that sends no complete request for this long is
        /// closed, which also bounds how long a request head may take to arrive.
        public var idleTimeoutMilliseconds = 30_000
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.lifecycle` (an extension of the design's schema).
    public struct Lifecycle: Sendable, Hashable {
        /// `shutdown_delay_ms`: after SIGTERM, `/ready` answers 503 for this long before the
        /// listener closes, so load balancers stop sending traffic first.
        public var shutdownDelayMilliseconds = 0
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.logging` (an extension of the design's schema).
    public struct Logging: Sendable, Hashable {
        /// `level`: trace, debug, info, notice, warning, error or critical.
        public var level = "info"
        /// Creates the defaults.
        public init() {}
    }

    /// `prometheus_metrics.debug`: the operator pages (`/debug/cardinality` and its JSON).
    public struct Debug: Sendable, Hashable {
        /// `enabled`: serve the pages (404 when false). Off by default: the page lists label
        /// values (model, agent and tool names) and auth is off by default too, so it is opt-in.
        /// With auth on, a token needs the `debug:read` scope.
        public var enabled = false
        /// Creates the defaults.
        public init(enabled: Bool = false) {
            self.enabled = enabled
        }
    }

    /// `prometheus_metrics.sidecar`: where the service receives events from `SidecarEmitter`
    /// clients (README, "Sidecar deployment" and "Sidecar protocol").
    public struct Sidecar: Sendable, Hashable {
        /// `enabled`: start the listener.
        public var enabled = false
        /// `socket_path`: the Unix domain socket; empty for none (then `tcp_port` is required).
        /// A stale socket file there is replaced at start (never a regular file, never a socket
        /// another process still listens on); the file is removed at shutdown.
        public var socketPath = "/var/run/llmdevops/metrics.sock"
        /// `socket_mode`: the socket file's permission bits, written in octal (`"0660"`).
        public var socketMode = 0o660
        /// `tcp_port`: also listen on this port of 127.0.0.1 (0 picks a free one, logged); nil
        /// (absent or null) for no TCP listener.
        public var tcpPort: Int?
        /// `max_line_bytes`: the longest message line; longer ones are rejected (`line_too_long`).
        public var maxLineBytes = 65_536
        /// `max_connections`: clients connected at once; more are refused and counted.
        public var maxConnections = 64
        /// `idle_timeout_ms`: a connection that sends nothing for this long is closed (gracefully).
        public var idleTimeoutMilliseconds = 300_000
        /// `drain_timeout_ms`: at shutdown and idle close, how long a client may take to finish
        /// sending after the service half-closed the connection.
        public var drainTimeoutMilliseconds = 5000
        /// Creates the defaults.
        public init() {}
    }
}
