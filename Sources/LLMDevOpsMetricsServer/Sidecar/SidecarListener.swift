public import LLMDevOpsCollectors
public import LLMDevOpsMetrics
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// The sidecar deployment's ingest: accepts `SidecarEmitter` clients (or any program that
/// writes the protocol) on a Unix domain socket and optionally a loopback TCP port, and hands
/// every valid line to the same collectors as embedded calls, in order per connection.
///
/// ```swift
/// let listener = try await SidecarListener(
///     configuration: configuration.sidecar, llm: collectors.llm, agent: collectors.agent,
///     registry: registry, logger: logger)
/// let group = ServiceGroup(services: [collectors, server, listener], logger: logger)
/// ```
///
/// Each connection has its own task, so a slow or silent client holds up nobody else; one that
/// sends nothing for `idle_timeout_ms` is closed. Bad lines are counted in
/// `llmdevops_sidecar_messages_rejected_total{reason}` and skipped; the connection stays open.
/// On graceful shutdown the listener stops accepting, half-closes every connection (clients
/// see end of file), reads until each client has closed its side or `drain_timeout_ms` has
/// passed, and removes its socket file.
public final class SidecarListener: Service, Sendable {
    /// A channel of decoded frames; the protocol is one-way, so nothing is written back.
    typealias Connection = NIOAsyncChannel<SidecarFrame, Never>
    typealias Listener = NIOAsyncChannel<Connection, Never>

    private struct Connections {
        var open: [ObjectIdentifier: any Channel] = [:]
        var draining = false
    }

    private let configuration: ServiceConfiguration.Sidecar
    private let llm: any LLMEventRecording
    private let agent: any AgentEventRecording
    private let metrics: SidecarSelfMetrics
    private let logger: Logger
    private let connections = Lock(Connections())
    private let tcpPort = Lock<Int?>(nil)

    /// Registers the listener's metrics in `registry`; nothing listens until ``run()``.
    ///
    /// - Throws: ``ServerError`` with code `registration` when a metric name is taken.
    public init(
        configuration: ServiceConfiguration.Sidecar,
        llm: any LLMEventRecording,
        agent: any AgentEventRecording,
        registry: RegistryActor,
        logger: Logger
    ) async throws(ServerError) {
        self.configuration = configuration
        self.llm = llm
        self.agent = agent
        self.logger = logger
        do {
            metrics = try await SidecarSelfMetrics.register(in: registry)
        } catch {
            throw ServerError(.registration, "cannot register the sidecar metrics: \(error)")
        }
    }

    /// The loopback TCP port once bound (useful with `tcp_port: 0`); nil before, or without TCP.
    public var boundTCPPort: Int? { tcpPort.withLock { $0 } }

    /// Messages accepted so far (`llmdevops_sidecar_messages_total`).
    public var messagesAccepted: Int { Int(metrics.messages.value) }

