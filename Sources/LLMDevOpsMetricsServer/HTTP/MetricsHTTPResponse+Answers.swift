import HTTPTypes

/// The handler's canned answers and the finishing touches every response gets.
extension MetricsHTTPResponse {
    /// Header fields every response carries.
    static let securityHeaders: HTTPFields = [.xContentTypeOptions: "nosniff"]

    /// A plain-text answer such as `404 not found`.
    static func text(_ status: HTTPResponse.Status, _ message: String) -> MetricsHTTPResponse {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        headers.append(contentsOf: securityHeaders)
        return MetricsHTTPResponse(status: status, headers: headers, body: Array(message.utf8))
    }

    /// 405 with `Allow: GET, HEAD`.
    static var methodNotAllowed: MetricsHTTPResponse {
        var response = MetricsHTTPResponse.text(.methodNotAllowed, "method not allowed\n")
        response.headers[.allow] = "GET, HEAD"
        return response
    }

    /// Adds `Content-Length`, and drops the body of a `HEAD` response.
    func finished(for method: HTTPRequest.Method) -> MetricsHTTPResponse {
        var response = self
        response.headers[.contentLength] = String(body.count)
        if method == .head { response.body = [] }
        return response
    }
}

// Invariant, not input: both names are valid header field tokens, so the initialiser cannot fail.
extension HTTPField.Name {
    /// `X-Prometheus-Scrape-Timeout-Seconds`: how long the scraper waits for the body.
    static let prometheusScrapeTimeout = HTTPField.Name("X-Prometheus-Scrape-Timeout-Seconds")!
    /// `X-LLMDevOps-Stale`: set when the body is the last good one, served after a timeout.
    static let llmdevopsStale = HTTPField.Name("X-LLMDevOps-Stale")!
}
