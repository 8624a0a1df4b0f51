/// An exposition format this library can render. The raw value is the `format` label of the
/// exporter self-metrics.
public enum ExpositionFormat: String, Sendable, Hashable, CaseIterable {
    /// The Prometheus text format, version 0.0.4 (`text/plain; version=0.0.4; charset=utf-8`).
    case prometheusText = "text"

    /// OpenMetrics 1.0 (`application/openmetrics-text; version=1.0.0; charset=utf-8`).
    case openMetrics = "openmetrics"

    /// The Prometheus protobuf format: length-delimited `io.prometheus.client.MetricFamily`
    /// messages. The only format that carries native histograms and start timestamps of every
    /// series (see <doc:ProtobufAndNativeHistograms>).
    case protobuf = "protobuf"

    /// The exact `Content-Type` header value to send with a body in this format.
    public var contentType: String {
        switch self {
        case .prometheusText:
            return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics:
            return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        case .protobuf:
            return "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
        }
    }

    /// Whether bodies in this format are text (UTF-8 lines); false for ``protobuf``.
    public var isText: Bool {
        self != .protobuf
    }
}
