import HTTPTypes
import LLMDevOpsMetrics

/// Who may scrape and how often: the authenticator and the per-client rate limiter, which a
/// configuration reload replaces together (``MetricsHTTPHandler/reload(_:)``).
struct AccessPolicy: Sendable {
    /// What ``authorize(_:)`` decided about a request.
    enum Decision {
        /// An authenticated client with the `metrics:read` scope.
        case allowed(AuthenticatedClient)
        /// The response to send (401 or 403) and the reason to count.
        case refused(MetricsHTTPResponse, AuthenticationFailure)
    }

    let auth: ServiceConfiguration.Auth
    let rateLimit: ServiceConfiguration.RateLimit
    let authenticator: (any MetricsAuthenticator)?
    let rateLimiter: TokenBucketRateLimiter?

    /// Builds the policy for `configuration`; keeps `previous`'s rate limiter (and its buckets)
    /// when the rate-limit settings are unchanged.
    init(
        configuration: ServiceConfiguration,
        injected: (any MetricsAuthenticator)?,
        previous: AccessPolicy?,
        clock: MetricsClock
    ) throws(ServerError) {
        auth = configuration.auth
        rateLimit = configuration.rateLimit
        if let injected {
            authenticator = injected
        } else if configuration.auth.enabled {
            do {
                authenticator = try BearerTokenAuthenticator(tokens: configuration.auth.tokens)
            } catch {
                throw ServerError(.configuration, error.description)
            }
        } else {
            authenticator = nil
        }
        if let previous, previous.rateLimit == configuration.rateLimit {
            rateLimiter = previous.rateLimiter
        } else {
            rateLimiter = configuration.rateLimit.enabled
                ? TokenBucketRateLimiter(
                    requestsPerSecond: configuration.rateLimit.requestsPerSecond,
                    burst: configuration.rateLimit.burst,
                    clock: clock)
                : nil
        }
    }

    /// Authenticates `request` and checks the `metrics:read` scope; nil when there is no
    /// authenticator (auth disabled and none injected).
    func authorize(_ request: MetricsHTTPRequest) async -> Decision? {
        guard let authenticator else { return nil }
        let result = await authenticator.authenticate(
            AuthenticationRequest(
                authorization: request.headers[.authorization],
                remoteAddress: request.remoteAddress,
                path: request.path
            )
        )
        switch result {
        case .authenticated(let client) where client.scopes.contains(MetricsScope.read):
            return .allowed(client)
        case .authenticated:
            var response = MetricsHTTPResponse.text(.forbidden, "forbidden: the token lacks the metrics:read scope\n")
            response.headers[.wwwAuthenticate] =
                #"Bearer realm="metrics", error="insufficient_scope", scope="metrics:read""#
            return .refused(response, .insufficientScope)
        case .rejected(let failure):
            var response = MetricsHTTPResponse.text(.unauthorized, "unauthorized\n")
            response.headers[.wwwAuthenticate] = #"Bearer realm="metrics""#
            return .refused(response, failure)
        }
    }
}
