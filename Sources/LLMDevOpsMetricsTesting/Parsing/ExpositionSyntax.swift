/// The exposition format a body is written in.
public enum ExpositionSyntax: Sendable, Hashable {
    /// Prometheus text exposition format 0.0.4 (`text/plain; version=0.0.4`).
    case prometheusText
    /// OpenMetrics 1.0.0 (`application/openmetrics-text; version=1.0.0`).
    case openMetrics
}
