/// A text exposition format this library can render. The raw value is the `format` label of
/// the exporter self-metrics.
public enum ExpositionFormat: String, Sendable, Hashable, CaseIterable {
    /// The Prometheus text format, version 0.0.4 (`text/plain; version=0.0.4; charset=utf-8`).
    case prometheusText = "text"

    /// OpenMetrics 1.0 (`application/openmetrics-text; version=1.0.0; charset=utf-8`).
    case openMetrics = "openmetrics"

    /// The exact `Content-Type` header value to send with a body in this format.
    public var contentType: String {
        switch self {
        case .prometheusText:
            return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics:
            return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }
}