    /// Listens until graceful shutdown or cancellation, then drains and removes the socket file.
    ///
    /// - Throws: ``ServerError`` with code `bind` when a socket cannot be opened (the path holds
    ///   something that is not a stale socket, another process listens there, the port is taken).
    @concurrent
    public func run() async throws {
        var listeners: [Listener] = []
        var socketInode: UInt64?
        do {
            if !configuration.socketPath.isEmpty {
                try SidecarSocketFile.checkReplaceable(configuration.socketPath)
                listeners.append(try await bindUnixSocket())
                socketInode = try SidecarSocketFile.restrict(configuration.socketPath, mode: configuration.socketMode)
            }
            if let port = configuration.tcpPort {
                let listener = try await bindTCP(port: port)
                tcpPort.withLock { $0 = listener.channel.localAddress?.port }
                listeners.append(listener)
            }
        } catch {
            for listener in listeners { try? await listener.channel.close() }
            if let socketInode { SidecarSocketFile.remove(configuration.socketPath, inode: socketInode) }
            if let error = error as? ServerError { throw error }
            throw ServerError(.bind, "cannot open the sidecar listener: \(error)")
        }
        logger.info(
            "Sidecar listening",
            metadata: [
                "llmdevops.sidecar.socket_path": "\(configuration.socketPath)",
                "llmdevops.sidecar.socket_mode": "\(String(configuration.socketMode, radix: 8))",
                "llmdevops.sidecar.tcp_port": "\(boundTCPPort.map(String.init) ?? "none")",
                "llmdevops.sidecar.max_connections": "\(configuration.maxConnections)",
            ])
        let all = listeners
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { group in
                    for listener in all {
                        group.addTask { await self.accept(on: listener) }
                    }
                }
            } onGracefulShutdown: {
                self.beginDrain(all)
            }
        } onCancel: {
            self.beginDrain(all)
        }
        if let socketInode { SidecarSocketFile.remove(configuration.socketPath, inode: socketInode) }
        logger.info(
            "Sidecar listener stopped",
            metadata: [
                "llmdevops.sidecar.messages": "\(Int(metrics.messages.value))",
                "llmdevops.sidecar.rejected": "\(Int(metrics.rejectedTotal))",
            ])
    }

    /// Half-closes `channel` now and closes it fully after `timeout`.
    static func drain(_ channel: any Channel, within timeout: TimeAmount) {
        channel.close(mode: .output, promise: nil)
        channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    // MARK: Listening

    private var childConfiguration: (maxLineBytes: Int, idle: TimeAmount, drain: TimeAmount) {
        (
            configuration.maxLineBytes, .milliseconds(Int64(configuration.idleTimeoutMilliseconds)),
            .milliseconds(Int64(configuration.drainTimeoutMilliseconds))
        )
    }

    /// Remote half-closure is allowed so that a client's end of file finishes the connection's
    /// inbound stream instead of closing the socket at once: the socket is closed by
    /// ``serve(_:)`` after the last line has been applied, so a client that half-closes and
    /// waits for our end of file (as `SidecarEmitter` does when it shuts down) knows every line
    /// it sent is counted. Without it NIO closes the socket as soon as it reads the end of file,
    /// while up to the stream's high watermark of decoded lines still waits to be applied.
    private func bootstrap() -> ServerBootstrap {
        ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
    }

    private func bindUnixSocket() async throws -> Listener {
        let child = childConfiguration
        return try await bootstrap().bind(unixDomainSocketPath: configuration.socketPath, cleanupExistingSocketFile: true) {
            Self.initializeConnection($0, maxLineBytes: child.maxLineBytes, idle: child.idle, drain: child.drain)
        }
    }

    private func bindTCP(port: Int) async throws -> Listener {
        let child = childConfiguration
        return try await bootstrap()
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: port) {
                Self.initializeConnection($0, maxLineBytes: child.maxLineBytes, idle: child.idle, drain: child.drain)
            }
    }

    private static func initializeConnection(
        _ channel: any Channel, maxLineBytes: Int, idle: TimeAmount, drain: TimeAmount
    ) -> EventLoopFuture<Connection> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(IdleStateHandler(readTimeout: idle))
            try pipeline.addHandler(SidecarIdleCloser(drainTimeout: drain))
            try pipeline.addHandler(ByteToMessageHandler(SidecarLineDecoder(maxLineBytes: maxLineBytes)))
            return try Connection(
                wrappingChannelSynchronously: channel,
                configuration: .init(backPressureStrategy: .init(lowWatermark: 256, highWatermark: 1024))
            )
        }
    }

    /// Accepts until the listener closes; each admitted connection is served by its own task.
    private func accept(on listener: Listener) async {
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { inbound in
                    for try await connection in inbound {
                        let channel = connection.channel
                        guard admit(channel) else {
                            metrics.refused.increment()
                            logger.debug(
                                "Sidecar connection refused",
                                metadata: ["llmdevops.sidecar.max_connections": "\(configuration.maxConnections)"])
                            channel.close(promise: nil)
                            continue
                        }
                        group.addTask {
                            await self.serve(connection)
                            self.release(channel)
                        }
                    }
                }
            }
        } catch {
            logger.debug("Sidecar listener closed", metadata: ["llmdevops.sidecar.error": "\(error)"])
        }
    }

    /// Registers an open connection unless `max_connections` are open; while draining, a new
    /// connection is half-closed at once.
    private func admit(_ channel: any Channel) -> Bool {
        let (admitted, count, draining) = connections.withLock { state -> (Bool, Int, Bool) in
            guard state.open.count < configuration.maxConnections else { return (false, state.open.count, false) }
            state.open[ObjectIdentifier(channel)] = channel
            return (true, state.open.count, state.draining)
        }
        guard admitted else { return false }
        metrics.accepted.increment()
        metrics.connections.set(to: Double(count))
        if draining { Self.drain(channel, within: childConfiguration.drain) }
        return true
    }

    private func release(_ channel: any Channel) {
        let count = connections.withLock { state in
            state.open[ObjectIdentifier(channel)] = nil
            return state.open.count
        }
        metrics.connections.set(to: Double(count))
    }

    /// Stops accepting and half-closes every open connection.
    private func beginDrain(_ listeners: [Listener]) {
        for listener in listeners { listener.channel.close(promise: nil) }
        let open = connections.withLock { state in
            state.draining = true
            return Array(state.open.values)
        }
        for channel in open { Self.drain(channel, within: childConfiguration.drain) }
    }

    // MARK: Serving

    /// Applies the connection's lines in order until the client's end of file (or an error),
    /// then waits until the collectors have applied them and closes the connection: a client
    /// that sees our end of file after its own has every line counted and applied.
    private func serve(_ connection: Connection) async {
        let decoder = SidecarMessageDecoder()
        do {
            try await connection.executeThenClose { inbound in
                for try await frame in inbound {
                    switch frame {
                    case .line(let line):
                        await apply(line, decoder: decoder)
                    case .tooLong:
                        reject(.lineTooLong)
                    case .truncated:
                        reject(.truncated)
                    }
                }
                // An event is applied before `record` returns unless another was still queued;
                // flushing covers that case too (it returns at once once the collectors stop).
                await llm.flush()
                await agent.flush()
            }
        } catch {
            logger.debug("Sidecar connection ended with an error", metadata: ["llmdevops.sidecar.error": "\(error)"])
        }
    }

    private func apply(_ line: ByteBuffer, decoder: SidecarMessageDecoder) async {
        let message: SidecarMessage
        do {
            message = try decoder.decode(line)
        } catch {
            reject(error)
            return
        }
        switch message {
        case .llm(let event): await llm.record(event)
        case .agent(let event): await agent.record(event)
        }
        metrics.messages.increment()
    }

    private func reject(_ reason: SidecarRejection) {
        metrics.reject(reason)
        logger.debug("Sidecar message rejected", metadata: ["llmdevops.sidecar.reason": "\(reason.rawValue)"])
    }
}
