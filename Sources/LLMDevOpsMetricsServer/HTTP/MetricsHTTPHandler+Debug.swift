import HTTPTypes
import LLMDevOpsMetrics
import Logging
import Synchronization

extension MetricsHTTPHandler {
    /// The cardinality page (HTML), served when `debug.enabled`.
    public static let cardinalityPath = "/debug/cardinality"
    /// The cardinality report as JSON (`CardinalityReport.json()` of the core module), served when `debug.enabled`.
    public static let cardinalityJSONPath = "/debug/cardinality.json"
    /// Debug pages computed at once; more get 503. They never take a scrape slot
    /// (`limits.max_concurrent_scrapes` is for renders).
    static let debugPageConcurrency = 2

    /// `/debug/cardinality` and its JSON: method check (405) → authentication with the
    /// `debug:read` scope (401/403) and the per-client rate limit shared with the metrics path
    /// (429) → at most ``debugPageConcurrency`` reports at once (503) → the report. Counted in
    /// `llmdevops_exporter_debug_requests_total{page,code}`.
    func cardinality(_ request: MetricsHTTPRequest, json: Bool) async -> MetricsHTTPResponse {
        let response = await answerCardinality(request, json: json)
        await selfMetrics.recordDebugRequest(page: json ? "cardinality.json" : "cardinality", status: response.status)
        return response.finished(for: request.method)
    }

    private func answerCardinality(_ request: MetricsHTTPRequest, json: Bool) async -> MetricsHTTPResponse {
        guard Self.isGetOrHead(request.method) else { return .methodNotAllowed }
        let access = access.withLock { $0 }
        var clientKey = request.remoteAddress ?? "unknown"
        var refusal: (MetricsHTTPResponse, AuthenticationFailure)?
        switch await access.authorize(request, scope: MetricsScope.debugRead) {
        case .allowed(let client)?: clientKey = "token:\(client.name)"
        case .refused(let response, let failure)?: refusal = (response, failure)
        case nil: break
        }
        if let rateLimiter = access.rateLimiter,
            case .limited(let retryAfter) = rateLimiter.acquire(client: clientKey)
        {
            selfMetrics.rateLimited.increment()
            logger?.debug("Rate limit exceeded", metadata: ["llmdevops.http.client": "\(clientKey)"])
            var response = MetricsHTTPResponse.text(.tooManyRequests, "too many requests\n")
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
        if let (response, failure) = refusal {
            await selfMetrics.recordAuthFailure(failure)
            logger?.notice(
                "Debug page request refused",
                metadata: [
                    "llmdevops.auth.reason": "\(failure.reason)",
                    "llmdevops.http.path": "\(request.path)",
                    "llmdevops.http.remote_address": "\(request.remoteAddress ?? "unknown")",
                ])
            return response
        }
        guard debugGate.tryAcquire() else {
            var response = MetricsHTTPResponse.text(.serviceUnavailable, "too many concurrent debug page requests\n")
            response.headers[.retryAfter] = "1"
            return response
        }
        defer { debugGate.release() }

        let report = await registry.cardinalityReport().annotated(for: configuration)
        var headers: HTTPFields = [:]
        let body: [UInt8]
        if json {
            headers[.contentType] = "application/json"
            body = report.json()
        } else {
            headers[.contentType] = "text/html; charset=utf-8"
            body = CardinalityPage.html(report, jsonPath: Self.cardinalityJSONPath)
        }
        headers[.contentSecurityPolicy] = CardinalityPage.contentSecurityPolicy
        headers[.cacheControl] = "no-store"
        headers[.referrerPolicy] = "no-referrer"
        headers.append(contentsOf: MetricsHTTPResponse.securityHeaders)
        return MetricsHTTPResponse(status: .ok, headers: headers, body: body)
    }
}

extension HTTPField.Name {
    // Invariant, not input: a valid header field token, so the initialiser cannot fail.
    /// `Referrer-Policy`.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
