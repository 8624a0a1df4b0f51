/// A response for any HTTP server to write: status, headers (including `Content-Length`) and
/// body. For `HEAD` the body is empty and `Content-Length` is the length of the `GET` body.
public struct MetricsHTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields to send, in order.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
