import Foundation
import LLMDevOpsMetrics
import LLMDevOpsSidecarEmitter
import NIOCore
import NIOPosix
import Testing

/// A stand-in for the sidecar on a real socket (Unix domain or 127.0.0.1, port 0): accepts
/// connections, keeps each one's bytes, and behaves per connection as a test asks. Closes its
/// side when the client closes its, as the service's listener does.
final class LineSink: Sendable {
    enum Behaviour: Sendable {
        /// Reads everything; closes when the client has closed its side.
        case readToEnd
        /// Once `bytes` bytes have arrived, half-closes (the service's graceful shutdown) and
        /// reads on until the client closes.
        case halfCloseAfter(bytes: Int)
        /// Once `bytes` bytes have arrived, closes at once, dropping whatever is unread (a
        /// sidecar that dies).
        case closeAfter(bytes: Int)
        /// Reads nothing until ``startReading()``.
        case stalled
    }

    struct Connection {
        var bytes: [UInt8] = []
        var isClosed = false
    }

    enum Transport: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case unixDomainSocket, tcp
        var testDescription: String { rawValue }
    }

    /// What the connections' handlers and the test share.
    final class State: Sendable {
        let value = Lock<(connections: [Connection], stalled: [any Channel], readingStarted: Bool)>(([], [], false))
    }

    let group: MultiThreadedEventLoopGroup
    let endpoint: SidecarEmitterConfiguration.Endpoint
    private let server: any Channel
    private let state: State

    private init(group: MultiThreadedEventLoopGroup, endpoint: SidecarEmitterConfiguration.Endpoint, server: any Channel, state: State) {
        self.group = group
        self.endpoint = endpoint
        self.server = server
        self.state = state
    }

    /// Listens at `path` (Unix) or on 127.0.0.1 port 0 (TCP); connection `i` behaves as
    /// `behaviours[i]`, later ones read to the end.
    static func start(_ transport: Transport, path: String, behaviours: [Behaviour] = []) async throws -> LineSink {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let state = State()
        // A fixed receive buffer turns off TCP's autotuning (up to 32 MiB here), so that what
        // the kernel holds in flight stays small next to what the tests send.
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_rcvbuf), value: 64 * 1024)
            .childChannelOption(.socketOption(.so_rcvbuf), value: 64 * 1024)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                let index = state.value.withLock { state in
                    state.connections.append(Connection())
                    return state.connections.count - 1
                }
                let behaviour = index < behaviours.count ? behaviours[index] : .readToEnd
                return channel.eventLoop.makeCompletedFuture {
                    if case .stalled = behaviour {
                        let reading = state.value.withLock { state in
                            if !state.readingStarted { state.stalled.append(channel) }
                            return state.readingStarted
                        }
                        try channel.syncOptions?.setOption(.autoRead, value: reading)
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        Handler(index: index, behaviour: behaviour, record: { update in state.value.withLock { update(&$0.connections[index]) } }))
                }
            }
        do {
            switch transport {
            case .unixDomainSocket:
                let server = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
                return LineSink(group: group, endpoint: .unixDomainSocket(path: path), server: server, state: state)
            case .tcp:
                let server = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
                let port = try #require(server.localAddress?.port)
                return LineSink(group: group, endpoint: .tcp(host: "127.0.0.1", port: port), server: server, state: state)
            }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Lets stalled connections read.
    func startReading() {
        let channels = state.value.withLock { state in
            state.readingStarted = true
            defer { state.stalled.removeAll() }
            return state.stalled
        }
        for channel in channels { channel.setOption(.autoRead, value: true).whenComplete { _ in } }
    }

    /// Each connection's bytes so far, in the order they were accepted.
    var connections: [Connection] { state.value.withLock { $0.connections } }

    /// Stops listening and closes every connection.
    func stop() async throws {
        try? await server.close()
        try await group.shutdownGracefully()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        let index: Int
        let behaviour: Behaviour
        let record: @Sendable ((inout Connection) -> Void) -> Void
        var received = 0
        var acted = false

        init(index: Int, behaviour: Behaviour, record: @escaping @Sendable ((inout Connection) -> Void) -> Void) {
            self.index = index
            self.behaviour = behaviour
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            let bytes = Array(buffer.readableBytesView)
            record { $0.bytes += bytes }
            received += bytes.count
            guard !acted else { return }
            switch behaviour {
            case .halfCloseAfter(let limit) where received >= limit:
                acted = true
                context.close(mode: .output, promise: nil)
            case .closeAfter(let limit) where received >= limit:
                acted = true
                context.close(promise: nil)
            default:
                break
            }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, event == .inputClosed { context.close(promise: nil) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            record { $0.isClosed = true }
        }
    }
}

extension LineSink.Connection {
    /// The complete lines, and the bytes after the last newline (a cut line, or empty).
    var lines: (complete: [String], tail: [UInt8]) {
        guard let last = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return ([], bytes) }
        let complete = bytes[...last].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        return (complete.map { String(decoding: $0, as: UTF8.self) }, Array(bytes[(last + 1)...]))
    }
}
