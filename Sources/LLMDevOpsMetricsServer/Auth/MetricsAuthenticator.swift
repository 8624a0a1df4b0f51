/// Decides who is asking for the metrics. The server ships ``BearerTokenAuthenticator``; an
/// embedding application can delegate to its own auth module by conforming to this protocol.
///
/// ```swift
/// struct SessionAuthenticator: MetricsAuthenticator {
///     func authenticate(_ request: AuthenticationRequest) async -> AuthenticationResult {
///         guard let user = await sessions.user(for: request.authorization) else { return .rejected(.invalidCredentials) }
///         return .authenticated(AuthenticatedClient(name: user.id, scopes: user.scopes))
///     }
/// }
/// ```
///
/// Implementations must not log or store the credentials they are given.
public protocol MetricsAuthenticator: Sendable {
    /// Authenticates one request.
    func authenticate(_ request: AuthenticationRequest) async -> AuthenticationResult
}

/// What an authenticator sees of a request.
public struct AuthenticationRequest: Sendable {
    /// The `Authorization` header, if present. A secret: never log it.
    public var authorization: String?
    /// The peer address, if known (`127.0.0.1`).
    public var remoteAddress: String?
    /// The request path.
    public var path: String

    /// Creates a request description.
    public init(authorization: String?, remoteAddress: String?, path: String) {
        self.authorization = authorization
        self.remoteAddress = remoteAddress
        self.path = path
    }
}

/// An authenticated caller and what it may do.
public struct AuthenticatedClient: Sendable, Hashable {
    /// A stable, non-secret name (the token's configuration key); used as the rate-limit key.
    public var name: String
    /// Granted scopes, such as ``MetricsScope/read``.
    public var scopes: Set<String>

    /// Creates a client.
    public init(name: String, scopes: Set<String>) {
        self.name = name
        self.scopes = scopes
    }
}

/// The scopes the endpoints check.
public enum MetricsScope {
    /// Needed to read `/metrics` (and `/health`, `/ready` when they are protected).
    public static let read = "metrics:read"
    /// Needed to read the operator pages under `/debug/` (`/debug/cardinality`) when auth is on.
    public static let debugRead = "debug:read"
}

/// The outcome of ``MetricsAuthenticator/authenticate(_:)``.
public enum AuthenticationResult: Sendable, Hashable {
    /// The caller is known; the endpoint still checks its scopes (403 without them).
    case authenticated(AuthenticatedClient)
    /// The caller is not known (401).
    case rejected(AuthenticationFailure)
}

/// Why a request was not authenticated; the `reason` label of
/// `llmdevops_exporter_auth_failures_total`.
public struct AuthenticationFailure: Sendable, Hashable, CustomStringConvertible {
    /// The label value.
    public let reason: String

    /// A custom reason (a label value: lowercase letters and `_`).
    public init(reason: String) { self.reason = reason }

    /// No `Authorization` header.
    public static let missingCredentials = AuthenticationFailure(reason: "missing_token")
    /// An `Authorization` header that is not `Bearer <token>`.
    public static let malformedCredentials = AuthenticationFailure(reason: "malformed_header")
    /// A well-formed token that matches no configured digest.
    public static let invalidCredentials = AuthenticationFailure(reason: "invalid_token")
    /// Known, but without the scope the endpoint needs (reported by the endpoint, 403).
    public static let insufficientScope = AuthenticationFailure(reason: "insufficient_scope")

    /// The reason.
    public var description: String { reason }
}
