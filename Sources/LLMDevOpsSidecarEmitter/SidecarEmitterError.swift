/// Why ``SidecarEmitter/run()`` could not run.
public struct SidecarEmitterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case alreadyRunning = "already running"
            case unsupportedEventLoopGroup = "unsupported event loop group"
        }

        fileprivate let base: Base

        /// `run()` was called a second time.
        public static let alreadyRunning = Code(base: .alreadyRunning)
        /// The event loop group given at creation cannot run NIO's POSIX sockets (it is neither a
        /// `MultiThreadedEventLoopGroup` nor one of its loops).
        public static let unsupportedEventLoopGroup = Code(base: .unsupportedEventLoopGroup)

        /// A readable name.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// Details.
    public let detail: String

    init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `sidecar emitter error (CODE): DETAIL`.
    public var description: String { "sidecar emitter error (\(code)): \(detail)" }
}
