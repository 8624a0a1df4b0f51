#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LLMDevOpsMetrics
import Logging
import NIOCore
import NIOPosix

/// The I/O side of a ``SidecarEmitter``, confined to one event loop: connects with backoff,
/// hands the buffer to the channel in chunks of whole lines while it is writable, counts a
/// chunk's events as sent when its write completes, finishes and closes when the sidecar
/// closes its side, and drains on shutdown. Every method runs on `eventLoop`.
final class SidecarConnectionDriver {
    /// Whole lines handed to the channel as one write.
    struct Chunk {
        let bytes: ByteBuffer
        let lines: Int
    }

    /// Why the endpoint cannot be connected to.
    struct InvalidEndpoint: Error, CustomStringConvertible {
        let description: String
    }

    /// A chunk ends at the last newline within this many bytes (or is one longer line): one
    /// write and one completion per chunk keeps the cost per event small, and a failed write
    /// sends at most this much again.
    static let chunkBytes = 16 * 1024
    /// NIO's default marks, spelt out: the channel stops taking chunks above 64 KiB waiting
    /// to be written, and takes more once below 32 KiB.
    static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 32 * 1024, high: 64 * 1024)

    let emitter: SidecarEmitter
    let eventLoop: any EventLoop
    private var bootstrap: ClientBootstrap
    private var configuration: SidecarEmitterConfiguration { emitter.configuration }
    private var logger: Logger? { emitter.logger }

    private var channel: (any Channel)?
    private var connecting = false
    private var connectedOnce = false
    private var backoff: Duration
    private var reconnect: Scheduled<Void>?
    /// Lines taken from the emitter's buffer and not yet handed to the channel.
    private var batch = ByteBuffer()
    /// The storage swapped with the emitter's buffer on each take, kept with its capacity.
    private var spare: [UInt8] = []
    /// Chunks whose write failed: sent first, whole, on the next connection.
    private var resend = CircularBuffer<Chunk>()
    /// Chunks handed to the channel whose write has not completed.
    private var outstanding = 0
    /// The sidecar closed its side: write what was handed to the channel, then close.
    private var peerClosing = false
    private var peerCloseTimeout: Scheduled<Void>?
    /// Why the current connection is closing, for the log; and whether that was an error.
    private var closeReason: String?
    private var closedByError = false
    /// Set by ``beginDrain()``: shutdown was requested.
    private var drainTimeout: Scheduled<Void>?
    /// Everything is written and our side is closed: waiting for the sidecar to close.
    private var outputClosed = false
    private var finished = false

    init(emitter: SidecarEmitter, eventLoop: any EventLoop, bootstrap: ClientBootstrap) {
        self.emitter = emitter
        self.eventLoop = eventLoop
        self.bootstrap = bootstrap
        self.backoff = emitter.configuration.initialBackoff
    }

    /// Connects; drains at once when shutdown was requested before ``SidecarEmitter/run()``.
    func start() {
        guard !finished else { return }
        let driver = NIOLoopBound(self, eventLoop: eventLoop)
        bootstrap =
            bootstrap
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.writeBufferWaterMark, value: Self.writeBufferWaterMark)
            .channelInitializer { channel in
                // The bootstrap's group is `eventLoop`, so the channel runs on it.
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SidecarChannelHandler(driver: driver.value))
                }
            }
        connect()
        if emitter.state.withLock({ $0.phase == .stopping }) { beginDrain() }
    }

    // MARK: Connecting

    private func connect() {
        guard !finished, channel == nil, !connecting else { return }
        let address: SocketAddress
        do {
            address = try Self.address(of: configuration.endpoint)
        } catch {
            connectFailed(error)
            return
        }
        connecting = true
        bootstrap.connect(to: address).assumeIsolated().whenComplete { result in
            self.connecting = false
            switch result {
            case .success(let channel): self.connected(channel)
            case .failure(let error): self.connectFailed(error)
            }
        }
    }

    private func connected(_ channel: any Channel) {
        guard !finished, channel.isActive else {
            // Stopped meanwhile, or the connection died in the same tick: close, try again.
            channel.close(promise: nil)
            return scheduleConnect(after: configuration.initialBackoff)
        }
        self.channel = channel
        peerClosing = false
        outputClosed = false
        closeReason = nil
        closedByError = false
        backoff = configuration.initialBackoff
        let reconnected = connectedOnce
        connectedOnce = true
        if reconnected { emitter.state.withLock { $0.statistics.reconnects += 1 } }
        logger?.info("Sidecar emitter connected", metadata: ["llmdevops.sidecar.endpoint": "\(configuration.endpoint)"])
        pump()
    }

    private func connectFailed(_ error: any Error) {
        emitter.state.withLock { $0.statistics.connectFailures += 1 }
        logger?.debug(
            "Sidecar emitter cannot connect",
            metadata: ["llmdevops.sidecar.endpoint": "\(configuration.endpoint)", "llmdevops.sidecar.error": "\(error)"])
        checkDrained()
        let delay = backoff
        backoff = min(backoff * 2, configuration.maxBackoff)
        scheduleConnect(after: delay)
    }

    private func scheduleConnect(after delay: Duration) {
        guard !finished, channel == nil, !connecting, reconnect == nil else { return }
        guard delay > .zero else { return connect() }
        reconnect = eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            self.reconnect = nil
            self.connect()
        }
    }

    // MARK: Writing

    /// Hands chunks to the channel while it is writable: first those to send again, then the
    /// batch, then a new batch from the emitter's buffer. When there is nothing left the
    /// emitter's state records that producers must wake this loop.
    func pump() {
        guard !finished, let channel, channel.isActive, !peerClosing, !outputClosed else { return checkDrained() }
        var wrote = false
        while channel.isWritable {
            if let chunk = resend.popFirst() ?? nextChunk() {
                write(chunk, to: channel)
                wrote = true
            } else if !takeBatch() {
                break
            }
        }
        if wrote { channel.flush() }
        checkDrained()
    }

    private func write(_ chunk: Chunk, to channel: any Channel) {
        outstanding += 1
        let promise = eventLoop.makePromise(of: Void.self)
        channel.write(chunk.bytes, promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { result in
            self.written(chunk, result)
        }
    }

    /// A chunk's write completed (NIO completes writes in order). Written: its events count as
    /// sent. Failed: the connection is closing (``closed(_:)`` follows), and the chunk goes
    /// again, whole, on the next one.
    private func written(_ chunk: Chunk, _ result: Result<Void, any Error>) {
        guard !finished else { return }
        outstanding -= 1
        if case .failure(let error) = result {
            resend.append(chunk)
            if closeReason == nil { closeReason = "\(error)" }
            closedByError = true
            return
        }
        emitter.settle(chunk.lines)
        if peerClosing, outstanding == 0, let channel {
            peerCloseTimeout?.cancel()
            peerCloseTimeout = nil
            channel.close(promise: nil)
        } else {
            pump()
        }
    }

    /// The next chunk of whole lines from the batch; nil when the batch is empty.
    private func nextChunk() -> Chunk? {
        guard batch.readableBytes > 0 else { return nil }
        let (length, lines) = batch.withUnsafeReadableBytes { raw in Self.wholeLines(in: raw, limit: Self.chunkBytes) }
        guard let bytes = batch.readSlice(length: length) else { return nil }
        return Chunk(bytes: bytes, lines: lines)
    }

    /// Takes everything the emitter has buffered as the next batch; false when there is nothing.
    private func takeBatch() -> Bool {
        guard emitter.state.withLock({ $0.takePending(into: &spare) }) else { return false }
        batch = ByteBuffer(bytes: spare)
        spare.removeAll(keepingCapacity: true)
        return true
    }

    /// The length of the longest run of whole lines at the start of `bytes` within `limit`
    /// bytes (or of the first line, when it is longer), and its number of lines.
    static func wholeLines(in bytes: UnsafeRawBufferPointer, limit: Int) -> (length: Int, lines: Int) {
        guard let base = bytes.baseAddress else { return (0, 0) }
        var length = 0
        var lines = 0
        while length < bytes.count {
            guard let newline = memchr(base + length, 0x0A, bytes.count - length) else { break }
            let end = base.distance(to: UnsafeRawPointer(newline)) + 1
            if end > limit, lines > 0 { break }
            length = end
            lines += 1
        }
        // The emitter's buffer holds whole lines only; a tail without newline cannot happen,
        // but would go as it is rather than stall.
        return lines == 0 ? (bytes.count, 0) : (length, lines)
    }

    // MARK: Channel events

    /// The channel can take more chunks again.
    func becameWritable(_ channel: any Channel) {
        guard channel === self.channel else { return }
        pump()
    }

    /// The sidecar closed its side (shutdown, idle timeout): it reads until our end of file, so
    /// write what was handed to the channel, then close; what is left in the batch goes on the
    /// next connection.
    func peerClosedInput(_ channel: any Channel) {
        guard channel === self.channel, !finished else { return }
        if closeReason == nil { closeReason = "the sidecar closed the connection" }
        peerClosing = true
        guard outstanding > 0 else { return channel.close(promise: nil) }
        peerCloseTimeout = eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.drainTimeout)) {
            self.peerCloseTimeout = nil
            channel.close(promise: nil)
        }
    }

    /// A read or write on the channel failed; NIO closes it.
    func failed(_ channel: any Channel, _ error: any Error) {
        guard channel === self.channel else { return }
        if closeReason == nil { closeReason = "\(error)" }
        closedByError = true
        channel.close(promise: nil)
    }

    /// The channel closed. NIO has failed its unwritten chunks by now (they are in `resend`).
    func closed(_ channel: any Channel) {
        guard channel === self.channel else { return }
        self.channel = nil
        peerClosing = false
        peerCloseTimeout?.cancel()
        peerCloseTimeout = nil
        guard !outputClosed else { return finish() }  // drained: the sidecar has read everything
        logger?.notice(
            "Sidecar emitter disconnected",
            metadata: [
                "llmdevops.sidecar.endpoint": "\(configuration.endpoint)",
                "llmdevops.sidecar.reason": "\(closeReason ?? "the connection closed")",
            ])
        checkDrained()
        scheduleConnect(after: closedByError ? configuration.initialBackoff : .zero)
    }

    // MARK: Shutdown

    /// Shutdown was requested: write what is buffered (reconnecting if need be) until
    /// ``SidecarEmitterConfiguration/drainTimeout``, then close our side and wait for the
    /// sidecar to read to the end and close; at the deadline, stop whatever remains.
    func beginDrain() {
        guard !finished, drainTimeout == nil else { return }
        drainTimeout = eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.drainTimeout)) {
            self.drainTimeout = nil
            if !self.finished {
                self.logger?.debug(
                    "Sidecar emitter drain timed out",
                    metadata: ["llmdevops.sidecar.endpoint": "\(self.configuration.endpoint)"])
            }
            self.finish()
        }
        pump()
    }

    /// While draining: once nothing is left to write, half-close (or stop, when disconnected).
    private func checkDrained() {
        guard drainTimeout != nil, !finished, !outputClosed else { return }
        guard outstanding == 0, resend.isEmpty, batch.readableBytes == 0 else { return }
        guard emitter.state.withLock({ $0.pending.isEmpty }) else { return }
        guard let channel else { return finish() }
        outputClosed = true
        // Pending writes go first; the sidecar then sees end of file, and closes once it has
        // read everything (NIO closes the channel when both sides are shut: `closed(_:)`).
        channel.close(mode: .output, promise: nil)
    }

    /// Stops: closes the connection (its unwritten chunks fail, their events stay buffered)
    /// and marks the emitter stopped, which drops and counts what is still buffered.
    private func finish() {
        guard !finished else { return }
        finished = true
        reconnect?.cancel()
        reconnect = nil
        drainTimeout?.cancel()
        drainTimeout = nil
        peerCloseTimeout?.cancel()
        peerCloseTimeout = nil
        if let channel {
            self.channel = nil
            channel.close(promise: nil)
        }
        // The stored bootstrap's initializer holds this driver (a cycle LeakSanitizer found):
        // nothing connects after this, so replace it and let the driver go.
        bootstrap = bootstrap.channelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
        emitter.finishStopped()
    }

    static func address(of endpoint: SidecarEmitterConfiguration.Endpoint) throws -> SocketAddress {
        switch endpoint {
        case .unixDomainSocket(let path):
            return try SocketAddress(unixDomainSocketPath: path)
        case .tcp(let host, let port):
            guard (1...65535).contains(port) else { throw InvalidEndpoint(description: "port \(port) out of range") }
            return try SocketAddress(ipAddress: host, port: port)
        }
    }
}
