/// A violation of the exposition format, located at a 1-based line number.
public struct ExpositionParseError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The 1-based line number the problem was found on.
    public var line: Int
    /// A human-readable explanation of the problem.
    public var reason: String

    /// Creates an error for `line` (1-based) with a readable `reason`.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line N: reason`.
    public var description: String {
        "line \(line): \(reason)"
    }
}
