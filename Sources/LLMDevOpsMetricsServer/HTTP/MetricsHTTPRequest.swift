/// A request as any HTTP server sees it: what ``MetricsHTTPHandler`` needs, nothing
/// framework-specific.
///
/// ```swift
/// let request = MetricsHTTPRequest(method: "GET", path: "/metrics",
///     headers: [("Accept", "*/*"), ("Authorization", "Bearer s3cret")], remoteAddress: "10.0.0.7")
/// ```
public struct MetricsHTTPRequest: Sendable {
    /// The method, upper case (`GET`).
    public var method: String
    /// The path without the query string.
    public var path: String
    /// Header fields in arrival order; names compare case-insensitively.
    public var headers: [(name: String, value: String)]
    /// The peer address, used as the rate-limit key of unauthenticated clients.
    public var remoteAddress: String?

    /// Creates a request; a query string in `path` is dropped.
    public init(method: String, path: String, headers: [(name: String, value: String)] = [], remoteAddress: String? = nil) {
        self.method = method.uppercased()
        self.path = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        self.headers = headers
        self.remoteAddress = remoteAddress
    }

    /// The first value of the header `name` (case-insensitive), joined with later ones by `,`.
    public func header(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}
