/// An independent, third-party implementation of the Prometheus/OpenMetrics formats that
/// tests use as an oracle for our exposition output.
enum ReferenceTool: String, Sendable {
    /// `promtool check metrics` from the Prometheus server distribution (Debian `prometheus`).
    case promtool
    /// The parsers of the official Python client (PyPI `prometheus-client`).
    case pythonPrometheusClient
    /// Google's Python protobuf runtime (PyPI `protobuf`) over `../shared/proto/metrics.proto`
    /// compiled by `protoc` (Debian `protobuf-compiler`): `Scripts/protobuf-exposition.py`.
    case protobufDecoder

    /// A readable name with where to get it, for skip and failure messages.
    var displayName: String {
        switch self {
        case .promtool: "promtool (Debian package prometheus)"
        case .pythonPrometheusClient: "python3 module prometheus_client (PyPI prometheus-client)"
        case .protobufDecoder:
            "protoc (Debian protobuf-compiler), python3 module google.protobuf (PyPI protobuf) "
                + "and ../shared/proto/metrics.proto"
        }
    }
}
