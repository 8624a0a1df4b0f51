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
        if let refusal = await admit(request, scope: MetricsScope.debugRead) { return refusal }
        if let busy = Self.enter(debugGate, busy: "too many concurrent debug page requests\n") { return busy }
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
