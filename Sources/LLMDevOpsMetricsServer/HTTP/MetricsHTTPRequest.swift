public import HTTPTypes

/// A request as any HTTP server sees it: what ``MetricsHTTPHandler`` needs, nothing
/// framework-specific. The method, header fields and status use swift-http-types, as
/// Hummingbird and other servers do.
///
/// ```swift
/// let request = MetricsHTTPRequest(method: .get, path: "/metrics",
///     headers: [.accept: "*/*", .authorization: "Bearer s3cret"], remoteAddress: "10.0.0.7")
/// ```
public struct MetricsHTTPRequest: Sendable {
    /// The method.
    public var method: HTTPRequest.Method
    /// The path without the query string.
    public var path: String
    /// The header fields; lookups by name are case-insensitive.
    public var headers: HTTPFields
    /// The peer address, used as the rate-limit key of unauthenticated clients.
    public var remoteAddress: String?

    /// Creates a request; a query string in `path` is dropped.
    public init(method: HTTPRequest.Method, path: String, headers: HTTPFields = [:], remoteAddress: String? = nil) {
        self.method = method
        self.path = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        self.headers = headers
        self.remoteAddress = remoteAddress
    }
}
