/// The handler's canned answers and the finishing touches every response gets.
extension MetricsHTTPResponse {
    /// Headers every response carries.
    static let securityHeaders: [(name: String, value: String)] = [("X-Content-Type-Options", "nosniff")]

    /// A plain-text answer such as `404 not found`.
    static func text(_ status: Int, _ message: String) -> MetricsHTTPResponse {
        MetricsHTTPResponse(
            status: status,
            headers: [("Content-Type", "text/plain; charset=utf-8")] + securityHeaders,
            body: Array(message.utf8)
        )
    }

    /// 405 with `Allow: GET, HEAD`.
    static var methodNotAllowed: MetricsHTTPResponse {
        var response = MetricsHTTPResponse.text(405, "method not allowed\n")
        response.headers.append(("Allow", "GET, HEAD"))
        return response
    }

    /// Adds `Content-Length`, and drops the body of a `HEAD` response.
    func finished(for method: String) -> MetricsHTTPResponse {
        var response = self
        response.headers.append(("Content-Length", String(body.count)))
        if method == "HEAD" { response.body = [] }
        return response
    }
}
