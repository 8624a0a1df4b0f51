public import HTTPTypes

/// A response for any HTTP server to write: status, header fields (including
/// `Content-Length`) and body. For `HEAD` the body is empty and `Content-Length` is the length
/// of the `GET` body.
public struct MetricsHTTPResponse: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// The header fields to send, in order.
    public var headers: HTTPFields
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPResponse.Status, headers: HTTPFields, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
