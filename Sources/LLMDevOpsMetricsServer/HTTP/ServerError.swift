public import HTTPTypes

/// A failure to set up or run the HTTP service, with the HTTP status it maps to when one applies.
///
/// ```swift
/// do { try await MetricsServer(configuration: configuration, registry: registry).run() }
/// catch let error as ServerError { print(error) }
/// ```
public struct ServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case configuration
            case registration
            case tls
            case bind
        }

        fileprivate let base: Base

        /// The configuration cannot be served (for example an invalid token digest).
        public static let configuration = Code(base: .configuration)
        /// The self-metrics could not be registered (a name clash in the registry).
        public static let registration = Code(base: .registration)
        /// The TLS certificate, key or CA could not be loaded.
        public static let tls = Code(base: .tls)
        /// The listener could not be started.
        public static let bind = Code(base: .bind)

        /// A readable name.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// Details.
    public let detail: String

    /// The HTTP status a request would get for this failure: 500 for all of them.
    public var status: HTTPResponse.Status { .internalServerError }

    init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `CODE: DETAIL`.
    public var description: String { "\(code) error: \(detail)" }
}
