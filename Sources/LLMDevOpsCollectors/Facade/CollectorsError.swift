public import LLMDevOpsMetrics

/// A typed error from building or running ``MetricsCollectors``: an invalid configuration (with
/// the key and the reason), a metric the registry refused, or a second `run()`.
public struct CollectorsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidConfiguration
            case registrationFailed
            case alreadyRunning
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A configuration value is invalid; ``CollectorsError/key`` names it.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The registry refused one of the collectors' metrics (a name clash, usually).
        public static let registrationFailed = Code(.registrationFailed)
        /// `run()` was called while the collectors were already running (or had run).
        public static let alreadyRunning = Code(.alreadyRunning)

        /// The code's name.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The configuration key or metric the error is about; `nil` when none applies (a second
    /// `run()`, or a registry error that names no metric).
    public let key: String?
    /// A readable explanation.
    public let detail: String
    /// The registry's error, for ``Code/registrationFailed``.
    public let underlying: MetricsError?

    init(_ code: Code, key: String? = nil, _ detail: String, underlying: MetricsError? = nil) {
        self.code = code
        self.key = key
        self.detail = detail
        self.underlying = underlying
    }

    static func invalid(_ key: String, _ detail: String) -> CollectorsError {
        CollectorsError(.invalidConfiguration, key: key, detail)
    }

    static func registration(_ error: MetricsError) -> CollectorsError {
        CollectorsError(.registrationFailed, key: error.metricName, error.description, underlying: error)
    }

    /// `code (key): detail`, or `code: detail` when no key applies.
    public var description: String {
        guard let key else { return "\(code): \(detail)" }
        return "\(code) (\(key)): \(detail)"
    }
}
