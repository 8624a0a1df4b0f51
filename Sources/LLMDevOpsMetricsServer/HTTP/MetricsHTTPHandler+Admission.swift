import HTTPTypes
import LLMDevOpsMetrics
import Logging

extension MetricsHTTPHandler {
    /// The checks every protected path applies, in order: authentication with `scope` (401 or
    /// 403) and the per-client rate limit (429). Returns the response that refuses `request`, or
    /// nil when it may go on. A client is rate-limited by its token name once authenticated,
    /// otherwise by its address, and the limit is checked before a refusal is answered, so a
    /// client cannot try tokens faster than the limit allows.
    func admit(_ request: MetricsHTTPRequest, scope: String) async -> MetricsHTTPResponse? {
        let access = access.withLock { $0 }
        var clientKey = request.remoteAddress ?? "unknown"
        var refusal: (MetricsHTTPResponse, AuthenticationFailure)?
        switch await access.authorize(request, scope: scope) {
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
                "Request refused",
                metadata: [
                    "llmdevops.auth.reason": "\(failure.reason)",
                    "llmdevops.http.path": "\(request.path)",
                    "llmdevops.http.remote_address": "\(request.remoteAddress ?? "unknown")",
                ])
            return response
        }
        return nil
    }

    /// Takes a slot of `gate`, or returns the 503 (retry after a second) with `message` when
    /// every slot is taken. The caller releases the slot it took.
    static func enter(_ gate: BoundedCounter, busy message: String) -> MetricsHTTPResponse? {
        guard !gate.tryAcquire() else { return nil }
        var response = MetricsHTTPResponse.text(.serviceUnavailable, message)
        response.headers[.retryAfter] = "1"
        return response
    }
}
