/// Why an external tool (promtool, amtool, python3, the service binary) could not give a verdict,
/// or rejected its input. Shared by the test targets through `LLMDevOpsTestSupport`.
///
/// A struct wrapping a private code, so new failure kinds can be added without breaking
/// exhaustive switches; compare `error.kind` against `.parseFailed` etc.
public struct ExternalToolError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, comparable with `==`.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case toolMissing = "tool missing"
            case parseFailed = "parse failed"
            case launchFailed = "launch failed"
            case timedOut = "timed out"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The tool is not installed (not on `PATH`, or the Python module is absent).
        public static let toolMissing = Kind(.toolMissing)
        /// The tool ran and rejected the input (the Python parser raised).
        public static let parseFailed = Kind(.parseFailed)
        /// The process could not be started, or its output could not be understood.
        public static let launchFailed = Kind(.launchFailed)
        /// The process ran longer than the allowed time and was terminated.
        public static let timedOut = Kind(.timedOut)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let kind: Kind
    /// The tool name, or the tool's diagnostic output (for example a Python traceback).
    public let detail: String

    private init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The named tool is not installed.
    public static func toolMissing(_ tool: String) -> Self { Self(kind: .toolMissing, detail: tool) }
    /// The tool rejected the input; `output` is its stderr.
    public static func parseFailed(_ output: String) -> Self { Self(kind: .parseFailed, detail: output) }
    /// The tool could not be run or produced unusable output.
    public static func launchFailed(_ reason: String) -> Self { Self(kind: .launchFailed, detail: reason) }
    /// The tool did not finish in time.
    public static func timedOut(_ command: String) -> Self { Self(kind: .timedOut, detail: command) }

    /// The last non-empty line of `detail`: for a Python traceback, the exception itself.
    public var summary: String {
        detail.split(whereSeparator: \.isNewline).last.map(String.init) ?? detail
    }

    public var description: String {
        "ExternalToolError(\(kind)): \(detail)"
    }
}
