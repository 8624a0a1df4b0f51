/// Where a ``SidecarEmitter`` sends its events and how it buffers and reconnects.
///
/// ```swift
/// var configuration = SidecarEmitterConfiguration(endpoint: .unixDomainSocket(path: "/var/run/llmdevops/metrics.sock"))
/// configuration.bufferCapacity = 50_000
/// ```
public struct SidecarEmitterConfiguration: Sendable, Hashable {
    /// The sidecar's listening socket.
    public enum Endpoint: Sendable, Hashable {
        /// A Unix domain socket (`prometheus_metrics.sidecar.socket_path`).
        case unixDomainSocket(path: String)
        /// A TCP port on an IPv4 loopback address such as `127.0.0.1`
        /// (`prometheus_metrics.sidecar.tcp_port`).
        case tcp(host: String, port: Int)
    }

    /// The sidecar's listening socket.
    public var endpoint: Endpoint
    /// Events held while disconnected or not yet written; more are dropped and counted in
    /// ``SidecarEmitterStatistics/dropped``.
    public var bufferCapacity: Int = 65_536
    /// The longest line (JSON object plus newline) the emitter sends; longer events are dropped.
    /// Keep it at or below the sidecar's `max_line_bytes`.
    public var maxLineBytes: Int = 65_536
    /// The first wait after a failed connection attempt; each further failure doubles it.
    public var initialBackoff: Duration = .milliseconds(10)
    /// The longest wait between connection attempts.
    public var maxBackoff: Duration = .seconds(2)
    /// How long a connection attempt may take.
    public var connectTimeout: Duration = .seconds(2)
    /// On shutdown, how long the emitter keeps trying to write what is buffered and to see the
    /// sidecar read it all; what is left after that is dropped and counted.
    public var drainTimeout: Duration = .seconds(5)

    /// Creates a configuration with the defaults above.
    public init(endpoint: Endpoint) {
        self.endpoint = endpoint
    }
}
